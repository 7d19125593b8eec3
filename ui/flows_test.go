package ui_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/storage/demo"
	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/ui"
)

func TestWalkIn(t *testing.T) {
	h := newHarness(t)
	a := h.a
	id := h.openToday()

	t.Run("FromUnknownScan", func(t *testing.T) {
		p := domain.Person{DNI: "40111222", Surname: "PÉREZ", GivenNames: "María Elena"}
		h.enter(scan(p, "@"))
		if kind, name := h.banner(); kind != "unknown" || name != "PEREZ, MARIA ELENA" {
			t.Errorf("banner: got %s %q, want unknown with the scanned name", kind, name)
		}
		if !a.WalkInShowing() {
			t.Fatal("walk-in dialog not shown")
		}
		for field, want := range map[string]string{"dni": "40.111.222", "surname": "PEREZ", "given_names": "Maria Elena", "cuil": ""} {
			if got := a.WalkInEntry(field).Text; got != want {
				t.Errorf("pre-filled %s: got %q, want %q", field, got, want)
			}
		}
		a.WalkInEntry("agency").SetText("Municipalidad de Cafayate")
		test.Tap(a.WalkInSave())
		a.Wait()
		if a.WalkInShowing() {
			t.Fatalf("dialog still showing; errors: dni %q surname %q", a.WalkInError("dni"), a.WalkInError("surname"))
		}
		at, ok := h.attendance(id, "40111222")
		if !ok || at.Method != domain.WalkIn || !at.Person.WalkIn || at.Person.Birth != "1980-03-15" {
			t.Errorf("stored: got %+v, %v; want a walk-in with the scan's birth date", at, ok)
		}
		if kind, name := h.banner(); kind != "ok" || name != "PEREZ, Maria Elena" {
			t.Errorf("banner: got %s %q, want ok PEREZ, Maria Elena", kind, name)
		}
		if h.focused() != a.CheckinInput() {
			t.Errorf("focus after the dialog: got %v, want the check-in input", h.focused())
		}
	})

	t.Run("TypedDNIFieldErrors", func(t *testing.T) {
		h.enter("30.999.888")
		if kind, _ := h.banner(); kind != "unknown" {
			t.Errorf("banner: got %s, want unknown", kind)
		}
		if !a.WalkInShowing() {
			t.Fatal("walk-in dialog not shown")
		}
		if got := a.WalkInEntry("dni").Text; got != "30.999.888" {
			t.Errorf("pre-filled DNI: got %q, want 30.999.888", got)
		}
		if h.focused() != a.WalkInEntry("surname") {
			t.Errorf("focus: got %v, want the surname, the first field to fill", h.focused())
		}
		d, _ := domain.CUILCheckDigit("2030999888")
		a.WalkInEntry("cuil").SetText(fmt.Sprintf("20-30999888-%d", (d+1)%10))
		a.WalkInEntry("email").SetText("no es un correo")
		test.Tap(a.WalkInSave())
		a.Wait()
		for field, want := range map[string]string{
			"surname":     "Completá el apellido.",
			"given_names": "Completá los nombres.",
			"cuil":        "El último dígito del CUIL no coincide con los demás. Revisá el número en la constancia de CUIL o en el recibo de sueldo.",
			"dni":         "",
		} {
			if got := a.WalkInError(field); got != want {
				t.Errorf("error next to %s: got %q, want %q", field, got, want)
			}
		}
		a.WalkInEntry("cuil").SetText(fmt.Sprintf("20-30999888-%d", d))
		a.WalkInEntry("surname").SetText("Ñancucheo")
		a.WalkInEntry("given_names").SetText("José")
		test.Tap(a.WalkInSave())
		a.Wait()
		if got := a.WalkInError("email"); !strings.Contains(got, "correo") {
			t.Errorf("error next to email: got %q, want the email one", got)
		}
		a.WalkInEntry("email").SetText("")
		test.Tap(a.WalkInSave())
		a.Wait()
		if a.WalkInShowing() {
			t.Fatalf("dialog still showing; cuil error %q", a.WalkInError("cuil"))
		}
		if at, ok := h.attendance(id, "30999888"); !ok || at.Person.CUIL == "" {
			t.Errorf("stored: got %+v, %v; want the walk-in with the CUIL", at, ok)
		}
	})

	t.Run("ScanIntoDialog", func(t *testing.T) {
		h.enter("32.111.222")
		a.WalkInEntry("surname").SetText("Ruiz")
		a.WalkInEntry("given_names").SetText("Luis")
		// The next person's barcode, scanned before finishing the form.
		test.Type(a.WalkInEntry("agency"), scan(demo.Person(3, 1), "@"))
		a.WalkInEntry("agency").TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		a.Wait()
		if !a.WalkInShowing() || !strings.Contains(a.WalkInError("agency"), "escaneado") {
			t.Errorf("scan typed into the form: showing %v, error %q; want the form kept with a scan warning",
				a.WalkInShowing(), a.WalkInError("agency"))
		}
		if _, ok := h.attendance(id, "32111222"); ok {
			t.Error("walk-in saved with a scan as its agency")
		}
		test.Tap(a.WalkInCancel())
	})

	t.Run("CUILOtherDNI", func(t *testing.T) {
		h.enter("31.222.333")
		a.WalkInEntry("surname").SetText("Gómez")
		a.WalkInEntry("given_names").SetText("Ana")
		d, _ := domain.CUILCheckDigit("2731222334")
		a.WalkInEntry("cuil").SetText(fmt.Sprintf("2731222334%d", d)) // the CUIL of DNI 31.222.334
		test.Tap(a.WalkInSave())
		a.Wait()
		if got := a.WalkInError("cuil"); !strings.Contains(got, "no corresponde al DNI") {
			t.Errorf("error next to cuil: got %q, want the mismatch one", got)
		}
		test.Tap(a.WalkInCancel())
		if a.WalkInShowing() {
			t.Error("dialog still showing after Cancel")
		}
		if _, ok := h.attendance(id, "31222333"); ok {
			t.Error("a cancelled walk-in was checked in")
		}
	})
}

