package ui_test

import (
	"bytes"
	"image/png"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/ui"
)

// opener records what the app asked the system viewer to open.
type opener struct{ urls []*url.URL }

func (o *opener) open(u *url.URL) error { o.urls = append(o.urls, u); return nil }

func (o *opener) last() string {
	if len(o.urls) == 0 {
		return ""
	}
	return o.urls[len(o.urls)-1].Path
}

// pdfText returns the text of a PDF, skipping the test when pdftotext is
// missing.
func pdfText(t *testing.T, path string) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed")
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	return string(out)
}

// biggestClosedSession returns the demo's closed session with the most attendees.
func (h *harness) biggestClosedSession() storage.SessionInfo {
	h.t.Helper()
	list, err := h.st.Sessions(ctx, storage.ClosedSessions)
	if err != nil || len(list) == 0 {
		h.t.Fatalf("closed sessions: got %d, %v; want some", len(list), err)
	}
	best := list[0]
	for _, s := range list {
		if s.Attendees > best.Attendees {
			best = s
		}
	}
	return best
}

// shotDialog saves the window with its dialogs when PUNTOS_UI_SHOTS is
// set, for a person to look at.
func (h *harness) shotDialog(name string) {
	h.t.Helper()
	h.a.Wait()
	relayout(h.w.Canvas().Content())
	for _, o := range h.w.Canvas().Overlays().List() {
		relayout(o)
	}
	img := h.w.Canvas().Capture()
	dir := os.Getenv("PUNTOS_UI_SHOTS")
	if dir == "" {
		return
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		h.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), b.Bytes(), 0o644); err != nil {
		h.t.Fatal(err)
	}
}

// openToPrint opens the demo's biggest closed session with files going to
// a new temp folder (returned) and op recording what the app opens.
func (h *harness) openToPrint(op *opener) (storage.SessionInfo, string) {
	h.t.Helper()
	s := h.biggestClosedSession()
	h.a.OpenSessionForTest(s.ID)
	h.a.Wait()
	h.a.SetOpener(op.open)
	out := h.t.TempDir()
	if !h.a.SetPrintFolder(out) {
		h.t.Fatal("SetPrintFolder refused a temp folder")
	}
	h.a.Wait()
	return s, out
}

