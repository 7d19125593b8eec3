package central

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
)

// reasonBox is an inline "reason + confirm" panel for actions that need
// a why (reject, revoke, reverse): no dialog, so it is typed into like
// any form.
type reasonBox struct {
	label    *widget.Label
	reason   *widget.Entry
	err      *widget.Label // why the reason cannot go, under it
	confirm  *widget.Button
	cancel   *widget.Button
	box      *fyne.Container
	onOK     func(reason string)
	relayout func() // lays the page out again when the box shows or hides
}

// newReasonBox makes a hidden reason panel; relayout refreshes the page
// that holds it.
func newReasonBox(c *Workspace, confirm string, relayout func()) *reasonBox {
	r := &reasonBox{label: widget.NewLabel(""), reason: widget.NewEntry(), err: errorLabel(), relayout: relayout}
	r.label.Wrapping = fyne.TextWrapWord
	r.reason.SetPlaceHolder(c.tr("reason.hint"))
	r.reason.OnChanged = func(string) { r.setError("") }
	r.confirm = widget.NewButton(confirm, func() {
		if strings.TrimSpace(r.reason.Text) == "" {
			r.setError(c.tr("reason.missing"))
			c.win.Canvas().Focus(r.reason)
			return
		}
		if r.onOK != nil {
			r.onOK(strings.TrimSpace(r.reason.Text))
		}
	})
	r.confirm.Importance = widget.DangerImportance
	r.cancel = widget.NewButton(c.tr("dialog.cancel"), r.hide)
	r.box = container.NewVBox(r.label, r.reason, r.err, container.NewHBox(layout.NewSpacer(), r.cancel, r.confirm))
	r.box.Hide()
	return r
}

// ask shows the panel with a question; ok runs with the reason typed.
func (r *reasonBox) ask(question string, ok func(reason string)) {
	r.label.SetText(question)
	r.reason.SetText("")
	r.err.Hide()
	r.onOK = ok
	r.box.Show()
	r.relayout()
}

// setError shows msg under the reason, or hides it when msg is "", and
// lays the page out again.
func (r *reasonBox) setError(msg string) {
	if msg == "" && !r.err.Visible() {
		return
	}
	setError(r.err, msg)
	r.relayout()
}

func (r *reasonBox) hide() {
	if r.box.Visible() {
		r.box.Hide()
		r.relayout()
	}
}