func TestAttendeeEdits(t *testing.T) {
	h := newHarness(t)
	a := h.a
	id := h.openToday()
	list := a.CheckinAttendees()
	if len(list) < 2 {
		t.Fatalf("attendees: got %d, want the demo's", len(list))
	}

	t.Run("ChangeStatus", func(t *testing.T) {
		target := list[0]
		sel := a.AttendeeStatus(target.ID)
		if sel == nil {
			t.Fatal("no status select for the first attendee")
		}
		sel.SetSelected("Justificado")
		a.Wait()
		at, _ := h.attendance(id, target.DNI)
		if at.Status != domain.Justificado {
			t.Errorf("stored status: got %s, want justificado", at.Status)
		}
		if kind, name := h.banner(); kind != "ok" || name != target.Person.FullName() {
			t.Errorf("banner: got %s %q, want ok %q", kind, name, target.Person.FullName())
		}
	})

	t.Run("RemoveAsksFirst", func(t *testing.T) {
		target := list[1]
		test.Tap(a.AttendeeRemove(target.ID))
		if !strings.Contains(h.overlayText(), target.Person.FullName()) {
			t.Errorf("confirmation: got %q, want it to name %q", h.overlayText(), target.Person.FullName())
		}
		h.tapDialogButton("Cancelar")
		if _, ok := h.attendance(id, target.DNI); !ok {
			t.Fatal("removed although the confirmation was cancelled")
		}
		test.Tap(a.AttendeeRemove(target.ID))
		h.tapDialogButton("Quitar")
		if _, ok := h.attendance(id, target.DNI); ok {
			t.Error("still checked in after confirming the removal")
		}
		if got := len(a.CheckinAttendees()); got != len(list)-1 {
			t.Errorf("attendees shown: got %d, want %d", got, len(list)-1)
		}
	})

	t.Run("CloseIsReadOnly", func(t *testing.T) {
		sum, _ := h.st.SessionSummary(ctx, id)
		test.Tap(a.CheckinCloseButton())
		a.Wait()
		text := h.overlayText()
		for _, want := range []string{"Presentes", "Ausentes", "Sin inscripción previa", fmt.Sprint(sum.Presente), fmt.Sprint(sum.Total)} {
			if !strings.Contains(text, want) {
				t.Errorf("summary %q lacks %q", text, want)
			}
		}
		h.tapDialogButton("Cerrar encuentro")
		s, _ := h.st.Session(ctx, id)
		if s.State != domain.Closed {
			t.Fatalf("stored state: got %s, want closed", s.State)
		}
		if !a.CheckinInput().Disabled() {
			t.Error("input still enabled on a closed session")
		}
		if got := a.CheckinStateBadge(); got != "Sesión cerrada" {
			t.Errorf("state label: got %q, want Sesión cerrada", got)
		}
		if a.CheckinCloseButton().Visible() {
			t.Error("close button still showing")
		}
		rest := a.CheckinAttendees()[0]
		if sel := a.AttendeeStatus(rest.ID); sel == nil || !sel.Disabled() {
			t.Error("status select enabled on a closed session")
		}
		if b := a.AttendeeRemove(rest.ID); b == nil || b.Visible() {
			t.Error("remove button showing on a closed session")
		}
		test.Type(a.CheckinInput(), "12345678")
		if got := a.CheckinInput().Text; got != "" {
			t.Errorf("typing into a closed session's input: got %q, want nothing", got)
		}
		if got, want := a.StatusText(), "3 sesiones por sincronizar"; got != want {
			t.Errorf("status bar: got %q, want %q", got, want)
		}
		// Reopening the screen later shows it read-only too.
		test.Tap(a.NavSessions())
		a.Wait()
		a.TapSession(indexOf(a.SessionItems(), id))
		a.Wait()
		if !a.CheckinInput().Disabled() || a.CheckinStateBadge() != "Sesión cerrada" {
			t.Error("closed session reopened editable")
		}
	})
}

