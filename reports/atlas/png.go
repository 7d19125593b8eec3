package atlas

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
)

// raster is a Surface on an RGBA image: filled, anti-aliased discs.
type raster struct{ img *image.RGBA }

func (r raster) Dot(cx, cy, rad float64, c color.RGBA) {
	b := r.img.Bounds()
	x0, x1 := max(b.Min.X, int(math.Floor(cx-rad-1))), min(b.Max.X-1, int(math.Ceil(cx+rad+1)))
	y0, y1 := max(b.Min.Y, int(math.Floor(cy-rad-1))), min(b.Max.Y-1, int(math.Ceil(cy+rad+1)))
	for y := y0; y <= y1; y++ {
		for x := x0; x <= x1; x++ {
			d := math.Hypot(float64(x)+0.5-cx, float64(y)+0.5-cy)
			cover := max(0, min(1, rad+0.5-d))
			if cover == 0 {
				continue
			}
			i := r.img.PixOffset(x, y)
			p := r.img.Pix[i : i+4 : i+4]
			for k, v := range [3]uint8{c.R, c.G, c.B} {
				p[k] = uint8(math.Round(float64(p[k])*(1-cover) + float64(v)*cover))
			}
			p[3] = 0xFF
		}
	}
}

// Image draws m on a white image of width × height pixels.
func (m Map) Image(width, height int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, width, height))
	for i := range img.Pix {
		img.Pix[i] = 0xFF
	}
	dot := max(1.2, float64(min(width, height))/400)
	m.Draw(raster{img}, 0, 0, float64(width), float64(height), dot)
	return img
}

// PNG writes m as a PNG of width × height pixels.
func (m Map) PNG(w io.Writer, width, height int) error {
	if width < 50 || height < 50 || width > 8000 || height > 8000 {
		return fmt.Errorf("map size %d×%d: use 50 to 8000 pixels a side", width, height)
	}
	return png.Encode(w, m.Image(width, height))
}
