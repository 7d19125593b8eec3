package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/puntos-ar/puntos/ui/kit"
)

// maxSuggestions is how many suggestions a type-ahead shows.
const maxSuggestions = 6

// typeahead is an entry with suggestions under it that follow what is
// typed. Down and Up move through them, Enter or a tap picks one, Escape
// hides them; free text stays as typed.
type typeahead struct {
	entry *kit.KeyEntry
	rows  *fyne.Container
	box   *fyne.Container
	items []string
	sel   int
	// picked is the entry text set by the last pick; while the text
	// equals it the suggestions stay hidden.
	picked string

	// onChanged is called with the text after each change; the owner
	// answers with setItems (now or later).
	onChanged func(text string)
	// onPick is called when suggestion i is picked.
	onPick func(i int)
	// onSubmit is called for Enter with no suggestion showing.
	onSubmit func()
}

func newTypeahead(placeholder string) *typeahead {
	t := &typeahead{entry: kit.NewKeyEntry(), rows: container.NewVBox()}
	t.entry.SetPlaceHolder(placeholder)
	t.entry.OnChanged = func(s string) {
		if s == t.picked && s != "" {
			t.setItems(nil)
			return
		}
		t.picked = ""
		if t.onChanged != nil {
			t.onChanged(s)
		}
	}
	t.entry.OnKey = t.key
	t.entry.OnSubmitted = func(string) {
		if len(t.items) > 0 {
			t.pick(t.sel)
			return
		}
		if t.onSubmit != nil {
			t.onSubmit()
		}
	}
	t.box = container.NewVBox(t.entry, t.rows)
	return t
}

func (t *typeahead) key(k *fyne.KeyEvent) bool {
	switch k.Name {
	case fyne.KeyDown:
		if len(t.items) > 0 {
			t.highlight(min(t.sel+1, len(t.items)-1))
			return true
		}
	case fyne.KeyUp:
		if len(t.items) > 0 {
			t.highlight(max(t.sel-1, 0))
			return true
		}
	case fyne.KeyEscape:
		if len(t.items) > 0 {
			t.setItems(nil)
			return true
		}
	}
	return false
}

// setItems shows suggestions (at most maxSuggestions), the first
// highlighted.
func (t *typeahead) setItems(items []string) {
	if len(items) > maxSuggestions {
		items = items[:maxSuggestions]
	}
	t.items = items
	t.sel = 0
	objs := make([]fyne.CanvasObject, len(items))
	for i, s := range items {
		l := widget.NewLabel(s)
		l.Truncation = fyne.TextTruncateEllipsis
		row := kit.NewTapRow(l, func() { t.pick(i) })
		row.SetSelected(i == 0)
		objs[i] = row
	}
	t.rows.Objects = objs
	t.rows.Refresh()
}

func (t *typeahead) highlight(i int) {
	t.sel = i
	for j, o := range t.rows.Objects {
		o.(*kit.TapRow).SetSelected(j == i)
	}
}

// pick chooses suggestion i: the owner's onPick sets the entry text with
// setPicked.
func (t *typeahead) pick(i int) {
	if i < 0 || i >= len(t.items) {
		return
	}
	if t.onPick != nil {
		t.onPick(i)
	}
	t.setItems(nil)
}

// setPicked sets the entry text without reopening the suggestions.
func (t *typeahead) setPicked(text string) {
	t.picked = text
	t.entry.SetText(text)
	t.entry.CursorColumn = len([]rune(text))
	t.setItems(nil)
}

// suggestions returns the suggestions showing.
func (t *typeahead) suggestions() []string { return t.items }
