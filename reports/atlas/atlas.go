// Package atlas draws the impact map of Argentina: every place of the
// official list a faint dot at its georef location (the dots draw the
// country) and the places reached a larger dot coloured by attendees. It
// lays the map out once for any surface — a PDF, a PNG, a Fyne canvas —
// through the Surface interface, and writes the PNG itself in pure Go
// (image/png), so the registry binary needs no cgo.
package atlas

import (
	"cmp"
	"image/color"
	"math"
	"slices"

	"github.com/puntos-ar/puntos/storage/geo"
)

// The drawn extent: mainland Argentina and Tierra del Fuego (the
// Antarctic sector and the South Atlantic islands left out of the frame).
const (
	north, south = -21.5, -55.3
	west, east   = -73.8, -53.4
)

// Colours of the map.
var (
	Faint = color.RGBA{R: 0xB8, G: 0xC4, B: 0xD0, A: 0xFF} // a place not reached
	Low   = color.RGBA{R: 0xFD, G: 0xC8, B: 0x6A, A: 0xFF} // fewest attendees
	High  = color.RGBA{R: 0xB3, G: 0x1B, B: 0x1B, A: 0xFF} // most attendees
)

// Reached is a place reached and how many attended there.
type Reached struct {
	geo.Point
	Attendees int
}

// Surface is what the map is drawn on; coordinates are in its units
// (millimetres on a PDF, pixels on a PNG or a canvas), y down.
type Surface interface {
	Dot(x, y, r float64, c color.RGBA)
}

// Map is the map to draw.
type Map struct {
	Reached []Reached
}

// Aspect is the map's width over its height: longitudes shrink by the
// cosine of the middle latitude.
func Aspect() float64 {
	k := math.Cos((north + south) / 2 * math.Pi / 180)
	return (east - west) * k / (north - south)
}

// Project places p in a box of width w and height h whose top left corner
// is (x0, y0), the country centred in it.
func Project(p geo.Point, x0, y0, w, h float64) (x, y float64) {
	scale := min(w/Aspect(), h) // the height the country takes
	width := scale * Aspect()
	ox, oy := x0+(w-width)/2, y0+(h-scale)/2
	return ox + (p.Lon-west)/(east-west)*width, oy + (north-p.Lat)/(north-south)*scale
}

// background is every place of the official list.
var background = geo.Places()

// Draw draws m on s in the box (x0, y0, w, h): the faint dots first, then
// the places reached, the fewest attendees first so the largest stay on
// top. dot is the faint dots' radius; the reached ones grow to 3.5 times
// it with their attendees.
func (m Map) Draw(s Surface, x0, y0, w, h, dot float64) {
	for _, p := range background {
		if p.Lat < south || p.Lat > north || p.Lon < west || p.Lon > east {
			continue
		}
		x, y := Project(p.Point, x0, y0, w, h)
		s.Dot(x, y, dot, Faint)
	}
	most := 0
	for _, r := range m.Reached {
		most = max(most, r.Attendees)
	}
	reached := slices.SortedStableFunc(slices.Values(m.Reached), func(a, b Reached) int { return cmp.Compare(a.Attendees, b.Attendees) })
	for _, r := range reached {
		t := Share(r.Attendees, most)
		x, y := Project(r.Point, x0, y0, w, h)
		s.Dot(x, y, dot*(1.6+1.9*t), Ramp(t))
	}
}

// Share places n among 1…most on a logarithmic scale from 0 to 1.
func Share(n, most int) float64 {
	if most <= 1 || n <= 1 {
		return 0
	}
	return math.Log(float64(n)) / math.Log(float64(most))
}

// Ramp is the colour of share t (0–1) from Low to High.
func Ramp(t float64) color.RGBA {
	t = max(0, min(1, t))
	mix := func(a, b uint8) uint8 { return uint8(math.Round(float64(a) + (float64(b)-float64(a))*t)) }
	return color.RGBA{R: mix(Low.R, High.R), G: mix(Low.G, High.G), B: mix(Low.B, High.B), A: 0xFF}
}
