package reports_test

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"image/png"
	"strings"
	"testing"

	"github.com/puntos-ar/puntos/reports"
)

func TestValidateImage(t *testing.T) {
	logo := readTestdata(t, "logo.png")
	var gifBuf, png16 bytes.Buffer
	small := image.NewPaletted(image.Rect(0, 0, 4, 4), []color.Color{color.Black, color.White})
	if err := gif.Encode(&gifBuf, small, nil); err != nil {
		t.Fatal(err)
	}
	deep := image.NewNRGBA64(image.Rect(0, 0, 40, 20))
	for x := range 40 {
		deep.Set(x, 10, color.NRGBA64{0, 0, 0x8000, 0xffff})
	}
	if err := png.Encode(&png16, deep); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		b       []byte
		wantErr string // part of the message; "" for no error
	}{
		{"PNG", logo, ""},
		{"JPEG", readTestdata(t, "logo.jpg"), ""},
		{"SignaturePNG", readTestdata(t, "signature.png"), ""},
		{"PNG16Bit", png16.Bytes(), ""},
		{"Empty", nil, "vacío"},
		{"TooLarge", append(append([]byte{}, logo...), make([]byte, reports.MaxImageSize)...), "pesa 2,1 MB y el máximo es 2 MB"},
		{"Truncated", logo[:len(logo)/2], "dañado o incompleto"},
		{"Corrupt", append(append([]byte{}, logo[:40]...), bytes.Repeat([]byte{0x55}, 400)...), "dañado o incompleto"},
		{"GIF", gifBuf.Bytes(), "use una imagen PNG o JPEG"},
		{"Text", []byte("<svg xmlns='http://www.w3.org/2000/svg'/>"), "use una imagen PNG o JPEG"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := reports.ValidateImage(tt.b)
			if tt.wantErr == "" {
				if err != nil {
					t.Errorf("got %v, want nil", err)
				}
				return
			}
			if err == nil || !errors.Is(err, reports.ErrInvalidImage) || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("got %v, want ErrInvalidImage containing %q", err, tt.wantErr)
			}
		})
	}
	t.Run("PNG16BitPrints", func(t *testing.T) {
		o := testOffice(t)
		o.Logo = png16.Bytes()
		o.Signatories[1].Image = readTestdata(t, "logo.jpg")
		var buf bytes.Buffer
		if err := reports.CertificatesPDF(&buf, o, trickyCerts()[:1], nil); err != nil {
			t.Fatal(err)
		}
		pdfPages(t, writeFile(t, "c.pdf", buf.Bytes()))
	})
}
