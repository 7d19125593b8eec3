package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// keyEntry is a single-line entry that lets its owner take some keys
// (arrows to move through suggestions, Escape to clear) before the entry
// handles them.
type keyEntry struct {
	widget.Entry
	// onKey returns true when it handled the key.
	onKey func(*fyne.KeyEvent) bool
}

func newKeyEntry() *keyEntry {
	e := &keyEntry{}
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey gives onKey the first look at a key.
func (e *keyEntry) TypedKey(k *fyne.KeyEvent) {
	if e.onKey != nil && !e.Disabled() && e.onKey(k) {
		return
	}
	e.Entry.TypedKey(k)
}

// tapRow is a tappable row with a hover and a selected background, for
// short lists of results.
type tapRow struct {
	widget.BaseWidget
	bg       *canvas.Rectangle
	content  fyne.CanvasObject
	onTap    func()
	selected bool
	hovered  bool
}

func newTapRow(content fyne.CanvasObject, onTap func()) *tapRow {
	r := &tapRow{bg: canvas.NewRectangle(color.Transparent), content: content, onTap: onTap}
	r.bg.CornerRadius = 4
	r.ExtendBaseWidget(r)
	return r
}

func (r *tapRow) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewStack(r.bg, container.NewPadded(r.content)))
}

// Tapped runs the row's action.
func (r *tapRow) Tapped(*fyne.PointEvent) {
	if r.onTap != nil {
		r.onTap()
	}
}

// Cursor shows a pointing hand over the row.
func (r *tapRow) Cursor() desktop.Cursor { return desktop.PointerCursor }

// MouseIn highlights the row.
func (r *tapRow) MouseIn(*desktop.MouseEvent) { r.hovered = true; r.Refresh() }

// MouseMoved does nothing.
func (r *tapRow) MouseMoved(*desktop.MouseEvent) {}

// MouseOut removes the highlight.
func (r *tapRow) MouseOut() { r.hovered = false; r.Refresh() }

func (r *tapRow) setSelected(on bool) {
	if r.selected != on {
		r.selected = on
		r.Refresh()
	}
}

// Refresh repaints the background for the row's state.
func (r *tapRow) Refresh() {
	switch {
	case r.selected:
		r.bg.FillColor = colorSelected
	case r.hovered:
		r.bg.FillColor = colorHover
	default:
		r.bg.FillColor = color.Transparent
	}
	r.bg.Refresh()
	r.BaseWidget.Refresh()
}

// columns lays out a row's cells with fixed widths and weighted shares
// of the rest, so a header and its rows line up.
type columns struct {
	widths []float32 // > 0: fixed width; < 0: weight of the remaining space
}

func newColumns(widths ...float32) *columns { return &columns{widths: widths} }

func (c *columns) MinSize(objs []fyne.CanvasObject) fyne.Size {
	pad := theme.Padding()
	var w, h float32
	for i, o := range objs {
		if !o.Visible() || i >= len(c.widths) {
			continue
		}
		m := o.MinSize()
		if c.widths[i] > 0 {
			w += c.widths[i]
		} else {
			w += 40
		}
		h = max(h, m.Height)
	}
	return fyne.NewSize(w+pad*float32(len(objs)-1), h)
}

func (c *columns) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	free := size.Width - pad*float32(len(objs)-1)
	var weights float32
	for i := range objs {
		if i < len(c.widths) && c.widths[i] > 0 {
			free -= c.widths[i]
		} else if i < len(c.widths) {
			weights -= c.widths[i]
		}
	}
	free = max(free, 0)
	x := float32(0)
	for i, o := range objs {
		if i >= len(c.widths) {
			o.Hide()
			continue
		}
		w := c.widths[i]
		if w < 0 {
			w = free * (-w) / weights
		}
		h := o.MinSize().Height
		o.Resize(fyne.NewSize(w, min(h, size.Height)))
		o.Move(fyne.NewPos(x, (size.Height-min(h, size.Height))/2))
		x += w + pad
	}
}

// field is a labelled input with its error text under it, shown in red
// next to what caused it.
type field struct {
	label *widget.Label
	input fyne.CanvasObject
	err   *widget.Label
	box   *fyne.Container
}

func newField(label string, input fyne.CanvasObject) *field {
	f := &field{
		label: widget.NewLabelWithStyle(label, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		input: input,
		err:   widget.NewLabel(""),
	}
	f.err.Importance = widget.DangerImportance
	f.err.Wrapping = fyne.TextWrapWord
	f.err.Hide()
	f.box = container.NewVBox(f.label, input, f.err)
	return f
}

// setError shows msg under the input, or hides the error when msg is "".
func (f *field) setError(msg string) {
	f.err.SetText(msg)
	if msg == "" {
		f.err.Hide()
	} else {
		f.err.Show()
	}
}

// errorText returns the error shown, "" when none.
func (f *field) errorText() string {
	if !f.err.Visible() {
		return ""
	}
	return f.err.Text
}

// badge is a small colored label, for states like "Abierta".
type badge struct {
	bg   *canvas.Rectangle
	text *canvas.Text
	box  *fyne.Container
}

func newBadge() *badge {
	b := &badge{bg: canvas.NewRectangle(colorIdle), text: canvas.NewText("", color.White)}
	b.bg.CornerRadius = 10
	b.text.TextStyle = fyne.TextStyle{Bold: true}
	b.text.TextSize = 13
	b.text.Alignment = fyne.TextAlignCenter
	b.box = container.NewStack(b.bg, container.New(&paddedBy{h: 10, v: 3}, b.text))
	return b
}

func (b *badge) set(text string, c color.Color) {
	b.text.Text = text
	b.bg.FillColor = c
	b.box.Refresh()
}

// paddedBy pads its one object by h horizontally and v vertically.
type paddedBy struct{ h, v float32 }

func (p *paddedBy) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return s.Add(fyne.NewSize(2*p.h, 2*p.v))
}

func (p *paddedBy) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(p.h, p.v))
		o.Resize(size.Subtract(fyne.NewSize(2*p.h, 2*p.v)))
	}
}

// fixedWidth gives its objects a fixed minimum width.
type fixedWidth struct{ w float32 }

func (f *fixedWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return fyne.NewSize(f.w, s.Height)
}

func (f *fixedWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

// heading returns a bold label in the heading size.
func heading(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameSubHeadingText
	return l
}

// muted returns a label in the muted color, for hints.
func muted(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Importance = widget.LowImportance
	l.Wrapping = fyne.TextWrapWord
	return l
}

// centered puts content in a column of width w, centered across and
// starting at the top.
func centered(w float32, content fyne.CanvasObject) fyne.CanvasObject {
	return container.NewHBox(layout.NewSpacer(), container.New(&fixedWidth{w: w}, content), layout.NewSpacer())
}

// bar puts objects on a colored background strip.
func bar(c color.Color, obj fyne.CanvasObject) fyne.CanvasObject {
	return container.NewStack(canvas.NewRectangle(c), obj)
}
