package kit

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// Colors of the app: Argentine celeste, deepened where white text sits on
// it so it keeps a contrast ratio of at least 4.5:1.
var (
	ColorPrimary  = color.NRGBA{0x1f, 0x6f, 0xb2, 0xff} // deep celeste
	ColorBar      = color.NRGBA{0xee, 0xf3, 0xf8, 0xff} // header and status bar
	ColorRowAlt   = color.NRGBA{0xf6, 0xf8, 0xfb, 0xff}
	ColorHover    = color.NRGBA{0xe3, 0xee, 0xf8, 0xff}
	ColorSelected = color.NRGBA{0xd2, 0xe5, 0xf7, 0xff}
	ColorOK       = color.NRGBA{0x1b, 0x7a, 0x35, 0xff} // checked in
	ColorInfo     = color.NRGBA{0x1f, 0x5f, 0xa8, 0xff} // already checked in
	ColorWarn     = color.NRGBA{0xa8, 0x4a, 0x00, 0xff} // not on the roster
	ColorError    = color.NRGBA{0xb3, 0x26, 0x1e, 0xff}
	ColorIdle     = color.NRGBA{0x55, 0x61, 0x6e, 0xff}

	// Text: Fyne's light grays (#565656 text, #e3e3e3 for muted labels)
	// are too faint for a day's work; these keep 4.5:1 on white, muted
	// text included.
	ColorText        = color.NRGBA{0x1f, 0x29, 0x33, 0xff}
	ColorMuted       = color.NRGBA{0x5f, 0x6b, 0x78, 0xff}
	ColorPlaceholder = color.NRGBA{0x8a, 0x95, 0xa3, 0xff}
	ColorBorder      = color.NRGBA{0xb8, 0xc3, 0xcf, 0xff}
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
		return ColorPrimary
	case theme.ColorNameHyperlink:
		return ColorPrimary
	case theme.ColorNameSelection:
		return ColorSelected
	case theme.ColorNameHover:
		return color.NRGBA{0x1f, 0x6f, 0xb2, 0x1c}
	case theme.ColorNameHeaderBackground:
		return ColorBar
	case theme.ColorNameForeground:
		return ColorText
	case theme.ColorNameDisabled:
		return ColorMuted
	case theme.ColorNamePlaceHolder:
		return ColorPlaceholder
	case theme.ColorNameInputBorder:
		return ColorBorder
	case theme.ColorNameError:
		return ColorError
	case theme.ColorNameWarning:
		return ColorWarn
	case theme.ColorNameSuccess:
		return ColorOK
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

// Override is the app's theme with some colors and sizes replaced, for
// a part of a window (container.NewThemeOverride): white text on a
// colored box, a larger input.
type Override struct {
	// Colors replace the app's colors of these names.
	Colors map[fyne.ThemeColorName]color.Color
	// Sizes replace the app's sizes of these names.
	Sizes map[fyne.ThemeSizeName]float32
}

// Color returns the replaced color of n, else the app's.
func (o Override) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if c, ok := o.Colors[n]; ok {
		return c
	}
	return appTheme{}.Color(n, v)
}

// Font returns the app's font.
func (Override) Font(s fyne.TextStyle) fyne.Resource { return appTheme{}.Font(s) }

// Icon returns the app's icon.
func (Override) Icon(n fyne.ThemeIconName) fyne.Resource { return appTheme{}.Icon(n) }

// Size returns the replaced size of n, else the app's.
func (o Override) Size(n fyne.ThemeSizeName) float32 {
	if s, ok := o.Sizes[n]; ok {
		return s
	}
	return appTheme{}.Size(n)
}
