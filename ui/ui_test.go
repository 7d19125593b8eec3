package ui_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/storage/demo"
	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/ui"
)

var ctx = context.Background()

// rosterSize is the demo roster the flow tests run on.
const rosterSize = 400

type harness struct {
	t   *testing.T
	a   *ui.App
	w   fyne.Window
	st  *storage.Store
	dir string
}

// newHarness opens a real store in a temp dir filled with the demo data
// (two closed sessions and one open today) and builds the app on it.
func newHarness(t *testing.T) *harness { return newSyncHarness(t, nil) }

// newSyncHarness is newHarness with sync plugged into the status bar.
func newSyncHarness(t *testing.T, sync ui.SyncStatus) *harness {
	t.Helper()
	dir, st := demoStore(t)
	return startApp(t, st, ui.Options{DataDir: dir, Reports: st, Sync: sync, Surveys: st})
}

// demoStore opens a store in a temporary folder filled with the demo data
// and returns the folder and the store.
func demoStore(t *testing.T) (string, *storage.Store) {
	t.Helper()
	dir := t.TempDir()
	st, err := storage.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := demo.Fill(ctx, st, demo.Options{People: rosterSize}); err != nil {
		t.Fatal(err)
	}
	return dir, st
}

func startApp(t *testing.T, st ui.Store, opt ui.Options) *harness {
	t.Helper()
	test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	a := ui.NewForTest(w, st, opt)
	// The app opens at most 1280×680 (TestSmallScreen checks it); most
	// flows are looked at on a larger screen.
	w.Resize(fyne.NewSize(1280, 800))
	t.Cleanup(a.Stop)
	a.Wait()
	h := &harness{t: t, a: a, w: w, dir: opt.DataDir}
	h.st, _ = st.(*storage.Store)
	return h
}

// openToday opens today's open demo session and returns its ID.
func (h *harness) openToday() string {
	h.t.Helper()
	list, err := h.st.Sessions(ctx, storage.OpenSessions)
	if err != nil || len(list) != 1 {
		h.t.Fatalf("open sessions: got %d, %v; want 1", len(list), err)
	}
	h.a.TapSession(indexOf(h.a.SessionItems(), list[0].ID))
	h.a.Wait()
	if got := h.a.Screen(); got != "checkin" {
		h.t.Fatalf("screen after tapping the session: got %q, want checkin", got)
	}
	return list[0].ID
}

func indexOf(items []storage.SessionInfo, id string) int {
	for i, s := range items {
		if s.ID == id {
			return i
		}
	}
	return -1
}

// enter types text into the check-in input as keystrokes, then Enter.
func (h *harness) enter(text string) {
	h.t.Helper()
	in := h.a.CheckinInput()
	test.Type(in, text)
	in.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.a.Wait()
}

func (h *harness) banner() (kind, name string) {
	kind, _, name, _ = h.a.Banner()
	return kind, name
}

// attendance returns the stored attendance of dni at the session.
func (h *harness) attendance(sessionID, dni string) (storage.Attendee, bool) {
	h.t.Helper()
	list, err := h.st.Attendees(ctx, sessionID)
	if err != nil {
		h.t.Fatal(err)
	}
	for _, at := range list {
		if at.DNI == dni {
			return at, true
		}
	}
	return storage.Attendee{}, false
}

// newcomer returns a demo person on the roster not yet at the session.
func (h *harness) newcomer(sessionID string, skip int) domain.Person {
	h.t.Helper()
	for i := skip; i < rosterSize; i++ {
		p := demo.Person(i, 1)
		if _, ok := h.attendance(sessionID, p.DNI); !ok {
			return p
		}
	}
	h.t.Fatal("no demo person left to check in")
	return domain.Person{}
}

// scan writes a person's DNI barcode as a scanner types it, with sep
// between fields.
func scan(p domain.Person, sep string) string {
	f := []string{"00512345678", strings.ToUpper(domain.Fold(p.Surname)), strings.ToUpper(domain.Fold(p.GivenNames)),
		"F", p.DNI, "A", "15/03/1980", "20/05/2015"}
	return strings.Join(f, sep)
}

