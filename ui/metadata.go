package ui

//go:generate go run ./internal/genmeta ..

import "fyne.io/fyne/v2"

// Metadata returns the app's metadata from FyneApp.toml (name, ID,
// version, build, icon, migrations), for app.SetMetadata.
func Metadata() fyne.AppMetadata {
	m := metadata
	m.Icon = Icon()
	m.Custom = map[string]string{}
	return m
}

var icon = fyne.NewStaticResource(iconName, []byte(iconPNG))

// Icon returns the app's icon.
func Icon() fyne.Resource { return icon }
