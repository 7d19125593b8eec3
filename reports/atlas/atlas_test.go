package atlas_test

import (
	"bytes"
	"image/color"
	"image/png"
	"testing"

	"github.com/puntos-ar/puntos/reports/atlas"
	"github.com/puntos-ar/puntos/storage/geo"
)

func locate(t testing.TB, prov, name string) geo.Point {
	t.Helper()
	p, ok := geo.Locate(prov, name)
	if !ok {
		t.Fatalf("no %s in %s", name, prov)
	}
	return p
}

// TestPNG decodes the PNG and looks at its pixels: the faint dots draw
// the country (and nothing is drawn off it), and the places reached are
// coloured, the one with most attendees darkest.
func TestPNG(t *testing.T) {
	cordoba, salta := locate(t, "14", "Córdoba"), locate(t, "66", "Salta")
	m := atlas.Map{Reached: []atlas.Reached{{Point: cordoba, Attendees: 900}, {Point: salta, Attendees: 3}}}
	var buf bytes.Buffer
	const w, h = 500, 900
	if err := m.PNG(&buf, w, h); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
		t.Fatalf("size %v", b)
	}
	at := func(p geo.Point) color.RGBA {
		x, y := atlas.Project(p, 0, 0, w, h)
		return color.RGBAModel.Convert(img.At(int(x), int(y))).(color.RGBA)
	}
	if got := at(cordoba); got != atlas.High {
		t.Errorf("Córdoba (most attendees) is %v, want %v", got, atlas.High)
	}
	if got := at(salta); got != atlas.Ramp(atlas.Share(3, 900)) || got == atlas.Faint {
		t.Errorf("Salta is %v, want the ramp's colour for 3 of 900", got)
	}
	// A place not reached is a faint dot.
	if got := at(locate(t, "58", "Zapala")); got != atlas.Faint {
		t.Errorf("Zapala (not reached) is %v, want faint %v", got, atlas.Faint)
	}
	// Dots are many and stay inside the country's frame: the Atlantic east of
	// Buenos Aires and the Pacific west of Chubut are white.
	faint := 0
	for y := range h {
		for x := range w {
			if color.RGBAModel.Convert(img.At(x, y)).(color.RGBA) == atlas.Faint {
				faint++
			}
		}
	}
	if faint < 2000 {
		t.Errorf("%d faint pixels: the country's dots are missing", faint)
	}
	for _, sea := range []geo.Point{{Lat: -38, Lon: -54}, {Lat: -44, Lon: -73.5}} {
		if got := at(sea); got != (color.RGBA{0xFF, 0xFF, 0xFF, 0xFF}) {
			t.Errorf("sea at %v is %v, want white", sea, got)
		}
	}
	if err := m.PNG(&buf, 10, 10); err == nil {
		t.Error("a 10×10 map: no error")
	}
}

// BenchmarkMap draws the map with every place and 1,000 reached at
// 1200×1800 pixels.
func BenchmarkMap(b *testing.B) {
	places := geo.Places()
	var m atlas.Map
	for i, p := range places[:1000] {
		m.Reached = append(m.Reached, atlas.Reached{Point: p.Point, Attendees: 1 + i*7%900})
	}
	for b.Loop() {
		m.Image(1200, 1800)
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/map")
}
