package reports_test

import (
	"fmt"
	"io"
	"os"
	"testing"
	"time"

	"github.com/puntos-ar/puntos/reports"
)

func benchOffice() reports.Office {
	o := reports.Office{Name: "Ministerio de Gobierno", Subtitle: "Dirección de Capacitación",
		Signatories: []reports.Signatory{{Name: "Lic. Ana María Gómez", Role: "Directora"}, {Name: "Dr. Julián Pérez", Role: "Subsecretario"}}, VerifyBaseURL: "https://registro.puntos.gob.ar"}
	o.Logo, _ = os.ReadFile("../testdata/reports/logo.png")
	o.Signatories[0].Image, _ = os.ReadFile("../testdata/reports/signature.png")
	return o
}

func benchCerts(n int) []reports.Certificate {
	var cs []reports.Certificate
	for i := range n {
		cs = append(cs, reports.Certificate{Code: fmt.Sprintf("7KQ2-M9XD-%04d", i), Kind: "aprobacion", FullName: fmt.Sprintf("María de los Ángeles Fernández Güemes %d", i), Surname: "Fernández Güemes", GivenNames: fmt.Sprintf("María %d", i), DNI: fmt.Sprint(20000000 + i), CUIL: "27123456783",
			ActivityTitle: "Gestión de proyectos en el sector público", ActivityType: "curso", Hours: 24, Points: 60,
			Dates: "12 de marzo de 2026", Place: "Tandil, Buenos Aires", IssuedAt: time.Date(2026, 3, 27, 10, 0, 0, 0, time.UTC)})
	}
	return cs
}

func BenchmarkXCertificatesPDF1000(b *testing.B) {
	o, cs := benchOffice(), benchCerts(1000)
	for b.Loop() {
		if err := reports.CertificatesPDF(io.Discard, o, cs, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(1000*b.N)/b.Elapsed().Seconds(), "pages/s")
}

func BenchmarkXFiles(b *testing.B) {
	o, cs := benchOffice(), benchCerts(500)
	dir := b.TempDir()
	for b.Loop() {
		if _, err := reports.WriteCertificateFiles(dir, o, cs, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(500*b.N)/b.Elapsed().Seconds(), "files/s")
}
