package reports

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/jpeg"
	"image/png"
	"net/http"

	"github.com/jung-kurt/gofpdf"
)

// MaxImageSize is the largest logo or signature image accepted, in bytes.
const MaxImageSize = 2 << 20

// ErrInvalidImage is wrapped by every error ValidateImage returns.
var ErrInvalidImage = errors.New("imagen no válida")

// picture is an image ready to be registered in a gofpdf document.
type picture struct {
	data []byte
	typ  string // "PNG" or "JPG"
	w, h int    // pixels
}

// ValidateImage reports whether b is a logo or signature image the reports
// can print: a PNG or JPEG of at most MaxImageSize bytes that decodes whole.
// Its errors wrap ErrInvalidImage and say in Spanish what to do.
func ValidateImage(b []byte) error {
	_, err := loadImage(b)
	return err
}

func loadImage(b []byte) (picture, error) {
	if len(b) == 0 {
		return picture{}, fmt.Errorf("%w: el archivo está vacío o no se indicó ninguno", ErrInvalidImage)
	}
	if len(b) > MaxImageSize {
		return picture{}, fmt.Errorf("%w: pesa %s MB y el máximo es 2 MB; achíquela o guárdela con menos calidad",
			ErrInvalidImage, formatNumber(float64((len(b)*10+(1<<20)-1)/(1<<20))/10))
	}
	var p picture
	switch {
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		p.typ = "PNG"
	case bytes.HasPrefix(b, []byte{0xff, 0xd8, 0xff}):
		p.typ = "JPG"
	default:
		kind := http.DetectContentType(b)
		return picture{}, fmt.Errorf("%w: el formato (%s) no está admitido; use una imagen PNG o JPEG", ErrInvalidImage, kind)
	}
	var (
		img image.Image
		err error
	)
	if p.typ == "PNG" {
		img, err = png.Decode(bytes.NewReader(b))
	} else {
		img, err = jpeg.Decode(bytes.NewReader(b))
	}
	if err != nil {
		return picture{}, fmt.Errorf("%w: el archivo está dañado o incompleto; vuelva a exportarlo como PNG o JPEG", ErrInvalidImage)
	}
	bounds := img.Bounds()
	p.w, p.h = bounds.Dx(), bounds.Dy()
	if p.w < 1 || p.h < 1 {
		return picture{}, fmt.Errorf("%w: la imagen no tiene tamaño", ErrInvalidImage)
	}
	p.data = b
	// gofpdf reads neither 16-bit nor interlaced PNGs: write those again as
	// plain 8-bit PNGs (Go's encoder is deterministic, so reprints still match).
	if p.typ == "PNG" && (b[24] > 8 || b[28] != 0) {
		rgba := image.NewNRGBA(bounds)
		draw.Draw(rgba, bounds, img, bounds.Min, draw.Src)
		var buf bytes.Buffer
		if err := png.Encode(&buf, rgba); err != nil {
			return picture{}, fmt.Errorf("%w: no se pudo convertir la imagen: %v", ErrInvalidImage, err)
		}
		p.data = buf.Bytes()
	}
	// Last check with the PDF library itself, so a bad image fails when it is
	// set and not when the certificates are printed.
	pdf := gofpdf.New("P", "mm", "A4", "")
	pdf.RegisterImageOptionsReader("check", gofpdf.ImageOptions{ImageType: p.typ}, bytes.NewReader(p.data))
	if err := pdf.Error(); err != nil {
		return picture{}, fmt.Errorf("%w: la imagen no se puede incluir en un PDF (%v); vuelva a exportarla como PNG o JPEG", ErrInvalidImage, err)
	}
	return p, nil
}

// register adds p to pdf under name and returns the name to draw it with.
func (p picture) register(pdf *gofpdf.Fpdf, name string) string {
	pdf.RegisterImageOptionsReader(name, gofpdf.ImageOptions{ImageType: p.typ}, bytes.NewReader(p.data))
	return name
}

// fitBox returns the size of p scaled to fit within w×h mm, keeping its shape.
func (p picture) fitBox(w, h float64) (float64, float64) {
	iw, ih := float64(p.w), float64(p.h)
	s := w / iw
	if ih*s > h {
		s = h / ih
	}
	return iw * s, ih * s
}
