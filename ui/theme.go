package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// Colors of the app: Argentine celeste, deepened where white text sits on
// it so it keeps a contrast ratio of at least 4.5:1.
var (
	colorPrimary  = color.NRGBA{0x1f, 0x6f, 0xb2, 0xff} // deep celeste
	colorCeleste  = color.NRGBA{0x74, 0xac, 0xdf, 0xff}
	colorBar      = color.NRGBA{0xee, 0xf3, 0xf8, 0xff} // header and status bar
	colorRowAlt   = color.NRGBA{0xf6, 0xf8, 0xfb, 0xff}
	colorHover    = color.NRGBA{0xe3, 0xee, 0xf8, 0xff}
	colorSelected = color.NRGBA{0xd2, 0xe5, 0xf7, 0xff}
	colorOK       = color.NRGBA{0x1b, 0x7a, 0x35, 0xff} // checked in
	colorInfo     = color.NRGBA{0x1f, 0x5f, 0xa8, 0xff} // already checked in
	colorWarn     = color.NRGBA{0xa8, 0x4a, 0x00, 0xff} // not on the roster
	colorError    = color.NRGBA{0xb3, 0x26, 0x1e, 0xff}
	colorIdle     = color.NRGBA{0x55, 0x61, 0x6e, 0xff}

	// Text: Fyne's light grays (#565656 text, #e3e3e3 for muted labels)
	// are too faint for a day's work; these keep 4.5:1 on white, muted
	// text included.
	colorText        = color.NRGBA{0x1f, 0x29, 0x33, 0xff}
	colorMuted       = color.NRGBA{0x5f, 0x6b, 0x78, 0xff}
	colorPlaceholder = color.NRGBA{0x8a, 0x95, 0xa3, 0xff}
	colorBorder      = color.NRGBA{0xb8, 0xc3, 0xcf, 0xff}
)

// appTheme is Fyne's light theme with the app's colors. It stays light
// whatever the system says: instructors work in bright rooms and on
// projectors, where a dark window washes out.
type appTheme struct{}

// Theme returns the app's theme; cmd/puntos sets it on the app.
func Theme() fyne.Theme { return appTheme{} }

func (appTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	switch n {
	case theme.ColorNamePrimary, theme.ColorNameFocus:
		return colorPrimary
	case theme.ColorNameHyperlink:
		return colorPrimary
	case theme.ColorNameSelection:
		return colorSelected
	case theme.ColorNameHover:
		return color.NRGBA{0x1f, 0x6f, 0xb2, 0x1c}
	case theme.ColorNameHeaderBackground:
		return colorBar
	case theme.ColorNameForeground:
		return colorText
	case theme.ColorNameDisabled:
		return colorMuted
	case theme.ColorNamePlaceHolder:
		return colorPlaceholder
	case theme.ColorNameInputBorder:
		return colorBorder
	case theme.ColorNameError:
		return colorError
	case theme.ColorNameWarning:
		return colorWarn
	case theme.ColorNameSuccess:
		return colorOK
	}
	return theme.DefaultTheme().Color(n, theme.VariantLight)
}

func (appTheme) Font(s fyne.TextStyle) fyne.Resource { return theme.DefaultTheme().Font(s) }

func (appTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return theme.DefaultTheme().Icon(n) }

func (appTheme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNameText:
		return 15
	case theme.SizeNameSubHeadingText:
		return 19
	case theme.SizeNameHeadingText:
		return 26
	case theme.SizeNameCaptionText:
		return 13
	}
	return theme.DefaultTheme().Size(n)
}

// bannerTheme draws white text for the check-in banner's colored box.
type bannerTheme struct{ appTheme }

func (t bannerTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	switch n {
	case theme.ColorNameForeground:
		return color.White
	case theme.ColorNameDisabled:
		return color.NRGBA{0xff, 0xff, 0xff, 0xcc}
	}
	return t.appTheme.Color(n, v)
}

func (t bannerTheme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNameHeadingText:
		return 30
	case theme.SizeNameSubHeadingText:
		return 24
	case theme.SizeNameText:
		return 17
	}
	return t.appTheme.Size(n)
}

// bigTheme enlarges the check-in input, read from a step away.
type bigTheme struct{ appTheme }

func (t bigTheme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNameText:
		return 26
	case theme.SizeNameInputBorder:
		return 3
	case theme.SizeNameInnerPadding:
		return 12
	}
	return t.appTheme.Size(n)
}
