package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/puntos-ar/puntos/storage"
)

func pdftotext(t *testing.T, path string) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed: apt-get install poppler-utils")
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	return string(out)
}

// closedDemoSession returns a demo data dir and the ID of its most recent
// closed session.
func closedDemoSession(t *testing.T) (string, string) {
	t.Helper()
	dir := t.TempDir()
	mustRun(t, dir, "demo", "--people", "300")
	var list []struct {
		ID    string `json:"id"`
		State string `json:"state"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, dir, "session", "list", "--closed", "--json")), &list); err != nil || len(list) == 0 {
		t.Fatalf("closed sessions: %v %v", list, err)
	}
	return dir, list[0].ID
}

func TestCertificatesCommand(t *testing.T) {
	dir, id := closedDemoSession(t)
	mustRun(t, dir, "office", "set", "--name", "Ministerio de Gobierno", "--verify-url", "https://puntos.example.gob.ar",
		"--logo", "../../../testdata/reports/logo.png", "--signatory", "Lic. Ana Pérez|Directora|../../../testdata/reports/signature.png")
	out1 := filepath.Join(t.TempDir(), "a")
	res := mustRun(t, dir, "certificates", id, "--out", out1)
	if !strings.Contains(res, "nuevos") || !strings.Contains(res, "Sin certificado") {
		t.Errorf("output:\n%s", res)
	}
	files, _ := filepath.Glob(filepath.Join(out1, "*.pdf"))
	if len(files) < 10 {
		t.Fatalf("got %d PDFs", len(files))
	}
	var session string
	for _, f := range files {
		if strings.HasPrefix(filepath.Base(f), "certificados_") {
			session = f
		}
	}
	text := pdftotext(t, session)
	if n := strings.Count(text, "CONSTANCIA DE ASISTENCIA"); n != len(files)-1 {
		t.Errorf("session PDF has %d certificates, want %d", n, len(files)-1)
	}
	// A reprint after the office changes is byte-identical.
	mustRun(t, dir, "office", "set", "--name", "Otra oficina")
	out2 := filepath.Join(t.TempDir(), "b")
	if res := mustRun(t, dir, "certificates", id, "--out", out2); !strings.Contains(res, "(0 nuevos") {
		t.Errorf("reprint output: %s", res)
	}
	for _, f := range files {
		a, _ := os.ReadFile(f)
		b, err := os.ReadFile(filepath.Join(out2, filepath.Base(f)))
		if err != nil || !bytes.Equal(a, b) {
			t.Errorf("reprint of %s differs (%v)", filepath.Base(f), err)
		}
	}
}

// TestCertificatesNeedSetup checks that a folder that is not a demo's
// issues nothing until the office has a signatory and a public address,
// with a sentence saying what to set.
func TestCertificatesNeedSetup(t *testing.T) {
	dir, id := closedDemoSession(t)
	if err := os.RemoveAll(filepath.Join(dir, "demo")); err != nil {
		t.Fatal(err)
	}
	st, err := storage.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	err = st.SetSetting(context.Background(), "demo", "")
	if err == nil {
		err = st.SetOffice(context.Background(), storage.Office{Name: "Ministerio de Gobierno"})
	}
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	if out := mustRun(t, dir, "office", "show"); !strings.Contains(out, "--verify-url") {
		t.Errorf("office show without an address:\n%s", out)
	}
	out := filepath.Join(t.TempDir(), "c")
	if c, _, errs := run(t, dir, "certificates", id, "--out", out); c == 0 || !strings.Contains(errs, "--signatory") {
		t.Errorf("no signatory: exit %d, stderr %q", c, errs)
	}
	mustRun(t, dir, "office", "set", "--signatory", "Lic. Ana Pérez|Directora")
	if c, _, errs := run(t, dir, "certificates", id, "--out", out); c == 0 || !strings.Contains(errs, "--verify-url") {
		t.Errorf("no address: exit %d, stderr %q", c, errs)
	}
	for _, bad := range []string{"http://127.0.0.1:8080", "https://localhost", "https://10.0.0.8", "https://[::1]"} {
		if c, _, errs := run(t, dir, "office", "set", "--verify-url", bad); c == 0 || !strings.Contains(errs, "https://") {
			t.Errorf("office set --verify-url %s: exit %d, stderr %q", bad, c, errs)
		}
	}
	if files, _ := filepath.Glob(filepath.Join(out, "*.pdf")); len(files) != 0 {
		t.Errorf("%d files written while refused", len(files))
	}
	mustRun(t, dir, "office", "set", "--verify-url", "https://puntos.example.gob.ar")
	mustRun(t, dir, "certificates", id, "--out", out)
	files, _ := filepath.Glob(filepath.Join(out, "*.pdf"))
	if len(files) < 2 {
		t.Fatalf("got %d PDFs", len(files))
	}
	if text := pdftotext(t, files[0]); strings.Contains(text, "EJEMPLO") || !strings.Contains(text, "puntos.example.gob.ar") {
		t.Errorf("certificate:\n%s", text)
	}
}

func TestPrintBadInput(t *testing.T) {
	dir, id := closedDemoSession(t)
	corrupt := write(t, "logo.png", []byte("\x89PNG\r\n\x1a\nnot really"))
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"CorruptLogo", []string{"office", "set", "--logo", corrupt}, "logo"},
		{"MissingLogo", []string{"office", "set", "--logo", "/nope.png"}, "no se puede leer"},
		{"BadSignatory", []string{"office", "set", "--signatory", "solo nombre"}, "Nombre|Cargo"},
		{"NoOut", []string{"certificates", id}, "--out"},
		{"BadDNI", []string{"statement", "12", "--out", "x.pdf"}, "DNI"},
		{"BadSep", []string{"export", id, "--out", "x.csv", "--sep", "|"}, "--sep"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, errs := run(t, dir, c.args...)
			if code == 0 || !strings.Contains(errs, c.want) {
				t.Errorf("exit %d, stderr %q; want failure mentioning %q", code, errs, c.want)
			}
		})
	}
	// The failed settings left the office as it was.
	if out := mustRun(t, dir, "office", "show"); !strings.Contains(out, "Logo: no") {
		t.Errorf("office after failures:\n%s", out)
	}
}

func TestSheetStatementExport(t *testing.T) {
	dir, id := closedDemoSession(t)
	tmp := t.TempDir()
	sheet := filepath.Join(tmp, "planilla.pdf")
	mustRun(t, dir, "sheet", id, "--out", sheet)
	if text := pdftotext(t, sheet); !strings.Contains(text, "PLANILLA DE ASISTENCIA") || !strings.Contains(text, "Página 1 de") || !strings.Contains(text, "presente") {
		t.Errorf("sheet text:\n%.600s", text)
	}
	csvPath := filepath.Join(tmp, "asistencia.csv")
	mustRun(t, dir, "export", id, "--out", csvPath)
	data, _ := os.ReadFile(csvPath)
	if !bytes.HasPrefix(data, []byte("\ufeffFecha;")) || !bytes.Contains(data, []byte("\r\n")) {
		t.Errorf("csv starts %q", data[:min(40, len(data))])
	}
	var show struct {
		Attendees []struct {
			DNI    string `json:"dni"`
			Status string `json:"status"`
		} `json:"attendees"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, dir, "session", "show", id, "--json")), &show); err != nil {
		t.Fatal(err)
	}
	var dni string
	for _, a := range show.Attendees {
		if a.Status == "presente" {
			dni = a.DNI
		}
	}
	st := filepath.Join(tmp, "constancia.pdf")
	mustRun(t, dir, "statement", dni, "--year", "2026", "--out", st)
	if text := pdftotext(t, st); !strings.Contains(text, "PROVISIONAL") {
		t.Errorf("statement text:\n%.600s", text)
	}
}
