package kit_test

import (
	"testing"

	"fyne.io/fyne/v2"

	"github.com/puntos-ar/puntos/ui/kit"
)

func TestWindowSize(t *testing.T) {
	def := fyne.NewSize(1280, 800)
	for _, c := range []struct {
		name, remembered string
		want             fyne.Size
	}{
		{"Default", "", fyne.NewSize(1280, 680)},
		{"Remembered", "1100x640", fyne.NewSize(1100, 640)},
		{"TooLarge", "1920x1080", fyne.NewSize(1280, 680)},
		{"TooSmall", "300x200", fyne.NewSize(800, 560)},
		{"Garbage", "grande", fyne.NewSize(1280, 680)},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := kit.WindowSize(c.remembered, def); got != c.want {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
	if got := kit.SizeText(fyne.NewSize(1100.4, 639.6)); got != "1100x640" {
		t.Errorf("SizeText: %q", got)
	}
	if got := kit.WindowSize(kit.SizeText(fyne.NewSize(1000, 600)), def); got != fyne.NewSize(1000, 600) {
		t.Errorf("round trip: %v", got)
	}
}
