package kit

import (
	"fmt"

	"fyne.io/fyne/v2"
)

// MaxWindow is the largest size a window opens at: on a 1280×720 screen,
// the most common in public offices, it leaves room for the taskbar, so
// the status bar at the bottom stays in sight.
var MaxWindow = fyne.NewSize(1280, 680)

// MinWindow is the smallest size a remembered one is taken down to.
var MinWindow = fyne.NewSize(800, 560)

// WindowSize returns the size to open a window at: the one remembered
// (as SizeText wrote it) when it reads, else def; never larger than
// MaxWindow nor smaller than MinWindow. Fyne 2.7 does not tell an app the
// screen's size, so MaxWindow stands for the smallest screen expected.
func WindowSize(remembered string, def fyne.Size) fyne.Size {
	s := def
	var w, h float32
	if n, err := fmt.Sscanf(remembered, "%gx%g", &w, &h); err == nil && n == 2 {
		s = fyne.NewSize(w, h)
	}
	return fyne.NewSize(min(max(s.Width, MinWindow.Width), MaxWindow.Width),
		min(max(s.Height, MinWindow.Height), MaxWindow.Height))
}

// SizeText writes a window's size to remember it: "1280x680".
func SizeText(s fyne.Size) string {
	return fmt.Sprintf("%gx%g", float32(int(s.Width+0.5)), float32(int(s.Height+0.5)))
}
