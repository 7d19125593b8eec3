package reports_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/go-fonts/liberation/liberationsansbold"
	"github.com/go-fonts/liberation/liberationsansregular"
	"github.com/jung-kurt/gofpdf"
	"rsc.io/qr"
)

func rawPage(pdf *gofpdf.Fpdf, i int) {
	pdf.AddPage()
	pdf.SetFont("sans", "B", 24)
	pdf.Text(30, 40, "CERTIFICADO DE APROBACIÓN")
	pdf.SetFont("sans", "", 14)
	pdf.Text(30, 60, "Se certifica que María de los Ángeles Fernández ÑANDÚ Güemes")
	pdf.Text(30, 70, "DNI 12.345.678 — CUIL 27-12345678-3")
	c, _ := qr.Encode("https://registro.example.gob.ar/verify/ABCD-EFGH-JKMN", qr.M)
	s := 0.7
	for y := 0; y < c.Size; y++ {
		for x := 0; x < c.Size; x++ {
			if c.Black(x, y) {
				pdf.Rect(240+float64(x)*s, 160+float64(y)*s, s, s, "F")
			}
		}
	}
}

func newRaw() *gofpdf.Fpdf {
	pdf := gofpdf.New("L", "mm", "A4", "")
	pdf.AddUTF8FontFromBytes("sans", "", liberationsansregular.TTF)
	pdf.AddUTF8FontFromBytes("sans", "B", liberationsansbold.TTF)
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(time.Date(2026, 3, 12, 0, 0, 0, 0, time.UTC))
	pdf.SetModificationDate(time.Date(2026, 3, 12, 0, 0, 0, 0, time.UTC))
	return pdf
}

func BenchmarkScratchRaw1000(b *testing.B) {
	for b.Loop() {
		pdf := newRaw()
		for i := 0; i < 1000; i++ {
			rawPage(pdf, i)
		}
		var buf bytes.Buffer
		if err := pdf.Output(&buf); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkScratchNaiveFile(b *testing.B) {
	for b.Loop() {
		pdf := newRaw()
		rawPage(pdf, 0)
		var buf bytes.Buffer
		if err := pdf.Output(&buf); err != nil {
			b.Fatal(err)
		}
	}
}

func TestScratchDeterminism(t *testing.T) {
	var a, b bytes.Buffer
	for _, w := range []*bytes.Buffer{&a, &b} {
		pdf := newRaw()
		rawPage(pdf, 0)
		rawPage(pdf, 1)
		pdf.Output(w)
	}
	t.Log(a.Len(), bytes.Equal(a.Bytes(), b.Bytes()))
}
