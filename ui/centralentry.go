package ui

import (
	"log/slog"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/puntos-ar/puntos/ui/central"
	"github.com/puntos-ar/puntos/ui/kit"
)

// Remembered setting of the Central workspace.
const settingCentralURL = "central_url"

// centralEntry is the Central section of the settings screen: a button
// that opens the workspace (package central) in its own window.
func centralEntry(a *App) fyne.CanvasObject {
	open := widget.NewButtonWithIcon(a.tr("centralEntry.open"), theme.ComputerIcon(), func() { a.openCentral() })
	return container.NewVBox(kit.Bold(a.tr("centralEntry.title")), kit.Muted(a.tr("centralEntry.hint")), container.NewHBox(open))
}

// centralURL is the registry address to offer on the login form: the one
// last used, else the device's registry, else a local one.
func (a *App) centralURL() string {
	if u, err := a.st.Setting(a.ctx, settingCentralURL, ""); err == nil && u != "" {
		return u
	}
	if e, err := a.st.Enrollment(a.ctx); err == nil && e.Registry != "" {
		return e.Registry
	}
	return "http://127.0.0.1:8080"
}

// openCentral opens the Central workspace in a new window, which titles
// it.
func (a *App) openCentral() *central.Workspace {
	w := fyne.CurrentApp().NewWindow("")
	w.SetIcon(Icon())
	c := central.New(w, central.Options{URL: a.centralURL(), Lang: a.lang, OnLogin: func(u string) {
		a.work.Write(func() {
			if err := a.st.SetSetting(a.ctx, settingCentralURL, u); err != nil {
				slog.Error("save central url", "err", err)
			}
		})
	}})
	a.sizeWindow(w, settingCentralSize, c.Close)
	w.Show()
	return c
}
