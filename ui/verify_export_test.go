package ui

import (
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// VerifyButton returns the settings screen's button that opens the
// "Verificar certificado" screen.
func (a *App) VerifyButton() *widget.Button {
	for _, o := range test.LaidOutObjects(a.settings.content) {
		if b, ok := o.(*widget.Button); ok && b.Text == a.tr("verify.open") {
			return b
		}
	}
	return nil
}

// VerifyInput returns the input of the verification screen showing, and
// the texts of its labels.
func (a *App) VerifyInput() (*widget.Entry, []string) {
	top := a.win.Canvas().Overlays().Top()
	if top == nil {
		return nil, nil
	}
	var in *widget.Entry
	var texts []string
	for _, o := range test.LaidOutObjects(top) {
		switch w := o.(type) {
		case *widget.Entry:
			in = w
		case *widget.Label:
			texts = append(texts, w.Text)
		}
	}
	return in, texts
}
