package kit_test

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/puntos-ar/puntos/ui/kit"
)

// labels returns the texts of the labels on top of w.
func labels(w fyne.Window) []string {
	var out []string
	for _, o := range test.LaidOutObjects(w.Canvas().Overlays().Top()) {
		if l, ok := o.(*widget.Label); ok && l.Visible() {
			out = append(out, l.Text)
		}
	}
	return out
}

func TestNamePlaces(t *testing.T) {
	test.NewTempApp(t)
	w := test.NewTempWindow(t, widget.NewLabel(""))
	w.Resize(fyne.NewSize(1000, 700))
	d := dialog.NewFileSave(func(fyne.URIWriteCloser, error) {}, w)
	d.Show()
	if got := labels(w); !slices.Contains(got, "Home") {
		t.Fatalf("Fyne's dialog lists %q: no Home to rename", got)
	}
	kit.NamePlaces(w, "es")
	got := labels(w)
	if slices.Contains(got, "Home") || !slices.Contains(got, "Carpeta personal") {
		t.Errorf("places after NamePlaces: %q", got)
	}
	d.Hide()
}