// tapDialogButton taps the button labelled text in the top overlay.
func (h *harness) tapDialogButton(text string) {
	h.t.Helper()
	top := h.w.Canvas().Overlays().Top()
	if top == nil {
		h.t.Fatalf("no dialog showing; want one with a %q button", text)
	}
	for _, o := range test.LaidOutObjects(top) {
		if b, ok := o.(*widget.Button); ok && b.Text == text && b.Visible() {
			test.Tap(b)
			h.a.Wait()
			return
		}
	}
	h.t.Fatalf("no %q button in the dialog", text)
}

// overlayText returns the text of the labels in the top overlay.
func (h *harness) overlayText() string {
	var b strings.Builder
	if top := h.w.Canvas().Overlays().Top(); top != nil {
		for _, o := range test.LaidOutObjects(top) {
			if l, ok := o.(*widget.Label); ok {
				b.WriteString(l.Text + "\n")
			}
		}
	}
	return b.String()
}

func TestCreateSession(t *testing.T) {
	h := newHarness(t)
	a := h.a
	test.Tap(a.NewSessionButton())
	a.Wait()
	if got := a.Screen(); got != "new-session" {
		t.Fatalf("screen: got %q, want new-session", got)
	}
	if got, want := a.FormInstructor().Text, "Lic. Carla Benítez"; got != want {
		t.Errorf("instructor: got %q, want %q (the last session's)", got, want)
	}

	t.Run("FieldErrors", func(t *testing.T) {
		a.FormDate().SetText("31/02/2026")
		test.Type(a.FormStart(), "25:00")
		test.Type(a.FormActivity(), "zzzz")
		a.Wait()
		test.Tap(a.FormSave())
		a.Wait()
		if got := a.Screen(); got != "new-session" {
			t.Fatalf("screen after saving a bad form: got %q, want new-session", got)
		}
		for field, want := range map[string]string{
			"activity":     a.Tr("form.errActivityPick"),
			"date":         "Esa fecha no existe. Revisá el día y el mes.",
			"start":        "Escribí la hora como HH:MM, entre 00:00 y 23:59 (por ejemplo 09:30).",
			"province":     a.Tr("form.errProvince"),
			"municipality": a.Tr("form.errMunicipality"),
			"end":          "",
		} {
			if got := a.FormError(field); got != want {
				t.Errorf("error next to %s: got %q, want %q", field, got, want)
			}
		}
		a.FormDate().SetText("15-03-2026")
		test.Tap(a.FormSave())
		a.Wait()
		if got, want := a.FormError("date"), "Escribí la fecha como DD/MM/AAAA (por ejemplo 15/03/2026)."; got != want {
			t.Errorf("error next to date: got %q, want %q", got, want)
		}
		a.FormStart().SetText("9:30")
		a.FormEnd().SetText("09:00")
		test.Tap(a.FormSave())
		a.Wait()
		if got := a.FormError("end"); !strings.Contains(got, "posterior") {
			t.Errorf("error next to end: got %q, want it to say it must come after the start", got)
		}
		if got := a.FormError("start"); got != "" {
			t.Errorf("error next to start after fixing it: got %q, want none", got)
		}
	})

	t.Run("OK", func(t *testing.T) {
		act := a.FormActivity()
		act.SetText("")
		test.Type(act, "expediente")
		a.Wait()
		want := "CU-GDE-01 — Curso de expediente electrónico (GDE)"
		if got := a.FormActivitySuggestions(); len(got) != 1 || got[0] != want {
			t.Fatalf("activity suggestions for %q: got %q, want [%q]", "expediente", got, want)
		}
		act.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		if got := act.Text; got != want {
			t.Errorf("activity after Enter: got %q, want %q", got, want)
		}
		if got := a.FormActivitySuggestions(); len(got) != 0 {
			t.Errorf("suggestions after picking: got %q, want none", got)
		}
		a.FormDate().SetText("15/03/2026")
		a.FormEnd().SetText("12:00")
		a.FormProvince().SetSelected("Córdoba")
		place := a.FormMunicipality()
		test.Type(place, "villa mar")
		if got := a.FormPlaceSuggestions(); len(got) == 0 || got[0] != "Villa María" {
			t.Fatalf("place suggestions for %q: got %q, want Villa María first", "villa mar", got)
		}
		place.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		if got := place.Text; got != "Villa María" {
			t.Errorf("municipality after Enter: got %q, want Villa María", got)
		}
		a.FormVenue().SetText("Salón del Concejo")
		a.FormInstructor().SetText("Prof. Ana Ruiz")
		test.Tap(a.FormSave())
		a.Wait()
		if got := a.Screen(); got != "checkin" {
			t.Fatalf("screen after saving: got %q, want checkin (errors: activity %q, date %q, end %q)",
				got, a.FormError("activity"), a.FormError("date"), a.FormError("end"))
		}
		s, err := h.st.Session(ctx, a.CheckinSessionID())
		if err != nil {
			t.Fatal(err)
		}
		got := fmt.Sprintf("%s %s %s-%s %s/%s %s %s", s.ActivityCode, s.Date, s.Start, s.End, s.Province, s.Municipality, s.Venue, s.Instructor)
		if want := "CU-GDE-01 2026-03-15 09:30-12:00 Córdoba/Villa María Salón del Concejo Prof. Ana Ruiz"; got != want {
			t.Errorf("stored session: got %q, want %q", got, want)
		}
		if v, _ := h.st.Setting(ctx, "last_instructor", ""); v != "Prof. Ana Ruiz" {
			t.Errorf("last_instructor: got %q, want the new instructor", v)
		}
	})

	t.Run("FreeTextPlace", func(t *testing.T) {
		test.Tap(a.NavSessions())
		test.Tap(a.NewSessionButton())
		a.Wait()
		if got := a.FormInstructor().Text; got != "Prof. Ana Ruiz" {
			t.Errorf("instructor remembered: got %q, want Prof. Ana Ruiz", got)
		}
		if got := a.FormProvince().Selected; got != "Córdoba" {
			t.Errorf("province remembered: got %q, want Córdoba", got)
		}
		test.Type(a.FormActivity(), "TA-LENG-01")
		a.Wait()
		test.Type(a.FormMunicipality(), "Paraje El Durazno")
		test.Tap(a.FormSave())
		a.Wait()
		if got := a.Screen(); got != "checkin" {
			t.Fatalf("screen: got %q, want checkin (activity error %q)", got, a.FormError("activity"))
		}
		s, _ := h.st.Session(ctx, a.CheckinSessionID())
		if s.Municipality != "Paraje El Durazno" || s.ActivityCode != "TA-LENG-01" {
			t.Errorf("stored: got %s in %q, want TA-LENG-01 in the place as typed", s.ActivityCode, s.Municipality)
		}
	})
}

