package reports_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/puntos-ar/puntos/reports"
	"github.com/puntos-ar/puntos/storage/domain"
)

// needTool skips the test when a command-line tool is missing (CI installs
// poppler-utils and zbar-tools).
func needTool(t testing.TB, name, pkg string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Skipf("%s not installed (apt-get install %s)", name, pkg)
	}
}

// pdfText returns the text of pages first..last of the PDF at path (0, 0 for
// all) in drawing order (pdftotext -raw), with runs of white space collapsed
// to one space, so text wrapped over two lines reads as one.
func pdfText(t *testing.T, path string, first, last int) string {
	t.Helper()
	needTool(t, "pdftotext", "poppler-utils")
	args := []string{"-raw", "-enc", "UTF-8"}
	if first > 0 {
		args = append(args, "-f", strconv.Itoa(first), "-l", strconv.Itoa(last))
	}
	out, err := exec.Command("pdftotext", append(args, path, "-")...).Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// pdfPages returns the page count and fails on any error pdfinfo reports.
func pdfPages(t *testing.T, path string) int {
	t.Helper()
	needTool(t, "pdfinfo", "poppler-utils")
	cmd := exec.Command("pdfinfo", path)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || stderr.Len() > 0 {
		t.Fatalf("pdfinfo %s: %v %s", path, err, stderr.String())
	}
	for _, line := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(line, "Pages:"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(v))
			return n
		}
	}
	t.Fatalf("pdfinfo %s: no page count", path)
	return 0
}

// qrCodes renders page of the PDF at 150 dpi and returns the QR codes
// zbarimg reads on it.
func qrCodes(t *testing.T, path string, page int) []string {
	t.Helper()
	needTool(t, "pdftoppm", "poppler-utils")
	needTool(t, "zbarimg", "zbar-tools")
	prefix := filepath.Join(t.TempDir(), "page")
	p := strconv.Itoa(page)
	if out, err := exec.Command("pdftoppm", "-r", "150", "-f", p, "-l", p, "-singlefile", "-png", path, prefix).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	out, err := exec.Command("zbarimg", "-q", "--raw", prefix+".png").Output()
	if err != nil {
		t.Fatalf("zbarimg found no code on page %d: %v", page, err)
	}
	return strings.Fields(string(out))
}

func writeFile(t *testing.T, name string, b []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "reports", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const verifyBase = "https://registro.puntos.gob.ar"

func testOffice(t testing.TB) reports.Office {
	return reports.Office{
		Name:     "Ministerio de Gobierno de la Provincia de Buenos Aires",
		Subtitle: "Dirección Provincial de Capacitación",
		Signatories: []reports.Signatory{
			{Name: "Lic. Ana María Gómez", Role: "Directora Provincial de Capacitación", Image: readTestdata(t, "signature.png")},
			{Name: "Dr. Julián Pérez", Role: "Subsecretario de Gestión Pública"},
		},
		Logo:          readTestdata(t, "logo.png"),
		VerifyBaseURL: verifyBase,
	}
}

var issued = time.Date(2026, 3, 27, 13, 30, 0, 0, time.UTC)

func cert(code, surname, given, dni string) reports.Certificate {
	return reports.Certificate{
		Code: code, Kind: domain.KindApproval,
		FullName: given + " " + surname, Surname: surname, GivenNames: given,
		DNI: dni, CUIL: "27" + dni + "3",
		ActivityTitle: "Gestión de proyectos en el sector público", ActivityType: "curso",
		Hours: 24, Points: 60, Dates: "12, 19 y 26 de marzo de 2026", Place: "Tandil, Buenos Aires",
		IssuedAt: issued,
	}
}

// trickyCerts holds the names the issue asks to print exactly.
func trickyCerts() []reports.Certificate {
	long := cert("7KQ2-M9XD-4FJ8", "Fernández de la Peña y Lillo D'Alessandro Güemes", "María de los Ángeles", "12345678")
	longer := cert("AB12-CD34-EF56", "Fernández de la Peña y Lillo D'Alessandro Güemes Ñancucheo Etcheverry-Oyhanarte", "María de los Ángeles Guadalupe Inés", "23456789")
	nandu := cert("ZX90-PQ78-RS56", "ÑANDÚ", "José", "8765432")
	nandu.Kind = domain.KindAttendance
	return []reports.Certificate{long, longer, nandu}
}
