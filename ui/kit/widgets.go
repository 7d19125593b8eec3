package kit

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

// KeyEntry is a single-line entry that lets its owner take some keys
// (arrows to move through suggestions, Escape to clear) before the entry
// handles them.
type KeyEntry struct {
	widget.Entry
	// OnKey returns true when it handled the key.
	OnKey func(*fyne.KeyEvent) bool
}

// NewKeyEntry returns an empty entry.
func NewKeyEntry() *KeyEntry {
	e := &KeyEntry{}
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey gives OnKey the first look at a key.
func (e *KeyEntry) TypedKey(k *fyne.KeyEvent) {
	if e.OnKey != nil && !e.Disabled() && e.OnKey(k) {
		return
	}
	e.Entry.TypedKey(k)
}

// TapRow is a tappable row with a hover and a selected background, for
// short lists of results.
type TapRow struct {
	widget.BaseWidget
	bg       *canvas.Rectangle
	content  fyne.CanvasObject
	onTap    func()
	selected bool
	hovered  bool
}

// NewTapRow returns a row showing content that runs onTap when tapped.
func NewTapRow(content fyne.CanvasObject, onTap func()) *TapRow {
	r := &TapRow{bg: canvas.NewRectangle(color.Transparent), content: content, onTap: onTap}
	r.bg.CornerRadius = 4
	r.ExtendBaseWidget(r)
	return r
}

// CreateRenderer draws the background under the padded content.
func (r *TapRow) CreateRenderer() fyne.WidgetRenderer {
	pad := theme.Padding()
	return widget.NewSimpleRenderer(container.NewStack(r.bg, container.New(&PaddedBy{H: pad, V: pad / 2}, r.content)))
}

// Tapped runs the row's action.
func (r *TapRow) Tapped(*fyne.PointEvent) {
	if r.onTap != nil {
		r.onTap()
	}
}

// Cursor shows a pointing hand over the row.
func (r *TapRow) Cursor() desktop.Cursor { return desktop.PointerCursor }

// MouseIn highlights the row.
func (r *TapRow) MouseIn(*desktop.MouseEvent) { r.hovered = true; r.Refresh() }

// MouseMoved does nothing.
func (r *TapRow) MouseMoved(*desktop.MouseEvent) {}

// MouseOut removes the highlight.
func (r *TapRow) MouseOut() { r.hovered = false; r.Refresh() }

// SetSelected marks the row as the chosen one, or not.
func (r *TapRow) SetSelected(on bool) {
	if r.selected != on {
		r.selected = on
		r.Refresh()
	}
}

// Refresh repaints the background for the row's state.
func (r *TapRow) Refresh() {
	switch {
	case r.selected:
		r.bg.FillColor = ColorSelected
	case r.hovered:
		r.bg.FillColor = ColorHover
	default:
		r.bg.FillColor = color.Transparent
	}
	r.bg.Refresh()
	r.BaseWidget.Refresh()
}

// Columns lays out a row's cells with fixed widths and weighted shares
// of the rest, so a header and its rows line up.
type Columns struct {
	widths []float32 // > 0: fixed width; < 0: weight of the remaining space
}

// NewColumns returns the layout with one width a column.
func NewColumns(widths ...float32) *Columns { return &Columns{widths: widths} }

// MinSize is the fixed widths plus a little for each weighted column.
func (c *Columns) MinSize(objs []fyne.CanvasObject) fyne.Size {
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

// Layout places the cells side by side, centered vertically.
func (c *Columns) Layout(objs []fyne.CanvasObject, size fyne.Size) {
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

// Field is a labelled input with its error text under it, shown in red
// next to what caused it.
type Field struct {
	label *widget.Label
	err   *widget.Label
	// Box holds the label, the input and the error, to put in a form.
	Box *fyne.Container
}

// NewField returns input under a bold label, with no error shown.
func NewField(label string, input fyne.CanvasObject) *Field {
	f := &Field{
		label: Bold(label),
		err:   widget.NewLabel(""),
	}
	f.err.Importance = widget.DangerImportance
	f.err.Wrapping = fyne.TextWrapWord
	f.err.Hide()
	f.Box = container.NewVBox(f.label, input, f.err)
	return f
}

// SetError shows msg under the input, or hides the error when msg is "".
func (f *Field) SetError(msg string) {
	f.err.SetText(msg)
	if msg == "" {
		f.err.Hide()
	} else {
		f.err.Show()
	}
}

// ErrorText returns the error shown, "" when none.
func (f *Field) ErrorText() string {
	if !f.err.Visible() {
		return ""
	}
	return f.err.Text
}

// Badge is a small colored label, for states like "Abierta".
type Badge struct {
	bg *canvas.Rectangle
	// Text is the badge's text.
	Text *canvas.Text
	// Box is the badge, to put in a layout.
	Box *fyne.Container
}

// NewBadge returns an empty badge.
func NewBadge() *Badge {
	b := &Badge{bg: canvas.NewRectangle(ColorIdle), Text: canvas.NewText("", color.White)}
	b.bg.CornerRadius = 10
	b.Text.TextStyle = fyne.TextStyle{Bold: true}
	b.Text.TextSize = 13
	b.Text.Alignment = fyne.TextAlignCenter
	b.Box = container.NewStack(b.bg, container.New(&PaddedBy{H: 10, V: 3}, b.Text))
	return b
}

// Set shows text on the color c.
func (b *Badge) Set(text string, c color.Color) {
	b.Text.Text = text
	b.bg.FillColor = c
	b.Box.Refresh()
}

// PaddedBy pads its one object by H horizontally and V vertically.
type PaddedBy struct{ H, V float32 }

// MinSize is the largest object's plus the padding.
func (p *PaddedBy) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return s.Add(fyne.NewSize(2*p.H, 2*p.V))
}

// Layout fills the space inside the padding.
func (p *PaddedBy) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(p.H, p.V))
		o.Resize(size.Subtract(fyne.NewSize(2*p.H, 2*p.V)))
	}
}

// FixedWidth gives its objects a fixed minimum width.
type FixedWidth struct{ W float32 }

// MinSize is W wide and as tall as the tallest object.
func (f *FixedWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return fyne.NewSize(f.W, s.Height)
}

// Layout gives every object the whole space.
func (f *FixedWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

// Heading returns a bold label in the heading size.
func Heading(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameSubHeadingText
	return l
}

// Muted returns a label in the muted color, for hints.
func Muted(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Importance = widget.LowImportance
	l.Wrapping = fyne.TextWrapWord
	return l
}

// Centered puts content in a column of width w, centered across and
// starting at the top.
func Centered(w float32, content fyne.CanvasObject) fyne.CanvasObject {
	return container.NewHBox(layout.NewSpacer(), container.New(&FixedWidth{W: w}, content), layout.NewSpacer())
}

// Bar puts objects on a colored background strip.
func Bar(c color.Color, obj fyne.CanvasObject) fyne.CanvasObject {
	return container.NewStack(canvas.NewRectangle(c), obj)
}

// Bold returns a bold label, for field names and titles.
func Bold(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// NewEntry returns an empty single-line entry showing placeholder.
func NewEntry(placeholder string) *widget.Entry {
	e := widget.NewEntry()
	e.SetPlaceHolder(placeholder)
	return e
}
