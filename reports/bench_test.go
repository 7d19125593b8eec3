package reports_test

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
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

// variedCerts returns n certificates for people with different names, as a
// real roster has: each file's fonts then hold a different set of letters.
func variedCerts(n int) []reports.Certificate {
	surnames := []string{"González", "Rodríguez", "Fernández", "López", "Martínez", "Pérez", "Gómez", "Sánchez",
		"Romero", "Díaz", "Álvarez", "Torres", "Ruiz", "Ramírez", "Flores", "Benítez", "Acosta", "Medina",
		"Herrera", "Suárez", "Aguirre", "Giménez", "Gutiérrez", "Pereyra", "Rojas", "Molina", "Castro", "Ortiz",
		"Silva", "Núñez", "Luna", "Juárez", "Cabrera", "Ríos", "Ferreyra", "Godoy", "Morales", "Domínguez",
		"Quiroga", "Peña", "Ibáñez", "Zapata", "Vázquez", "Yáñez", "Whitelaw", "Kowalczyk", "O'Connor", "Ñancucheo"}
	given := []string{"María José", "Juan Pablo", "Lucía", "Martín", "Sofía Belén", "Diego Hernán", "Valentina",
		"Gustavo Adrián", "Florencia", "Nicolás", "Agustina", "Federico", "Camila", "Matías Ezequiel", "Julieta",
		"Ignacio", "Milagros", "Rodrigo", "Victoria", "Xavier", "Yamila", "Zoe", "Héctor", "Inés", "Óscar"}
	certs := make([]reports.Certificate, n)
	for i := range certs {
		s, g := surnames[i%len(surnames)], given[(i/len(surnames)+i)%len(given)]
		certs[i] = cert(fmt.Sprintf("7KQ2-M9XD-%04d", i), s, g, fmt.Sprint(20000000+7919*i))
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

// BenchmarkCertificateFiles writes one PDF per person, with the office's
// logo and signature and without images, and reports the average file size.
func BenchmarkCertificateFiles(b *testing.B) {
	plain := testOffice(b)
	plain.Logo = nil
	plain.Signatories = slices.Clone(plain.Signatories)
	for i := range plain.Signatories {
		plain.Signatories[i].Image = nil
	}
	for _, bc := range []struct {
		name string
		o    reports.Office
	}{{"Images", testOffice(b)}, {"NoImages", plain}} {
		b.Run(bc.name, func(b *testing.B) {
			certs := variedCerts(300)
			dir := b.TempDir()
			var paths []string
			for b.Loop() {
				var err error
				if paths, err = reports.WriteCertificateFiles(dir, bc.o, certs, nil); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(certs)*b.N)/b.Elapsed().Seconds(), "files/s")
			var size int64
			for _, p := range paths {
				fi, err := os.Stat(p)
				if err != nil {
					b.Fatal(err)
				}
				size += fi.Size()
			}
			b.ReportMetric(float64(size)/float64(len(paths))/1024, "KB/file")
		})
	}
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
