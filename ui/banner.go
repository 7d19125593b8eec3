package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/puntos-ar/puntos/ui/kit"
)

// bannerKind is what the check-in banner reports.
type bannerKind int

const (
	bannerIdle    bannerKind = iota // waiting for the next person
	bannerOK                        // checked in
	bannerAlready                   // was already checked in
	bannerUnknown                   // not on the roster
	bannerError                     // nothing was recorded
)

var bannerColors = map[bannerKind]color.Color{
	bannerIdle: kit.ColorIdle, bannerOK: kit.ColorOK, bannerAlready: kit.ColorInfo,
	bannerUnknown: kit.ColorWarn, bannerError: kit.ColorError,
}

// banner is the colored card that tells, from a step away, what the last
// Enter or scan did and to whom; compact, so the matches of a search keep
// their room.
type banner struct {
	kind    bannerKind
	bg      *canvas.Rectangle
	title   *widget.Label
	name    *widget.Label
	detail  *widget.Label
	content fyne.CanvasObject
}

func newBanner() *banner {
	b := &banner{bg: canvas.NewRectangle(kit.ColorIdle)}
	b.bg.CornerRadius = 10
	b.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	b.title.SizeName = theme.SizeNameSubHeadingText
	b.name = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	b.name.SizeName = theme.SizeNameHeadingText
	b.name.Truncation = fyne.TextTruncateEllipsis
	b.detail = widget.NewLabel("")
	b.detail.Wrapping = fyne.TextWrapWord
	text := container.New(layout.NewCustomPaddedVBoxLayout(-8), b.title, b.name, b.detail)
	b.content = container.NewThemeOverride(
		container.NewStack(b.bg, container.New(&kit.PaddedBy{H: 12, V: 2}, text)), bannerTheme)
	return b
}

// show sets the banner; an empty name or detail hides that line.
func (b *banner) show(kind bannerKind, title, name, detail string) {
	b.kind = kind
	b.bg.FillColor = bannerColors[kind]
	b.bg.Refresh()
	b.title.SetText(title)
	b.name.SetText(name)
	b.name.Hidden = name == ""
	b.detail.SetText(detail)
	b.detail.Hidden = detail == ""
	b.content.Refresh()
}

// bannerTheme draws white text, larger, for the banner's colored box.
var bannerTheme = kit.Override{
	Colors: map[fyne.ThemeColorName]color.Color{
		theme.ColorNameForeground: color.White,
		theme.ColorNameDisabled:   color.NRGBA{0xff, 0xff, 0xff, 0xcc},
	},
	Sizes: map[fyne.ThemeSizeName]float32{
		theme.SizeNameHeadingText:    24,
		theme.SizeNameSubHeadingText: 18,
		theme.SizeNameText:           15,
	},
}