func TestSessionList(t *testing.T) {
	h := newHarness(t)
	a := h.a
	for _, c := range []struct {
		filter string
		want   int
	}{{"Abiertas", 1}, {"Cerradas", 2}, {"Por sincronizar", 2}, {"Todas", 3}} {
		t.Run(c.filter, func(t *testing.T) {
			a.SessionFilter().SetSelected(c.filter)
			a.Wait()
			if got := len(a.SessionItems()); got != c.want {
				t.Errorf("sessions: got %d, want %d", got, c.want)
			}
		})
	}
	t.Run("TodayFirst", func(t *testing.T) {
		items := a.SessionItems()
		if len(items) == 0 || items[0].State != domain.Open {
			t.Fatalf("first session: got %+v, want today's open one", items)
		}
	})
	if got, want := a.StatusText(), "2 sesiones por sincronizar"; got != want {
		t.Errorf("status bar: got %q, want %q", got, want)
	}
}

func TestCheckIn(t *testing.T) {
	h := newHarness(t)
	a := h.a
	id := h.openToday()
	if h.focused() != a.CheckinInput() {
		t.Errorf("focus on opening: got %v, want the check-in input", h.w.Canvas().Focused())
	}

	t.Run("ByDNI", func(t *testing.T) {
		p := h.newcomer(id, 0)
		before := len(a.CheckinAttendees())
		h.enter(domain.FormatDNI(p.DNI)) // with dots, as people write it
		if kind, name := h.banner(); kind != "ok" || name != p.FullName() {
			t.Errorf("banner: got %s %q, want ok %q", kind, name, p.FullName())
		}
		if got := len(a.CheckinAttendees()); got != before+1 {
			t.Errorf("attendees shown: got %d, want %d", got, before+1)
		}
		if got := a.CheckinInput().Text; got != "" {
			t.Errorf("input after Enter: got %q, want it cleared", got)
		}
		if h.w.Canvas().Focused() != a.CheckinInput() {
			t.Errorf("focus after Enter: got %v, want the check-in input", h.w.Canvas().Focused())
		}
		at, ok := h.attendance(id, p.DNI)
		if !ok || at.Status != domain.Presente || at.Method != domain.Typed {
			t.Errorf("stored: got %+v, %v; want presente, typed", at.Attendance, ok)
		}
		if want := fmt.Sprintf("Asistentes: %d", before+1); a.CheckinCounter() != want {
			t.Errorf("counter: got %q, want %q", a.CheckinCounter(), want)
		}

		t.Run("Already", func(t *testing.T) {
			h.enter(p.DNI)
			if kind, name := h.banner(); kind != "already" || name != p.FullName() {
				t.Errorf("banner: got %s %q, want already %q", kind, name, p.FullName())
			}
			if got := len(a.CheckinAttendees()); got != before+1 {
				t.Errorf("attendees: got %d, want still %d", got, before+1)
			}
		})
	})

	t.Run("ByCUIL", func(t *testing.T) {
		p := h.newcomer(id, 20)
		for p.CUIL == "" {
			p = h.newcomer(id, 21)
		}
		h.enter(domain.FormatCUIL(p.CUIL))
		if kind, name := h.banner(); kind != "ok" || name != p.FullName() {
			t.Errorf("banner: got %s %q, want ok %q", kind, name, p.FullName())
		}
	})

	t.Run("ByNameAndEnter", func(t *testing.T) {
		p := h.newcomer(id, 40)
		in := a.CheckinInput()
		test.Type(in, p.Surname+" "+p.GivenNames)
		a.Wait()
		results := a.CheckinResults()
		if len(results) == 0 {
			t.Fatalf("results for %q: got none", p.FullName())
		}
		top := results[0]
		in.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		a.Wait()
		if kind, name := h.banner(); kind != "ok" || name != top {
			t.Errorf("banner: got %s %q, want ok %q (the top match)", kind, name, top)
		}
		if len(a.CheckinResults()) != 0 || in.Text != "" {
			t.Errorf("after Enter: results %q, input %q; want both cleared", a.CheckinResults(), in.Text)
		}
	})

	t.Run("ByNameArrowDown", func(t *testing.T) {
		in := a.CheckinInput()
		test.Type(in, "go")
		a.Wait()
		results := a.CheckinResults()
		if len(results) < 2 {
			t.Skipf("need two matches for %q, got %d", "go", len(results))
		}
		// A list cut short starts with no row highlighted: ↓ picks the
		// first, ↓ again the second.
		if strings.HasPrefix(a.CheckinResultsTitle(), "Más de") {
			in.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
		}
		in.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
		in.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		a.Wait()
		if _, name := h.banner(); name != results[1] {
			t.Errorf("banner after ↓ Enter: got %q, want the second match %q", name, results[1])
		}
	})

	t.Run("TapResult", func(t *testing.T) {
		p := h.newcomer(id, 60)
		test.Type(a.CheckinInput(), p.DNI)
		a.Wait()
		if len(a.CheckinResults()) != 1 {
			t.Fatalf("results for a full DNI: got %q, want one", a.CheckinResults())
		}
		test.Tap(a.CheckinResultRow(0))
		a.Wait()
		if _, ok := h.attendance(id, p.DNI); !ok {
			t.Errorf("tapped match not checked in")
		}
	})

	for _, sep := range []string{"@", `"`} {
		t.Run("Scan"+map[string]string{"@": "At", `"`: "Quote"}[sep], func(t *testing.T) {
			p := h.newcomer(id, 80)
			in := a.CheckinInput()
			test.Type(in, scan(p, sep))
			a.Wait()
			if got := a.CheckinResults(); len(got) != 0 {
				t.Errorf("results while a scan is typed: got %q, want none (a scan is read whole)", got)
			}
			if got := a.CheckinHint(); got != a.Tr("checkin.scanning") {
				t.Errorf("hint while scanning: got %q, want %q", got, a.Tr("checkin.scanning"))
			}
			in.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
			a.Wait()
			if kind, name := h.banner(); kind != "ok" || name != p.FullName() {
				t.Errorf("banner: got %s %q, want ok %q", kind, name, p.FullName())
			}
			if at, ok := h.attendance(id, p.DNI); !ok || at.Method != domain.Scan {
				t.Errorf("stored: got %+v, %v; want a scan check-in", at.Attendance, ok)
			}
		})
	}

	t.Run("ScanQueue", func(t *testing.T) {
		// A queue scanned without waiting between people: every scan is
		// recorded, in order.
		var people []domain.Person
		for i := 0; len(people) < 5; i++ {
			p := demo.Person(100+i, 1)
			if _, ok := h.attendance(id, p.DNI); !ok {
				people = append(people, p)
			}
		}
		in := a.CheckinInput()
		for _, p := range people {
			test.Type(in, scan(p, "@"))
			in.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		}
		a.Wait()
		for _, p := range people {
			if _, ok := h.attendance(id, p.DNI); !ok {
				t.Errorf("%s not checked in", p.FullName())
			}
		}
		if _, name := h.banner(); name != people[len(people)-1].FullName() {
			t.Errorf("banner: got %q, want the last person scanned", name)
		}
	})

	t.Run("BadInput", func(t *testing.T) {
		for _, s := range []string{"123", "x", "00512345678@GARCIA@JUAN", "@@@@", strings.Repeat("9", 40), "20-12345678-0"} {
			h.enter(s)
			if kind, _ := h.banner(); kind != "error" {
				t.Errorf("banner for %q: got %s, want error", s, kind)
			}
		}
		// Whatever is typed or scanned, nothing breaks and the input is
		// ready for the next person.
		rng := rand.New(rand.NewPCG(1, 2))
		alphabet := []rune("0123456789.-@\" abcñÁÜ'\t\x00\x1b😀")
		for range 200 {
			r := make([]rune, rng.IntN(120))
			for i := range r {
				r[i] = alphabet[rng.IntN(len(alphabet))]
			}
			h.enter(string(r))
			if kind, _ := h.banner(); kind == "" {
				t.Fatalf("no banner after %q", string(r))
			}
			if a.WalkInShowing() {
				test.Tap(a.WalkInCancel())
			}
			if got := a.CheckinInput().Text; got != "" && kindOf(h) != "error" {
				t.Errorf("input after %q: got %q", string(r), got)
			}
		}
		h.enter("Zzyzx")
		if kind, name := h.banner(); kind != "error" || name != "«Zzyzx»" {
			t.Errorf("banner for an unknown name: got %s %q, want error «Zzyzx»", kind, name)
		}
	})
}

// focused returns the focused object of the harness window.
func (h *harness) focused() fyne.Focusable { return h.w.Canvas().Focused() }

func kindOf(h *harness) string { k, _ := h.banner(); return k }
