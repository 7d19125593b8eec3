package reports_test

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/go-fonts/liberation/liberationserifbold"
	"github.com/go-fonts/liberation/liberationserifitalic"
	"github.com/go-fonts/liberation/liberationserifregular"
	"github.com/jung-kurt/gofpdf"
	"github.com/puntos-ar/puntos/reports"
	"github.com/puntos-ar/puntos/storage/geo"
	"github.com/puntos-ar/puntos/sync/wire"
	"rsc.io/qr"
)

func benchCerts(n int) []reports.Certificate {
	certs := make([]reports.Certificate, n)
	for i := range certs {
		certs[i] = cert(fmt.Sprintf("7KQ2-M9XD-%04d", i), fmt.Sprintf("Fernández Güemes %d", i), "María de los Ángeles", fmt.Sprint(20000000+i))
	}
	return certs
}

// BenchmarkCertificatesPDF1000 renders 1,000 certificates into one PDF.
func BenchmarkCertificatesPDF1000(b *testing.B) {
	o, certs := testOffice(b), benchCerts(1000)
	for b.Loop() {
		if err := reports.CertificatesPDF(io.Discard, o, certs, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(certs)*b.N)/b.Elapsed().Seconds(), "pages/s")
}

// rawPage draws a certificate-like page with plain gofpdf calls: a frame, a
// dozen lines of text and a QR code with one rectangle per dark module.
func rawPage(pdf *gofpdf.Fpdf, c reports.Certificate) {
	pdf.AddPage()
	pdf.Rect(8, 8, 281, 194, "D")
	pdf.SetFont("serif", "B", 13)
	pdf.Text(60, 22, "MINISTERIO DE GOBIERNO DE LA PROVINCIA DE BUENOS AIRES")
	pdf.SetFont("serif", "", 11)
	pdf.Text(100, 28, "Dirección Provincial de Capacitación")
	pdf.SetFont("serif", "B", 28)
	pdf.Text(70, 50, "CERTIFICADO DE APROBACIÓN")
	pdf.SetFont("serif", "I", 15)
	pdf.Text(120, 70, "Se certifica que")
	pdf.SetFont("serif", "B", 28)
	pdf.Text(40, 85, c.FullName)
	pdf.SetFont("serif", "", 12)
	pdf.Text(100, 93, "DNI "+c.DNI+" — CUIL "+c.CUIL)
	pdf.SetFont("serif", "I", 14)
	pdf.Text(120, 105, "aprobó la actividad")
	pdf.SetFont("serif", "B", 19)
	pdf.Text(60, 115, c.ActivityTitle)
	pdf.SetFont("serif", "", 13)
	pdf.Text(110, 125, "Curso · 24 horas · 60 puntos")
	pdf.Text(90, 131, c.Place+" · "+c.Dates)
	pdf.Text(110, 140, "Emitido el 27 de marzo de 2026.")
	pdf.SetFont("serif", "B", 11)
	pdf.Text(80, 179, "Lic. Ana María Gómez")
	pdf.Text(180, 179, "Dr. Julián Pérez")
	pdf.Text(252, 190, c.Code)
	code, err := qr.Encode(verifyBase+"/verify/"+c.Code, qr.M)
	if err != nil {
		panic(err)
	}
	m := 26 / float64(code.Size)
	for y := range code.Size {
		for x := range code.Size {
			if code.Black(x, y) {
				pdf.Rect(249+float64(x)*m, 157+float64(y)*m, m, m, "F")
			}
		}
	}
}

func newRaw() *gofpdf.Fpdf {
	pdf := gofpdf.New("L", "mm", "A4", "")
	pdf.AddUTF8FontFromBytes("serif", "", liberationserifregular.TTF)
	pdf.AddUTF8FontFromBytes("serif", "B", liberationserifbold.TTF)
	pdf.AddUTF8FontFromBytes("serif", "I", liberationserifitalic.TTF)
	return pdf
}

// BenchmarkRawGofpdf is the baseline for BenchmarkCertificatesPDF1000: the
// same fonts and a vector QR code, drawn with no layout work.
func BenchmarkRawGofpdf(b *testing.B) {
	certs := benchCerts(1000)
	for b.Loop() {
		pdf := newRaw()
		for _, c := range certs {
			rawPage(pdf, c)
		}
		if err := pdf.Output(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(certs)*b.N)/b.Elapsed().Seconds(), "pages/s")
}

// BenchmarkCertificateFiles writes one PDF per person.
func BenchmarkCertificateFiles(b *testing.B) {
	o, certs := testOffice(b), benchCerts(300)
	dir := b.TempDir()
	for b.Loop() {
		if _, err := reports.WriteCertificateFiles(dir, o, certs, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(certs)*b.N)/b.Elapsed().Seconds(), "files/s")
}

// BenchmarkRawGofpdfFiles is the naive way to BenchmarkCertificateFiles: a
// new gofpdf document, which parses the fonts again, for every file.
func BenchmarkRawGofpdfFiles(b *testing.B) {
	certs := benchCerts(50)
	dir := b.TempDir()
	for b.Loop() {
		for i, c := range certs {
			pdf := newRaw()
			rawPage(pdf, c)
			var buf bytes.Buffer
			if err := pdf.Output(&buf); err != nil {
				b.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprint(i, ".pdf")), buf.Bytes(), 0o644); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(certs)*b.N)/b.Elapsed().Seconds(), "files/s")
}

// BenchmarkImpactPDF writes the impact PDF with every place on the map
// and 1,000 of them reached.
func BenchmarkImpactPDF(b *testing.B) {
	im := wire.Impact{Year: 2026, Months: make([]wire.ImpactMonth, 12)}
	for i, p := range geo.Places()[:1000] {
		im.Municipalities = append(im.Municipalities, wire.ImpactPlace{Province: p.ProvinceID, Municipality: p.Name,
			Attendances: 1 + i*7%900, Lat: p.Lat, Lon: p.Lon, Located: true})
	}
	for b.Loop() {
		if err := reports.ImpactPDF(io.Discard, im); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/pdf")
}
