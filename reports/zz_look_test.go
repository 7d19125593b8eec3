package reports_test

import (
	"os"
	"testing"
	"time"

	"github.com/puntos-ar/puntos/reports"
)

func TestLook(t *testing.T) {
	o := reports.Office{Name: "Ministerio de Gobierno de la Provincia de Buenos Aires", Subtitle: "Dirección Provincial de Capacitación y Formación Continua",
		Signatories: []reports.Signatory{{Name: "Lic. Ana María Gómez", Role: "Directora Provincial de Capacitación"}, {Name: "Dr. Julián Pérez", Role: "Subsecretario de Gestión Pública y Modernización del Estado"}},
		VerifyBaseURL: "https://registro.puntos.gob.ar"}
	if b, err := os.ReadFile("../testdata/reports/logo.png"); err == nil {
		o.Logo = b
	}
	sig, _ := os.ReadFile("../testdata/reports/signature.png")
	o.Signatories[0].Image = sig
	certs := []reports.Certificate{
		{Code: "7KQ2-M9XD-4FJ8", Kind: "aprobacion", FullName: "María de los Ángeles Fernández de la Peña y Lillo D'Alessandro Güemes", DNI: "12345678", CUIL: "27123456783",
			ActivityTitle: "Gestión de proyectos en el sector público: planificación, seguimiento y evaluación de resultados", ActivityType: "curso", Hours: 24, Points: 60,
			Dates: "12, 19 y 26 de marzo de 2026", Place: "Tandil, Buenos Aires", IssuedAt: time.Date(2026, 3, 27, 10, 0, 0, 0, time.UTC)},
		{Code: "AB12-CD34-EF56", Kind: "asistencia", FullName: "Juan ÑANDÚ", DNI: "8765432",
			ActivityTitle: "Charla inspiradora", ActivityType: "charla", Hours: 2, Points: 2,
			Dates: "12 de marzo de 2026", Place: "Tandil, Buenos Aires", IssuedAt: time.Date(2026, 3, 27, 10, 0, 0, 0, time.UTC)},
	}
	f, _ := os.Create("/tmp/look_cert.pdf")
	defer f.Close()
	if err := reports.CertificatesPDF(f, o, certs, nil); err != nil {
		t.Fatal(err)
	}
}

func TestLookFiles(t *testing.T) {
	o := reports.Office{Name: "Ministerio de Gobierno", Subtitle: "Dirección de Capacitación",
		Signatories: []reports.Signatory{{Name: "Lic. Ana María Gómez", Role: "Directora"}}, VerifyBaseURL: "https://registro.puntos.gob.ar"}
	o.Logo, _ = os.ReadFile("../testdata/reports/logo.png")
	o.Signatories[0].Image, _ = os.ReadFile("../testdata/reports/signature.png")
	certs := []reports.Certificate{
		{Code: "7KQ2-M9XD-4FJ8", Kind: "aprobacion", FullName: "María de los Ángeles Fernández Güemes", Surname: "Fernández Güemes", GivenNames: "María de los Ángeles", DNI: "12345678", CUIL: "27123456783",
			ActivityTitle: "Gestión de proyectos", ActivityType: "curso", Hours: 24, Points: 60,
			Dates: "12 de marzo de 2026", Place: "Tandil, Buenos Aires", IssuedAt: time.Date(2026, 3, 27, 10, 0, 0, 0, time.UTC)},
		{Code: "AB12-CD34-EF56", Kind: "asistencia", FullName: "Иван Ŵ Ǆ ÑANDÚ", Surname: "ÑANDÚ", GivenNames: "Иван", DNI: "8765432",
			ActivityTitle: "Charla inspiradora", ActivityType: "charla", Hours: 2, Points: 2,
			Dates: "12 de marzo de 2026", Place: "Tandil, Buenos Aires", IssuedAt: time.Date(2026, 3, 27, 10, 0, 0, 0, time.UTC)},
	}
	paths, err := reports.WriteCertificateFiles("/tmp/lookfiles", o, certs, nil)
	t.Log(paths, err)
}
