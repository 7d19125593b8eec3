package reports_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/puntos-ar/puntos/reports"
)

func TestCertificatesPDF(t *testing.T) {
	certs := trickyCerts()
	var buf bytes.Buffer
	var calls [][2]int
	err := reports.CertificatesPDF(&buf, testOffice(t), certs, func(done, total int) { calls = append(calls, [2]int{done, total}) })
	if err != nil {
		t.Fatal(err)
	}
	path := writeFile(t, "certificados.pdf", buf.Bytes())

	t.Run("OnePagePerCertificate", func(t *testing.T) {
		if got, want := pdfPages(t, path), len(certs); got != want {
			t.Errorf("pages: got %d, want %d", got, want)
		}
		if got, want := len(calls), len(certs); got != want || calls[got-1] != [2]int{want, want} {
			t.Errorf("progress calls: got %v, want 1..%d of %d", calls, want, want)
		}
	})
	t.Run("NamesExact", func(t *testing.T) {
		for i, c := range certs {
			text := pdfText(t, path, i+1, i+1)
			if !strings.Contains(text, c.FullName) {
				t.Errorf("page %d: name %q not found in %q", i+1, c.FullName, text)
			}
		}
		all := pdfText(t, path, 0, 0)
		for _, want := range []string{"ÑANDÚ", "Güemes", "D'Alessandro", "Peña y Lillo"} {
			if !strings.Contains(all, want) {
				t.Errorf("%q not found", want)
			}
		}
	})
	t.Run("Text", func(t *testing.T) {
		text := pdfText(t, path, 1, 1)
		for _, want := range []string{
			"CERTIFICADO DE APROBACIÓN", "Se certifica que", "DNI 12.345.678 — CUIL 27-12345678-3",
			"aprobó la actividad", "Gestión de proyectos en el sector público", "Curso · 24 horas · 60 puntos",
			"Tandil, Buenos Aires · 12, 19 y 26 de marzo de 2026", "Emitido el 27 de marzo de 2026",
			"MINISTERIO DE GOBIERNO DE LA PROVINCIA DE BUENOS AIRES", "Dirección Provincial de Capacitación",
			"Lic. Ana María Gómez", "Directora Provincial de Capacitación", "Dr. Julián Pérez",
			"7KQ2-M9XD-4FJ8", "Verificá en registro.puntos.gob.ar/verify",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("%q not found in %q", want, text)
			}
		}
		if text := pdfText(t, path, 3, 3); !strings.Contains(text, "CONSTANCIA DE ASISTENCIA") || !strings.Contains(text, "asistió a la actividad") {
			t.Errorf("attendance page: got %q", text)
		}
	})
	t.Run("QR", func(t *testing.T) {
		for i, c := range certs {
			got := qrCodes(t, path, i+1)
			want := verifyBase + "/verify/" + c.Code
			if len(got) != 1 || got[0] != want {
				t.Errorf("page %d: got %q, want %q", i+1, got, want)
			}
		}
	})
}

