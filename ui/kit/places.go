package kit

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// placeNames are the Spanish names of the places Fyne's file dialog lists
// in English whatever the language ("Home", "Computer"…).
var placeNames = map[string]string{
	"Home":      "Carpeta personal",
	"Computer":  "Equipo",
	"App Files": "Archivos de Puntos",
	"Desktop":   "Escritorio",
	"Documents": "Documentos",
	"Downloads": "Descargas",
	"Music":     "Música",
	"Pictures":  "Imágenes",
	"Videos":    "Videos",
	"Movies":    "Películas",
}

// NamePlaces gives Spanish names to the places that Fyne's file dialog,
// showing on top of w, lists in English; call it right after the
// dialog's Show. In English it does nothing.
func NamePlaces(w fyne.Window, lang string) {
	top := w.Canvas().Overlays().Top()
	if lang == "en" || top == nil {
		return
	}
	Walk(top, func(o fyne.CanvasObject) {
		l, ok := o.(*widget.List)
		if !ok || l.UpdateItem == nil {
			return
		}
		update := l.UpdateItem
		l.UpdateItem = func(id widget.ListItemID, item fyne.CanvasObject) {
			update(id, item)
			// A place is an icon and a label; the files are other widgets.
			if c, ok := item.(*fyne.Container); ok && len(c.Objects) == 2 {
				if label, ok := c.Objects[1].(*widget.Label); ok {
					if es, ok := placeNames[label.Text]; ok {
						label.SetText(es)
					}
				}
			}
		}
		l.Refresh()
	})
}

// Walk calls fn with o and every object in the containers, splits,
// scrolls and pop-ups under it (not inside other widgets).
func Walk(o fyne.CanvasObject, fn func(fyne.CanvasObject)) {
	fn(o)
	switch x := o.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			Walk(c, fn)
		}
	case *container.Split:
		Walk(x.Leading, fn)
		Walk(x.Trailing, fn)
	case *container.Scroll:
		Walk(x.Content, fn)
	case *widget.PopUp:
		Walk(x.Content, fn)
	}
}