func TestPrintClosedSession(t *testing.T) {
	h := newHarness(t)
	a := h.a
	var op opener
	s, out := h.openToPrint(&op)
	dir := filepath.Join(out, s.Date+"_"+s.ActivityCode)
	if got := a.PrintFolderText(); !strings.Contains(got, dir) {
		t.Errorf("folder line: got %q, want it to name %s", got, dir)
	}
	if got, err := h.st.Setting(ctx, "print_folder", ""); err != nil || got != out {
		t.Errorf("remembered folder: got %q, %v; want %q", got, err, out)
	}
	atts, err := h.st.Attendees(ctx, s.ID)
	if err != nil || len(atts) == 0 {
		t.Fatalf("attendees: %d, %v", len(atts), err)
	}

	t.Run("Sheet", func(t *testing.T) {
		test.Tap(a.PrintSheetButton())
		a.Wait()
		r := a.LastPrint()
		if r == nil || r.Err != nil {
			t.Fatalf("sheet: got %+v, want it printed", r)
		}
		if filepath.Dir(r.Main) != dir {
			t.Errorf("sheet path: got %s, want it in %s", r.Main, dir)
		}
		text := pdfText(t, r.Main)
		if name := atts[0].Person.FullName(); !strings.Contains(text, name) {
			t.Errorf("sheet text lacks %q:\n%s", name, text)
		}
		h.shotDialog("print-1-sheet")
		h.tapDialogButton("Abrir PDF")
		if got := op.last(); got != filepath.ToSlash(r.Main) {
			t.Errorf("opened: got %q, want the sheet %q", got, r.Main)
		}
	})

	var first []byte
	t.Run("Certificates", func(t *testing.T) {
		test.Tap(a.PrintCertsButton())
		if a.PrintCertsButton().Disabled() != true {
			t.Error("certificates button enabled while printing")
		}
		a.Wait()
		r := a.LastPrint()
		if r == nil || r.Err != nil {
			t.Fatalf("certificates: got %+v, want them printed", r)
		}
		if got := a.PrintProgressBar().Value; got != 1 {
			t.Errorf("progress bar: got %v, want 1", got)
		}
		iss := r.Run.Issue
		if len(iss.Certificates) == 0 || len(iss.NotEligible) == 0 {
			t.Fatalf("issue: got %d certificates, %d not eligible; want both (the demo has absentees)",
				len(iss.Certificates), len(iss.NotEligible))
		}
		if len(r.Run.SessionPDFs) != 1 || r.Main != r.Run.SessionPDFs[0] || filepath.Dir(r.Main) != dir {
			t.Errorf("session PDF: got %v (main %s), want one in %s", r.Run.SessionPDFs, r.Main, dir)
		}
		if got, want := len(r.Run.Files), len(iss.Certificates); got != want {
			t.Errorf("per-person files: got %d, want %d", got, want)
		}
		for _, f := range append([]string{r.Main}, r.Run.Files...) {
			if fi, err := os.Stat(f); err != nil || fi.Size() == 0 {
				t.Errorf("file %s: %v", f, err)
			}
		}
		text := pdfText(t, r.Main)
		for _, c := range iss.Certificates {
			if !strings.Contains(text, c.FullName) {
				t.Errorf("session PDF lacks %q", c.FullName)
			}
		}
		shown := h.overlayText()
		ne := iss.NotEligible[0]
		for _, want := range []string{ne.Attendee.Person.FullName(), ne.Message, filepath.Base(r.Main), dir} {
			if !strings.Contains(shown, want) {
				t.Errorf("results dialog lacks %q:\n%s", want, shown)
			}
		}
		h.shotDialog("print-2-certificates")
		h.tapDialogButton("Abrir carpeta")
		if got := op.last(); got != filepath.ToSlash(dir) {
			t.Errorf("opened: got %q, want the folder %q", got, dir)
		}
		h.tapDialogButton("Abrir PDF")
		if got := op.last(); got != filepath.ToSlash(r.Main) {
			t.Errorf("opened: got %q, want the session PDF %q", got, r.Main)
		}
		if a.PrintDialogShowing() {
			t.Error("results dialog still showing after Abrir PDF")
		}
		first, _ = os.ReadFile(r.Main)
	})

	t.Run("Reprint", func(t *testing.T) {
		test.Tap(a.PrintCertsButton())
		a.Wait()
		r := a.LastPrint()
		if r == nil || r.Err != nil {
			t.Fatalf("reprint: got %+v", r)
		}
		if r.Run.Issue.New != 0 {
			t.Errorf("reprint issued %d new certificates, want 0", r.Run.Issue.New)
		}
		again, _ := os.ReadFile(r.Main)
		if len(first) == 0 || !bytes.Equal(first, again) {
			t.Errorf("reprinted session PDF differs (%d bytes, then %d)", len(first), len(again))
		}
		if !strings.Contains(h.overlayText(), "reimpresos") {
			t.Errorf("results dialog does not say they were reprinted:\n%s", h.overlayText())
		}
		h.tapDialogButton("Cerrar")
	})

	t.Run("CSV", func(t *testing.T) {
		test.Tap(a.PrintCSVButton())
		a.Wait()
		r := a.LastPrint()
		if r == nil || r.Err != nil {
			t.Fatalf("csv: got %+v", r)
		}
		b, err := os.ReadFile(r.Main)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) || !bytes.Contains(b, []byte(atts[0].DNI)) {
			t.Errorf("csv: got %.80q…, want a BOM and the attendees' DNIs", b)
		}
		h.tapDialogButton("Abrir archivo")
		if got := op.last(); got != filepath.ToSlash(r.Main) {
			t.Errorf("opened: got %q, want the CSV %q", got, r.Main)
		}
	})

	t.Run("CannotWrite", func(t *testing.T) {
		// A file where the folder should be: no one can write there, root
		// included.
		ro := filepath.Join(t.TempDir(), "no-es-carpeta")
		if err := os.WriteFile(ro, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		a.SetPrintFolder(ro)
		test.Tap(a.PrintSheetButton())
		a.Wait()
		r := a.LastPrint()
		if r == nil || r.Err == nil {
			t.Fatalf("print into a read-only folder: got %+v, want an error", r)
		}
		if got := h.overlayText(); !strings.Contains(got, "No se pudo escribir en "+ro) {
			t.Errorf("error dialog: got %q, want it to name the folder", got)
		}
		h.tapDialogButton("Cerrar")
		if a.PrintSheetButton().Disabled() {
			t.Error("sheet button still disabled after the error")
		}
	})
}