// slowRoster is the real store with a FindPeople that waits, for the
// queries named in hold, until released.
type slowRoster struct {
	*storage.Store
	mu      sync.Mutex
	hold    map[string]chan struct{}
	started chan string
}

func (s *slowRoster) FindPeople(ctx context.Context, q string, limit int) ([]domain.Person, error) {
	s.mu.Lock()
	ch := s.hold[q]
	s.mu.Unlock()
	s.started <- q
	if ch != nil {
		<-ch
	}
	return s.Store.FindPeople(ctx, q, limit)
}

func TestStaleResultsDropped(t *testing.T) {
	base := newHarness(t)
	slow := &slowRoster{Store: base.st, started: make(chan string, 100),
		hold: map[string]chan struct{}{"go": make(chan struct{}), "gon": make(chan struct{})}}
	h := startApp(t, slow, ui.Options{Reports: slow})
	h.st = base.st
	h.openToday()
	in := h.a.CheckinInput()
	in.SetText("go")
	if q := <-slow.started; q != "go" {
		t.Fatalf("first search: got %q, want go", q)
	}
	in.SetText("gon") // typed while the search for "go" runs
	close(slow.hold["go"])
	if q := <-slow.started; q != "gon" {
		t.Fatalf("second search: got %q, want gon", q)
	}
	// The answer for "go" has arrived; the input says "gon".
	h.a.Pump()
	if got := h.a.CheckinResults(); len(got) != 0 {
		t.Errorf("results shown for the old text %q: got %q, want none yet", "go", got)
	}
	close(slow.hold["gon"])
	h.a.Wait()
	want, _ := base.st.FindPeople(ctx, "gon", 8)
	var names []string
	for _, p := range want {
		names = append(names, p.FullName())
	}
	if got := h.a.CheckinResults(); fmt.Sprint(got) != fmt.Sprint(names) {
		t.Errorf("results: got %q, want those for gon %q", got, names)
	}
}

func TestLanguage(t *testing.T) {
	h := newHarness(t)
	a := h.a
	if got := a.NavSessions().Text; got != "Sesiones" {
		t.Fatalf("default label: got %q, want Sesiones", got)
	}
	test.Tap(a.NavSettings())
	a.LanguageChoice().SetSelected("English")
	a.Wait()
	for got, want := range map[string]string{
		a.NavSessions().Text: "Sessions", a.NavRoster().Text: "Roster", a.NavSettings().Text: "Settings",
		a.Screen(): "settings", a.StatusText(): "2 sessions waiting to sync",
	} {
		if got != want {
			t.Errorf("after switching to English: got %q, want %q", got, want)
		}
	}
	if v, _ := h.st.Setting(ctx, "ui_lang", ""); v != "en" {
		t.Errorf("stored language: got %q, want en", v)
	}
	// A new start remembers it.
	again := startApp(t, h.st, ui.Options{Reports: h.st})
	if got := again.a.NavSessions().Text; got != "Sessions" {
		t.Errorf("label after a restart: got %q, want Sessions", got)
	}
	test.Tap(again.a.NavSettings())
	again.a.LanguageChoice().SetSelected("Español (Argentina)")
	again.a.Wait()
	if got := again.a.NavSessions().Text; got != "Sesiones" {
		t.Errorf("label after switching back: got %q, want Sesiones", got)
	}
}

