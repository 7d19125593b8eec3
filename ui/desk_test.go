package ui_test

import (
	"errors"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/storage/demo"
	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/ui"
)

// TestArgentinaTime: a check-in is stored in UTC and shown in Argentina's
// time, whatever the computer's zone.
func TestArgentinaTime(t *testing.T) {
	h := newHarness(t)
	at := time.Date(2026, 3, 15, 13, 5, 0, 0, time.UTC) // 10:05 in Argentina
	h.st.Now = func() time.Time { return at.In(time.FixedZone("X", 5*3600)) }
	id := h.openToday()
	p := h.newcomer(id, 0)
	h.enter(p.DNI)
	got, ok := h.attendance(id, p.DNI)
	if !ok {
		t.Fatalf("%s not checked in", p.DNI)
	}
	if !got.At.Equal(at) || got.At.Location() != time.UTC {
		t.Errorf("stored %v, want %v in UTC", got.At, at)
	}
	if shown := h.a.AttendeeTime(got.ID); shown != "10:05" {
		t.Errorf("row shows %q, want 10:05 (Argentina)", shown)
	}
	h.enter(p.DNI) // again: "ya estaba registrado/a a las 10:05"
	if _, _, _, detail := h.a.Banner(); !strings.Contains(detail, "10:05") {
		t.Errorf("already-here banner %q, want 10:05", detail)
	}
}

// TestClockWarning: the status bar warns when the computer's zone is not
// −03:00 or its clock was more than 10 minutes off the registry's at the
// last sync.
func TestClockWarning(t *testing.T) {
	st, err := storage.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	fs := &fakeSync{state: ui.SyncState{LastSync: time.Now(), ClockChecked: true, ClockDrift: 3 * time.Minute}}
	h := startApp(t, st, ui.Options{Sync: fs, Reports: st})
	h.a.SetZoneOffset(domain.ArgentinaOffset)
	if got := h.a.ClockWarning(); got != "" {
		t.Errorf("clock 3 min off in Argentina's zone: warning %q", got)
	}
	h.a.SetZoneOffset(0)
	if got := h.a.ClockWarning(); got != "Zona horaria" {
		t.Errorf("UTC zone: warning %q", got)
	}
	test.Tap(h.a.ClockWarningButton())
	if got := h.overlayText(); !strings.Contains(got, "UTC+00:00") || !strings.Contains(got, "hora de Argentina") {
		t.Errorf("details %q", got)
	}
	h.w.Canvas().Overlays().Top().Hide()
	h.a.SetZoneOffset(domain.ArgentinaOffset)
	fs.mu.Lock()
	fs.state.ClockDrift = -25 * time.Minute
	fs.mu.Unlock()
	fs.notify()
	h.a.Wait()
	if got := h.a.ClockWarning(); got != "Reloj desfasado" {
		t.Errorf("clock 25 min behind: warning %q", got)
	}
	test.Tap(h.a.ClockWarningButton())
	if got := h.overlayText(); !strings.Contains(got, "25 minutos atrasado") {
		t.Errorf("details %q", got)
	}
}

// commonSurname returns a one-word surname of the demo roster, folded,
// that 9 people or more share: more than the check-in lists.
func commonSurname(t *testing.T) string {
	t.Helper()
	count := map[string]int{}
	for i := range rosterSize {
		s := domain.Fold(demo.Person(i, 1).Surname)
		if count[s]++; count[s] >= 9 && !strings.Contains(s, " ") {
			return s
		}
	}
	t.Fatal("no surname shared by 9 people in the demo roster")
	return ""
}

// TestCutResults: a surname that matches more people than the list shows
// says so, lists whole-surname matches first, and Enter checks in nobody
// until ↑↓ pick a row.
func TestCutResults(t *testing.T) {
	h := newHarness(t)
	id := h.openToday()
	surname := commonSurname(t)
	before, _ := h.st.Attendees(ctx, id)
	in := h.a.CheckinInput()
	test.Type(in, surname)
	h.a.Wait()
	if got := h.a.CheckinResultsTitle(); !strings.HasPrefix(got, "Más de 8: agregá el nombre o usá el DNI") {
		t.Errorf("title %q", got)
	}
	results := h.a.CheckinResults()
	if len(results) != 8 {
		t.Fatalf("%d results shown, want 8", len(results))
	}
	for _, name := range results {
		if sur, _, _ := strings.Cut(name, ","); domain.Fold(sur) != surname {
			t.Errorf("%q listed among the first 8 for %q: whole surnames first", name, surname)
		}
	}
	in.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.a.Wait()
	if kind, title, _, _ := h.a.Banner(); kind != "error" || title != "Hay más coincidencias" {
		t.Errorf("Enter on a cut list: banner %s %q", kind, title)
	}
	if after, _ := h.st.Attendees(ctx, id); len(after) != len(before) {
		t.Fatalf("Enter on a cut list checked someone in: %d → %d", len(before), len(after))
	}
	if in.Text != surname {
		t.Errorf("input %q, want the text kept to add to", in.Text)
	}
	// Enter before the results come back is no guess either.
	in.SetText("")
	in.SetText(surname)
	in.OnSubmitted(surname) // the search has not answered yet
	h.a.Wait()
	if after, _ := h.st.Attendees(ctx, id); len(after) != len(before) {
		t.Fatalf("a fast Enter on a cut list checked someone in")
	}
	// ↓ picks the first row; Enter checks that person in.
	h.a.Wait()
	in.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	in.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.a.Wait()
	if kind, name := h.banner(); kind != "ok" && kind != "already" || name != results[0] {
		t.Errorf("↓ Enter: banner %s %q, want %q", kind, name, results[0])
	}
}