func TestPrintOpenSession(t *testing.T) {
	h := newHarness(t)
	a := h.a
	var op opener
	h.openToday()
	a.SetOpener(op.open)
	out := t.TempDir()
	a.SetPrintFolder(out)
	a.Wait()

	t.Run("CertificatesExplained", func(t *testing.T) {
		test.Tap(a.PrintCertsButton())
		a.Wait()
		if got := h.overlayText(); !strings.Contains(got, "cerrada") || !strings.Contains(got, "Cerrar encuentro") {
			t.Errorf("dialog: got %q, want why certificates wait for the session to close", got)
		}
		if r := a.LastPrint(); r != nil {
			t.Errorf("something was printed: %+v", r)
		}
		if entries, _ := os.ReadDir(out); len(entries) != 0 {
			t.Errorf("folder: got %d entries, want none", len(entries))
		}
		h.shotDialog("print-3-open-explained")
		h.tapDialogButton("Cerrar")
	})

	t.Run("SheetBefore", func(t *testing.T) {
		test.Tap(a.PrintSheetButton())
		a.Wait()
		r := a.LastPrint()
		if r == nil || r.Err != nil {
			t.Fatalf("sheet: got %+v, want it printed", r)
		}
		text := pdfText(t, r.Main)
		if name := a.CheckinAttendees()[0].Person.FullName(); !strings.Contains(text, name) {
			t.Errorf("sheet lacks %q", name)
		}
		if !strings.Contains(h.overlayText(), "filas en blanco") {
			t.Errorf("dialog: got %q, want it to mention the blank rows", h.overlayText())
		}
		h.tapDialogButton("Cerrar")
		if len(op.urls) != 0 {
			t.Errorf("opened %v without being asked", op.urls)
		}
	})

	t.Run("FolderInDataDir", func(t *testing.T) {
		before := a.PrintFolderText()
		if a.SetPrintFolder(filepath.Join(h.dir, "pdf")) {
			t.Error("a folder inside the data folder was accepted")
		}
		if got := h.overlayText(); !strings.Contains(got, "carpeta de datos") {
			t.Errorf("dialog: got %q, want the data-folder refusal", got)
		}
		if got := a.PrintFolderText(); got != before {
			t.Errorf("folder line: got %q, want it unchanged %q", got, before)
		}
	})
}

func TestPrintDefaultFolder(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("USERPROFILE", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	t.Setenv("XDG_DOCUMENTS_DIR", "")
	docs := filepath.Join(home, "Documentos")
	if err := os.Mkdir(docs, 0o755); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t)
	s := h.biggestClosedSession()
	h.a.OpenSessionForTest(s.ID)
	h.a.Wait()
	want := filepath.Join(docs, "Puntos", s.Date+"_"+s.ActivityCode)
	if got := h.a.PrintFolderText(); !strings.Contains(got, want) {
		t.Errorf("folder line: got %q, want it to name %s", got, want)
	}
}

func TestPrintHelpers(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"TA-LENG-01", "TA-LENG-01"},
		{"Güemes/Ñandú 2", "Guemes_Nandu_2"},
		{"../..", "sesion"},
	} {
		if got := ui.FileSafe(c.in); got != c.want {
			t.Errorf("FileSafe(%q): got %q, want %q", c.in, got, c.want)
		}
	}
	sep := string(filepath.Separator)
	data := filepath.Join(sep+"datos", "puntos")
	for _, c := range []struct {
		path string
		want bool
	}{
		{data, true},
		{filepath.Join(data, "x"), true},
		{data + "-pdf", false},
		{filepath.Join(sep + "datos"), false},
	} {
		if got := ui.Within(data, c.path); got != c.want {
			t.Errorf("Within(%q, %q): got %v, want %v", data, c.path, got, c.want)
		}
	}
	if got := ui.FileURL(filepath.Join(sep+"tmp", "con espacio", "a.pdf")).String(); runtime.GOOS != "windows" && got != "file:///tmp/con%20espacio/a.pdf" {
		t.Errorf("FileURL: got %q", got)
	}
}