func TestRosterImport(t *testing.T) {
	h := newHarness(t)
	a := h.a
	test.Tap(a.NavRoster())
	a.Wait()
	if got := a.RosterCount(); got != fmt.Sprintf("%d agentes en el padrón", rosterSize) {
		t.Errorf("count: got %q", got)
	}
	var csv bytes.Buffer
	if err := demo.Roster(&csv, 12000, 9); err != nil {
		t.Fatal(err)
	}
	csv.WriteString("abc;;GARCÍA;Juan;ANSES;;Salta\n")                 // line 12002: bad DNI
	csv.WriteString("23456789;;;Ana;ANSES;;Salta\n")                   // line 12003: no surname
	csv.WriteString("34567890;20-11111111-1;LÓPEZ;Eva;ANSES;;Jujuy\n") // line 12004: bad CUIL
	var mu sync.Mutex
	var seen []float64
	a.RosterOnProgress(func(f float64) { mu.Lock(); seen = append(seen, f); mu.Unlock() })
	a.RosterImport("padron.csv", nopCloser{bytes.NewReader(csv.Bytes())})
	a.Wait()
	mu.Lock()
	if len(seen) < 3 || seen[len(seen)-1] != 1 {
		t.Errorf("progress values: got %v, want several, ending at 1", seen)
	}
	mu.Unlock()
	if got := a.RosterProgressBar().Value; got != 1 {
		t.Errorf("progress bar: got %v, want 1", got)
	}
	rejects := a.RosterRejects()
	var lines []int
	for _, r := range rejects {
		lines = append(lines, r.Line)
	}
	if fmt.Sprint(lines) != "[12002 12003 12004]" {
		t.Errorf("rejected lines: got %v, want [12002 12003 12004]", lines)
	}
	if got := a.RosterSummary(); !strings.Contains(got, "12.000 agregados") || !strings.Contains(got, "3 rechazados") {
		t.Errorf("summary: got %q", got)
	}
	if a.RosterSaveButton().Disabled() {
		t.Error("Guardar informe disabled with rejected lines")
	}
	path := filepath.Join(t.TempDir(), "rechazos.csv")
	if err := a.RosterSaveReport(path); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	report := string(got)
	if !strings.HasPrefix(report, "\ufeffLínea;Campo;Motivo\r\n12002;") || strings.Count(report, "\r\n") != 4 {
		t.Errorf("report: got %q", report)
	}
	if n, _ := h.st.CountPeople(ctx); n != rosterSize+12000 {
		t.Errorf("people: got %d, want %d", n, rosterSize+12000)
	}

	t.Run("Search", func(t *testing.T) {
		p := demo.Person(5, 9)
		test.Type(a.RosterSearch(), p.DNI)
		a.Wait()
		if got := a.RosterResults(); len(got) != 1 || got[0] != p.FullName() {
			t.Errorf("results for a DNI: got %q, want [%q]", got, p.FullName())
		}
	})

	t.Run("BadFile", func(t *testing.T) {
		a.RosterImport("vacio.csv", nopCloser{bytes.NewReader(nil)})
		a.Wait()
		if got := a.RosterSummary(); got == "" {
			t.Error("no message for an empty file")
		}
		if n, _ := h.st.CountPeople(ctx); n != rosterSize+12000 {
			t.Errorf("people after a failed import: got %d, want unchanged", n)
		}
	})
}

type nopCloser struct{ *bytes.Reader }

func (nopCloser) Close() error { return nil }

// fakeSync is a SyncStatus the test drives.
type fakeSync struct {
	mu     sync.Mutex
	state  ui.SyncState
	notify func()
	asked  int
}

func (f *fakeSync) SyncState() ui.SyncState { f.mu.Lock(); defer f.mu.Unlock(); return f.state }
func (f *fakeSync) OnSyncChange(fn func())  { f.notify = fn }
func (f *fakeSync) SyncNow()                { f.mu.Lock(); f.asked++; f.mu.Unlock() }

func TestStatusBarSyncHook(t *testing.T) {
	dir := t.TempDir()
	st, err := storage.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	fs := &fakeSync{state: ui.SyncState{LastError: "Sin conexión con el registro: se reintenta sola."}}
	h := startApp(t, st, ui.Options{Sync: fs, Reports: st})
	if got := h.a.StatusText(); got != "Todo sincronizado: sesiones, asistencias y certificados" {
		t.Errorf("status with nothing waiting: got %q", got)
	}
	if got := h.a.SyncText(); got != fs.state.LastError {
		t.Errorf("sync state: got %q, want the last error", got)
	}
	test.Tap(h.a.SyncNowButton())
	if fs.asked != 1 {
		t.Errorf("SyncNow calls: got %d, want 1", fs.asked)
	}
	fs.mu.Lock()
	fs.state = ui.SyncState{LastSync: time.Date(2026, 3, 15, 18, 30, 0, 0, domain.Argentina)}
	fs.mu.Unlock()
	// The change comes from the sync's goroutine; once it has been heard,
	// Wait shows it.
	heard := make(chan struct{})
	go func() {
		fs.notify()
		close(heard)
	}()
	<-heard
	h.a.Wait()
	if got := h.a.SyncText(); got != "Última sincronización: 15/03/2026 18:30" {
		t.Errorf("sync state after a change: got %q", got)
	}
}

func TestAbout(t *testing.T) {
	h := newHarness(t)
	name, version := h.a.AboutText()
	if name != "Puntos" || version != "Versión de desarrollo" {
		t.Errorf("about with empty metadata: got %q %q", name, version)
	}
	test.Tap(h.a.AboutButton())
	if !strings.Contains(h.overlayText(), "Puntos") {
		t.Errorf("about dialog: got %q", h.overlayText())
	}
}