func TestCertificatesPDFReprint(t *testing.T) {
	o := testOffice(t)
	render := func(certs []reports.Certificate) []byte {
		var buf bytes.Buffer
		if err := reports.CertificatesPDF(&buf, o, certs, nil); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	first := render(trickyCerts())
	t.Run("SameBytes", func(t *testing.T) {
		if !bytes.Equal(render(trickyCerts()), first) {
			t.Error("a reprint differs from the first print")
		}
	})
	t.Run("ZoneIndependent", func(t *testing.T) {
		certs := trickyCerts()
		for i := range certs {
			certs[i].IssuedAt = certs[i].IssuedAt.In(time.FixedZone("X", 5*3600))
		}
		if !bytes.Equal(render(certs), first) {
			t.Error("the same instant in another zone prints differently")
		}
	})
	t.Run("DatedByIssue", func(t *testing.T) {
		if !bytes.Contains(first, []byte("/CreationDate (D:20260327103000)")) {
			t.Error("creation date is not the issue date in Argentina's time")
		}
	})
}

func TestCertificateFile(t *testing.T) {
	o := testOffice(t)
	certs := trickyCerts()
	file := func(c reports.Certificate) []byte {
		var buf bytes.Buffer
		if err := reports.CertificateFile(&buf, o, c); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	for i, c := range certs {
		b := file(c)
		path := writeFile(t, "c.pdf", b)
		if got := pdfPages(t, path); got != 1 {
			t.Errorf("cert %d: pages: got %d, want 1", i, got)
		}
		if text := pdfText(t, path, 0, 0); !strings.Contains(text, c.FullName) || !strings.Contains(text, c.Code) {
			t.Errorf("cert %d: name or code missing in %q", i, text)
		}
		if got, want := qrCodes(t, path, 1), verifyBase+"/verify/"+c.Code; len(got) != 1 || got[0] != want {
			t.Errorf("cert %d: QR: got %q, want %q", i, got, want)
		}
		if !bytes.Equal(file(c), b) {
			t.Errorf("cert %d: reprint differs", i)
		}
	}

	t.Run("SameAsInBatch", func(t *testing.T) {
		dir := t.TempDir()
		paths, err := reports.WriteCertificateFiles(dir, o, certs, nil)
		if err != nil {
			t.Fatal(err)
		}
		for i, c := range certs {
			got, err := os.ReadFile(paths[i])
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, file(c)) {
				t.Errorf("%s differs from CertificateFile", filepath.Base(paths[i]))
			}
		}
	})
	t.Run("BeyondLatin1", func(t *testing.T) {
		// Letters outside the fonts' base set get their own glyphs.
		c := cert("QW12-ER34-TY56", "Wąsowski-Łukasiewicz", "Łukasz Ştefan", "30123456")
		c.FullName = "Łukasz Ştefan Wąsowski-Łukasiewicz"
		path := writeFile(t, "c.pdf", file(c))
		pdfPages(t, path)
		if text := pdfText(t, path, 0, 0); !strings.Contains(text, c.FullName) {
			t.Errorf("name %q not found in %q", c.FullName, text)
		}
	})
}

// TestCertificateFileSize checks that a file carries only the glyphs its
// page draws: without images it stays within 40 KB, and still reads back.
func TestCertificateFileSize(t *testing.T) {
	o := testOffice(t)
	o.Logo = nil
	for i := range o.Signatories {
		o.Signatories[i].Image = nil
	}
	c := trickyCerts()[1] // the longest name
	var buf bytes.Buffer
	if err := reports.CertificateFile(&buf, o, c); err != nil {
		t.Fatal(err)
	}
	if buf.Len() > 40<<10 {
		t.Errorf("file without images: %d bytes, want at most %d", buf.Len(), 40<<10)
	}
	path := writeFile(t, "c.pdf", buf.Bytes())
	if text := pdfText(t, path, 0, 0); !strings.Contains(text, c.FullName) || !strings.Contains(text, o.Signatories[1].Role) {
		t.Errorf("name or role missing in %q", text)
	}
	if got := qrCodes(t, path, 1); len(got) != 1 || got[0] != verifyBase+"/verify/"+c.Code {
		t.Errorf("QR: got %q", got)
	}
	// A name with a letter the page has not drawn yet in that style gets it.
	other := cert("QW12-ER34-TY57", "Żółkiewski", "Xavier", "30123457")
	other.FullName = "Xavier Żółkiewski"
	buf.Reset()
	if err := reports.CertificateFile(&buf, o, other); err != nil {
		t.Fatal(err)
	}
	path = writeFile(t, "d.pdf", buf.Bytes())
	if text := pdfText(t, path, 0, 0); !strings.Contains(text, other.FullName) {
		t.Errorf("name %q not found in %q", other.FullName, text)
	}
}

// TestDemoMark checks that a demo office's certificates carry the mark, in
// the batch PDF and in each person's file, and others do not.
func TestDemoMark(t *testing.T) {
	o := testOffice(t)
	c := trickyCerts()[0]
	for _, demo := range []bool{false, true} {
		o.Demo = demo
		var batch, file bytes.Buffer
		if err := reports.CertificatesPDF(&batch, o, []reports.Certificate{c}, nil); err != nil {
			t.Fatal(err)
		}
		if err := reports.CertificateFile(&file, o, c); err != nil {
			t.Fatal(err)
		}
		for name, b := range map[string][]byte{"batch": batch.Bytes(), "file": file.Bytes()} {
			text := pdfText(t, writeFile(t, name+".pdf", b), 0, 0)
			if got := strings.Contains(text, "EJEMPLO — SIN VALIDEZ"); got != demo || !strings.Contains(text, c.FullName) {
				t.Errorf("demo %v, %s: mark %v in %q", demo, name, got, text)
			}
		}
	}
}

func TestWriteCertificateFiles(t *testing.T) {
	certs := trickyCerts()
	twin := certs[2]
	twin.Code = "TWIN-0000-0001"
	certs = append(certs, twin) // same person twice: names must not collide
	for i := range 40 {
		certs = append(certs, cert("BULK-0000-"+string(rune('A'+i%26))+string(rune('A'+i/26)), "Pérez", "Juan", "3000000"+string(rune('0'+i%10))))
	}
	dir := filepath.Join(t.TempDir(), "out")
	var calls int
	last := 0
	paths, err := reports.WriteCertificateFiles(dir, testOffice(t), certs, func(done, total int) {
		calls++
		if done != last+1 || total != len(certs) {
			t.Errorf("progress: got %d/%d after %d", done, total, last)
		}
		last = done
	})
	if err != nil {
		t.Fatal(err)
	}
	if calls != len(certs) {
		t.Errorf("progress calls: got %d, want %d", calls, len(certs))
	}
	if len(paths) != len(certs) {
		t.Fatalf("paths: got %d, want %d", len(paths), len(certs))
	}
	if got, want := filepath.Base(paths[0]), "FERNANDEZ_DE_LA_PENA_Y_LILLO_DALESSANDRO_GUEMES_Maria_de_los_Angeles_12345678.pdf"; got != want {
		t.Errorf("name: got %q, want %q", got, want)
	}
	if got, want := filepath.Base(paths[2]), "NANDU_Jose_8765432.pdf"; got != want {
		t.Errorf("name: got %q, want %q", got, want)
	}
	if got, want := filepath.Base(paths[3]), "NANDU_Jose_8765432_2.pdf"; got != want {
		t.Errorf("twin name: got %q, want %q", got, want)
	}
	seen := map[string]bool{}
	for i, p := range paths {
		if seen[strings.ToLower(p)] {
			t.Errorf("duplicate path %s", p)
		}
		seen[strings.ToLower(p)] = true
		if filepath.Dir(p) != dir {
			t.Errorf("path %s not in %s", p, dir)
		}
		if i < 4 || i == len(paths)-1 {
			if text := pdfText(t, p, 0, 0); !strings.Contains(text, certs[i].FullName) || !strings.Contains(text, certs[i].Code) {
				t.Errorf("%s: name or code missing", filepath.Base(p))
			}
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(certs) {
		t.Errorf("files in dir: got %d, want %d", len(entries), len(certs))
	}
}

func TestFileName(t *testing.T) {
	tests := []struct {
		name string
		c    reports.Certificate
		want string
	}{
		{"Accents", reports.Certificate{Surname: "Fernández de la Peña", GivenNames: "María Ángeles", DNI: "12345678"}, "FERNANDEZ_DE_LA_PENA_Maria_Angeles_12345678.pdf"},
		{"Apostrophe", reports.Certificate{Surname: "D'Alessandro", GivenNames: "Güemes", DNI: "12.345.678"}, "DALESSANDRO_Guemes_12345678.pdf"},
		{"Unsafe", reports.Certificate{Surname: `a/b\c:d*e?f"g<h>i|j`, GivenNames: "  x\ty ", DNI: "1"}, "A_B_C_D_E_F_G_H_I_J_x_y_1.pdf"},
		{"Hyphen", reports.Certificate{Surname: "Etcheverry-Oyhanarte", GivenNames: "Inés", DNI: "20111222"}, "ETCHEVERRY-OYHANARTE_Ines_20111222.pdf"},
		{"Special", reports.Certificate{Surname: "Strauß Øster", GivenNames: "Łukasz", DNI: "20111222"}, "STRAUSS_OSTER_Lukasz_20111222.pdf"},
		{"OnlyFullName", reports.Certificate{FullName: "Juan Pérez", DNI: "20111222"}, "JUAN_PEREZ_20111222.pdf"},
		{"NoDNI", reports.Certificate{Surname: "Pérez", Code: "7KQ2-M9XD"}, "PEREZ_7KQ2-M9XD.pdf"},
		{"Empty", reports.Certificate{}, "certificado.pdf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := reports.FileName(tt.c); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	t.Run("Long", func(t *testing.T) {
		c := reports.Certificate{Surname: strings.Repeat("Fernández ", 30), GivenNames: strings.Repeat("María ", 30), DNI: "12345678"}
		got := reports.FileName(c)
		if len(got) > 140 || !strings.HasSuffix(got, "_12345678.pdf") {
			t.Errorf("got %q (%d bytes), want at most 140 bytes ending in the DNI", got, len(got))
		}
	})
}

func TestCertificatesPDFErrors(t *testing.T) {
	good := trickyCerts()[0]
	tests := []struct {
		name   string
		office func(*reports.Office)
		cert   func(*reports.Certificate)
	}{
		{"UnknownKind", nil, func(c *reports.Certificate) { c.Kind = "otro" }},
		{"NoCode", nil, func(c *reports.Certificate) { c.Code = " " }},
		{"NoName", nil, func(c *reports.Certificate) { c.FullName, c.Surname, c.GivenNames = "", "", "" }},
		{"NoIssueDate", nil, func(c *reports.Certificate) { c.IssuedAt = time.Time{} }},
		{"ThreeSignatories", func(o *reports.Office) {
			o.Signatories = append(o.Signatories, reports.Signatory{Name: "Otra"})
		}, nil},
		{"BadLogo", func(o *reports.Office) { o.Logo = []byte("not an image") }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, c := testOffice(t), good
			if tt.office != nil {
				tt.office(&o)
			}
			if tt.cert != nil {
				tt.cert(&c)
			}
			if err := reports.CertificatesPDF(&bytes.Buffer{}, o, []reports.Certificate{c}, nil); err == nil {
				t.Error("CertificatesPDF: got nil error")
			}
			if err := reports.CertificateFile(&bytes.Buffer{}, o, c); err == nil {
				t.Error("CertificateFile: got nil error")
			}
		})
	}
	t.Run("BadLogoIsInvalidImage", func(t *testing.T) {
		o := testOffice(t)
		o.Logo = []byte("not an image")
		err := reports.CertificatesPDF(&bytes.Buffer{}, o, []reports.Certificate{good}, nil)
		if !errors.Is(err, reports.ErrInvalidImage) {
			t.Errorf("got %v, want ErrInvalidImage", err)
		}
	})
}

func TestCertificateOptionalParts(t *testing.T) {
	// No logo, no signatures, no CUIL, no verification URL: still a valid page.
	c := trickyCerts()[2]
	c.CUIL = ""
	var buf bytes.Buffer
	if err := reports.CertificatesPDF(&buf, reports.Office{Name: "Municipio de Tandil"}, []reports.Certificate{c}, nil); err != nil {
		t.Fatal(err)
	}
	path := writeFile(t, "c.pdf", buf.Bytes())
	text := pdfText(t, path, 0, 0)
	for _, want := range []string{"MUNICIPIO DE TANDIL", "José ÑANDÚ", "DNI 8.765.432", c.Code} {
		if !strings.Contains(text, want) {
			t.Errorf("%q not found in %q", want, text)
		}
	}
	for _, bad := range []string{"CUIL", "Verificá"} {
		if strings.Contains(text, bad) {
			t.Errorf("%q printed without data: %q", bad, text)
		}
	}
}
