package ui_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/puntos-ar/puntos/storage"
)

// TestOfficeSetupBeforeFirstCertificate walks a coordinator whose office
// has no signatory and no public address through the office form, with a
// preview, before the first certificate goes out.
func TestOfficeSetupBeforeFirstCertificate(t *testing.T) {
	h := newHarness(t)
	a := h.a
	// Not a demo folder: no mark, no demo CSVs, an office never set up.
	if err := h.st.SetSetting(ctx, "demo", ""); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(h.st.Dir(), "demo")); err != nil {
		t.Fatal(err)
	}
	if err := h.st.SetOffice(ctx, storage.Office{Name: "Oficina sin firmas"}); err != nil {
		t.Fatal(err)
	}
	var op opener
	h.openToPrint(&op)

	test.Tap(a.PrintCertsButton())
	a.Wait()
	f := a.OfficeForm()
	if f == nil {
		t.Fatal("no office setup before the first certificate")
	}
	if got := f.IntroText(); !strings.Contains(got, "firmante con su cargo") || !strings.Contains(got, "vista previa") {
		t.Errorf("setup intro: got %q, want why and what to do", got)
	}
	if states, err := h.st.SyncStates(ctx); err != nil || len(states["certificate"]) != 0 {
		t.Fatalf("certificates issued before the setup: %v, %v", states["certificate"], err)
	}
	h.shotDialog("office-setup-1")

	// A signatory without a role is not enough.
	f.Entry("name").SetText("Dirección de Capacitación de Tandil")
	f.Entry("sig1.name").SetText("Lic. Ana Pérez")
	f.Entry("sig1.role").SetText("")
	test.Tap(f.PreviewButton())
	a.Wait()
	if got := f.Error("sig1.role"); !strings.Contains(got, "cargo") {
		t.Errorf("error next to the role: got %q, want the role asked for", got)
	}
	if len(op.urls) != 0 {
		t.Errorf("a preview opened with the form incomplete: %v", op.urls)
	}

	// The preview shows the certificate as it will print, marked.
	f.Entry("sig1.role").SetText("Directora de Capacitación")
	f.Entry("url").SetText("https://192.168.0.10")
	test.Tap(f.PreviewButton())
	a.Wait()
	path := f.PreviewPath()
	if path == "" || op.last() != filepath.ToSlash(path) {
		t.Fatalf("preview: wrote %q, opened %q", path, op.last())
	}
	t.Cleanup(func() { os.Remove(path) })
	text := pdfText(t, path)
	// The mark runs across the page: read in content order, not by layout.
	raw, err := exec.Command("pdftotext", "-raw", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text += string(raw)
	for _, want := range []string{"EJEMPLO — SIN VALIDEZ", "Lic. Ana Pérez", "Directora de Capacitación", "DIRECCIÓN DE CAPACITACIÓN DE TANDIL"} {
		if !strings.Contains(text, want) {
			t.Errorf("preview lacks %q:\n%s", want, text)
		}
	}

	// A private address is refused next to its field.
	test.Tap(f.SaveButton())
	a.Wait()
	if got := f.Error("url"); !strings.Contains(got, "red interna") {
		t.Errorf("error next to the address: got %q, want the private address refused", got)
	}
	if a.OfficeForm() == nil {
		t.Fatal("form closed with a private address")
	}

	// Saved, the certificates go out at once, with the signatory.
	f.Entry("url").SetText("https://puntos.gob.ar")
	test.Tap(f.SaveButton())
	a.Wait()
	if a.OfficeForm() != nil {
		t.Fatalf("form still showing; status %q", f.Status())
	}
	r := a.LastPrint()
	if r == nil || r.Err != nil || len(r.Run.Files) == 0 {
		t.Fatalf("certificates after the setup: %+v", r)
	}
	text = pdfText(t, r.Main)
	if !strings.Contains(text, "Lic. Ana Pérez") || strings.Contains(text, "EJEMPLO") {
		t.Errorf("certificates: want the signatory and no demo mark:\n%.600s", text)
	}
	h.shotDialog("office-setup-2-issued")
}