// TestNoParenthesizedPlurals: no label writes "(s)" for a plural; counts
// go through kit's Count or Plural.
func TestNoParenthesizedPlurals(t *testing.T) {
	for k, v := range ui.Texts() {
		for _, s := range v {
			if strings.Contains(s, "(s)") || strings.Contains(s, "(es)") {
				t.Errorf("%s: %q", k, s)
			}
		}
	}
}

// TestNoPDFViewer: when the system cannot open the PDF, the app offers
// to show its folder, or to copy its path.
func TestNoPDFViewer(t *testing.T) {
	h := newHarness(t)
	a := h.a
	s := h.biggestClosedSession()
	a.OpenSessionForTest(s.ID)
	a.Wait()
	var opened []string
	a.SetOpener(func(u *url.URL) error {
		if strings.HasSuffix(u.Path, ".pdf") {
			return errors.New("xdg-open: no method available for opening a PDF")
		}
		opened = append(opened, u.Path)
		return nil
	})
	if !a.SetPrintFolder(t.TempDir()) {
		t.Fatal("SetPrintFolder refused a temp folder")
	}
	a.Wait()
	test.Tap(a.PrintSheetButton())
	a.Wait()
	r := a.LastPrint()
	if r == nil || r.Err != nil {
		t.Fatalf("sheet: %+v", r)
	}
	h.tapDialogButton("Abrir PDF")
	if got := h.overlayText(); !strings.Contains(got, "programa para ver PDF") || !strings.Contains(got, r.Dir) {
		t.Fatalf("after the viewer failed: %q", got)
	}
	h.tapDialogButton("Copiar la ruta")
	if got := fyne.CurrentApp().Clipboard().Content(); got != r.Main {
		t.Errorf("clipboard %q, want %q", got, r.Main)
	}
	h.tapDialogButton("Mostrar en la carpeta")
	if len(opened) != 1 || opened[0] != filepath.ToSlash(r.Dir) {
		t.Errorf("opened %q, want the folder %q", opened, r.Dir)
	}
}

// TestSmallScreen: at 1280×720 (and at the 1280×680 the window opens at)
// every screen fits, the status bar with "Sincronizar ahora" in sight, and
// the check-in shows eight matches without scrolling.
func TestSmallScreen(t *testing.T) {
	h := newSyncHarness(t, &fakeSync{state: ui.SyncState{LastSync: time.Now()}})
	for _, size := range []fyne.Size{{Width: 1280, Height: 720}, {Width: 1280, Height: 680}} {
		h.w.Resize(size)
		for _, screen := range []string{"sessions", "new-session", "roster", "settings", "problems", "checkin", "survey"} {
			if screen == "checkin" {
				h.openToday()
			} else {
				h.a.ShowScreen(screen)
			}
			h.a.Wait()
			relayout(h.w.Canvas().Content())
			if min := h.w.Canvas().Content().MinSize(); min.Height > size.Height || min.Width > size.Width {
				t.Errorf("%v, %s: needs %v", size, screen, min)
			}
			bottom, height := h.a.StatusBarBottom()
			if !h.a.StatusBarVisible() || height < 20 || bottom > size.Height+0.5 {
				t.Errorf("%v, %s: status bar ends at %v (height %v)", size, screen, bottom, height)
			}
		}
		// The check-in screen is showing: eight matches, all in sight.
		surname := commonSurname(t)
		in := h.a.CheckinInput()
		in.SetText("")
		test.Type(in, surname)
		h.a.Wait()
		relayout(h.w.Canvas().Content())
		if n, shown := len(h.a.CheckinResults()), h.a.ResultRowsVisible(); n < 8 || shown < 8 {
			t.Errorf("%v: %d of %d matches in sight, want 8", size, shown, n)
		}
		in.SetText("")
	}
}

// TestWindowSizeRemembered: the window opens at the size it closed at.
func TestWindowSizeRemembered(t *testing.T) {
	st, err := storage.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	test.NewTempApp(t)
	w := test.NewWindow(nil) // closed below, not by the test's cleanup
	a := ui.NewForTest(w, st, ui.Options{})
	if got := w.Canvas().Size(); got != fyne.NewSize(1280, 680) {
		t.Errorf("first opened at %v, want 1280×680", got)
	}
	w.Resize(fyne.NewSize(1100, 640))
	w.Close()
	a.Stop()
	if got, err := st.Setting(ctx, "window_size", ""); err != nil || got != "1100x640" {
		t.Fatalf("remembered %q, %v", got, err)
	}
	w = test.NewTempWindow(t, nil)
	a = ui.NewForTest(w, st, ui.Options{})
	t.Cleanup(a.Stop)
	if got := w.Canvas().Size(); got != fyne.NewSize(1100, 640) {
		t.Errorf("reopened at %v, want 1100×640", got)
	}
}

// TestActivityInfoPlural: one session is "1 encuentro", not "1
// encuentro(s)"; four are "4 encuentros".
func TestActivityInfoPlural(t *testing.T) {
	h := newHarness(t)
	a := h.a
	test.Tap(a.NewSessionButton())
	a.Wait()
	for code, want := range map[string]string{
		"CH-INSP-01": "Tipo: charla · 2 h · 2 puntos · 1 encuentro",
		"CU-GDE-01":  "Tipo: curso · 12 h · 20 puntos · 4 encuentros",
	} {
		in := a.FormActivity()
		in.SetText("")
		test.Type(in, code)
		a.Wait()
		in.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		a.Wait()
		if got := a.FormActivityInfo(); got != want {
			t.Errorf("%s: %q, want %q", code, got, want)
		}
	}
}
