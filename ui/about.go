package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/puntos-ar/puntos/storage/geo"
	"github.com/puntos-ar/puntos/ui/kit"
)

// aboutText returns the app's name, version and build from the running
// app's metadata (FyneApp.toml), with fallbacks when it is empty, as it
// is under the test driver.
func (a *App) aboutText() (name, version string) {
	var m fyne.AppMetadata
	if app := fyne.CurrentApp(); app != nil {
		m = app.Metadata()
	}
	name = m.Name
	if name == "" {
		name = "Puntos"
	}
	switch {
	case m.Version == "":
		version = a.tr("about.devVersion")
	case m.Build > 0:
		version = a.tr("about.version", m.Version, m.Build)
	default:
		version = a.tr("about.versionNoBuild", m.Version)
	}
	return name, version
}

// showAbout shows the "Acerca de" dialog.
func (a *App) showAbout() {
	name, version := a.aboutText()
	icon := canvas.NewImageFromResource(Icon())
	icon.FillMode = canvas.ImageFillContain
	icon.SetMinSize(fyne.NewSize(96, 96))
	title := kit.Heading(name)
	title.Alignment = fyne.TextAlignCenter
	ver := widget.NewLabel(version)
	ver.Alignment = fyne.TextAlignCenter
	desc := widget.NewLabel(a.tr("about.description"))
	desc.Wrapping = fyne.TextWrapWord
	desc.Alignment = fyne.TextAlignCenter
	credit := kit.Muted(geo.Attribution)
	credit.Alignment = fyne.TextAlignCenter
	id := ""
	if app := fyne.CurrentApp(); app != nil {
		id = app.Metadata().ID
	}
	idLabel := kit.Muted(fmt.Sprint(id))
	idLabel.Alignment = fyne.TextAlignCenter
	content := container.New(&kit.FixedWidth{W: 420}, container.NewVBox(
		container.NewCenter(icon), title, ver, desc, credit, idLabel))
	dialog.NewCustom(a.tr("nav.about"), a.tr("dialog.close"), content, a.win).Show()
}
