package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/puntos-ar/puntos/ui/kit"
)

// Language choices, written in their own language.
const (
	langSpanish = "Español (Argentina)"
	langEnglish = "English"
)

// settingsView holds the app's settings: the language (remembered in the
// store), where the data lives and the enrollment with the registry.
type settingsView struct {
	a       *App
	lang    *widget.RadioGroup
	about   *widget.Button
	enroll  *enrollView
	content fyne.CanvasObject
}

func newSettingsView(a *App) *settingsView {
	v := &settingsView{a: a}
	v.lang = widget.NewRadioGroup([]string{langSpanish, langEnglish}, func(s string) {
		if s == langEnglish {
			a.setLang("en")
		} else if s == langSpanish {
			a.setLang("es")
		}
	})
	v.lang.Required = true
	if a.lang == "en" {
		v.lang.Selected = langEnglish
	} else {
		v.lang.Selected = langSpanish
	}
	dir := widget.NewLabel(a.opt.DataDir)
	dir.Selectable = true
	dir.Wrapping = fyne.TextWrapBreak
	if a.opt.DataDir == "" {
		dir.SetText("—")
	}
	v.about = widget.NewButtonWithIcon(a.tr("nav.about"), theme.InfoIcon(), a.showAbout)
	v.enroll = newEnrollView(a) // Ajustes → Registro central (sync_enroll.go)
	page := container.NewVBox(
		kit.Heading(a.tr("settings.title")),
		widget.NewSeparator(),
		kit.Bold(a.tr("settings.language")), v.lang, kit.Muted(a.tr("settings.languageHint")),
		widget.NewSeparator(),
		kit.Bold(a.tr("settings.dataDir")), dir, kit.Muted(a.tr("settings.dataDirHint")),
		widget.NewSeparator(),
		v.enroll.content, widget.NewSeparator(),
		officeEntry(a), widget.NewSeparator(), // Ajustes → Oficina emisora (office.go)
		verifyEntry(a), widget.NewSeparator(), // Ajustes → Verificar certificado (verify.go)
		centralEntry(a), widget.NewSeparator(), // Ajustes → Central (centralentry.go)
		container.NewHBox(v.about),
	)
	v.content = container.NewVScroll(container.New(&kit.PaddedBy{H: 24, V: 12}, kit.Centered(720, page)))
	return v
}
