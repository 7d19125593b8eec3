package ui_test

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/storage/demo"
	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/storage/participants"
	"github.com/puntos-ar/puntos/ui"
)

// TestParticipantsReport loads a Zoom report into a virtual session:
// nothing is stored until the preview is confirmed, and the participants
// not found are settled by hand (ignored, picked from the roster, added
// as a walk-in).
func TestParticipantsReport(t *testing.T) {
	dir := t.TempDir()
	st, err := storage.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := demo.Fill(ctx, st, demo.Options{People: rosterSize}); err != nil {
		t.Fatal(err)
	}
	today := time.Now()
	s, err := st.CreateSession(ctx, domain.Session{ActivityCode: "VI-CIBER-01", Date: today.Format("2006-01-02"),
		Start: "10:00", End: "13:00", Province: "Salta", Platform: "Zoom"})
	if err != nil || s.Modality != domain.Remote {
		t.Fatalf("virtual session: %+v, %v", s, err)
	}
	h := startApp(t, st, ui.Options{DataDir: dir, Reports: st, Participants: st})
	test.Tap(h.a.NavSessions())
	h.a.Wait()
	h.a.TapSession(indexOf(h.a.SessionItems(), s.ID))
	h.a.Wait()
	if !h.a.ReportButton().Visible() {
		t.Fatal("no «Cargar informe de participantes» button on a virtual session")
	}

	p0, p1, p2 := h.newcomer(s.ID, 0), h.newcomer(s.ID, 1), h.newcomer(s.ID, 2)
	at := func(clock string) string {
		c, _ := time.Parse("15:04", clock)
		return time.Date(today.Year(), today.Month(), today.Day(), c.Hour(), c.Minute(), 0, 0, time.UTC).Format("01/02/2006 03:04:05 PM")
	}
	row := func(name, email, from, to string) string {
		return fmt.Sprintf("%s,%s,%s,%s,0,No\r\n", name, email, at(from), at(to))
	}
	report := "Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants\r\n" +
		"85123456789,Seguridad," + at("09:50") + "," + at("13:05") + ",capacitacion@gob.ar,195,5\r\n\r\n" +
		"Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\r\n" +
		row(p0.GivenNames+" "+p0.Surname+" - "+p0.DNI, "", "09:58", "12:59") +
		row("iPad de Juan", "", "10:00", "12:00") +
		row("Invitado", "invitado.77@gmail.com", "10:00", "12:50") +
		row("Rocío Nueva - 30111222", "", "10:00", "12:45")
	h.a.LoadReport("participants_85123456789.csv", io.NopCloser(bytes.NewReader([]byte("\ufeff"+report))))
	h.a.Wait()
	if !h.a.ReportShowing() {
		t.Fatal("no preview after loading the report")
	}
	if sum := h.a.ReportSummary(); !strings.Contains(sum, "Zoom") || !strings.Contains(sum, "135 minutos") {
		t.Errorf("summary %q", sum)
	}
	if _, ok := h.attendance(s.ID, p0.DNI); ok {
		t.Fatal("the preview stored an attendance")
	}
	if got := h.a.ReportUnmatched(); strings.Join(got, "|") != "iPad de Juan|invitado.77@gmail.com|Rocío Nueva - 30111222" {
		t.Fatalf("unmatched %q", got)
	}

	h.a.ReportIgnore(0)
	h.a.Wait()
	h.a.ReportSearch(0, p1.DNI) // the guest is p1: found by DNI in the roster
	h.a.Wait()
	if opts := h.a.ReportOptions(0); len(opts) != 1 || !strings.Contains(opts[0], domain.FormatDNI(p1.DNI)) {
		t.Fatalf("search options %q", opts)
	}
	h.a.ReportPick(0, 0)
	h.a.Wait()
	dni, surname, given := h.a.ReportWalkIn(0)
	if dni.Text != "30111222" || surname.Text != "Nueva" || given.Text != "Rocío" {
		t.Errorf("walk-in form pre-filled with %q %q %q", dni.Text, surname.Text, given.Text)
	}
	h.tapDialogButton("Agregar")
	if got := h.a.ReportUnmatched(); len(got) != 0 {
		t.Fatalf("still unmatched: %q", got)
	}
	if ch := h.a.ReportChanges(); !strings.Contains(ch, "+ ") || strings.Count(ch, "\n") != 2 {
		t.Errorf("changes %q, want three additions", ch)
	}

	test.Tap(h.a.ReportSave())
	h.a.Wait()
	if h.a.ReportShowing() {
		t.Error("the preview still shows after saving")
	}
	for _, tc := range []struct {
		dni    string
		status domain.Status
	}{{p0.DNI, domain.Presente}, {p1.DNI, domain.Presente}, {"30111222", domain.Presente}} {
		a, ok := h.attendance(s.ID, tc.dni)
		if !ok || a.Status != tc.status || a.Minutes == nil {
			t.Errorf("attendance of %s: %+v, %v", tc.dni, a, ok)
		}
	}
	if _, ok := h.attendance(s.ID, p2.DNI); ok {
		t.Error("someone not in the report was checked in")
	}
	if kind, _ := h.banner(); kind != "ok" {
		t.Errorf("banner %q after saving", kind)
	}
	// The guest's email now points to p1 for the next report.
	rep, err := participants.Parse(strings.NewReader(report), storage.ParticipantsDay(s))
	if err != nil {
		t.Fatal(err)
	}
	res, err := st.PreviewParticipants(ctx, s.ID, rep, storage.ParticipantOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range res.Lines {
		if l.Email == "invitado.77@gmail.com" && (l.By != storage.ByRemembered || l.Person.DNI != p1.DNI) {
			t.Errorf("remembered email: %+v", l)
		}
	}
}

// TestCreateVirtualSession: the form makes a virtual session without a
// municipality, and asks an online one for its times.
func TestCreateVirtualSession(t *testing.T) {
	h := newHarness(t)
	a := h.a
	test.Tap(a.NewSessionButton())
	a.Wait()
	act := a.FormActivity()
	test.Type(act, "Seguridad de la informa")
	a.Wait()
	act.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	a.FormProvince().SetSelected("Salta")
	if got := a.FormModality().Selected; got != a.Tr("modality.virtual") {
		t.Errorf("modality after picking a virtual activity: %q", got)
	}
	if !a.FormPlatform().Visible() {
		t.Error("the online fields are hidden for a virtual session")
	}
	a.FormPlatform().SetText("Zoom")
	a.FormMinMinutes().SetText("noventa")
	a.FormStart().SetText("")
	a.FormEnd().SetText("")
	test.Tap(a.FormSave())
	a.Wait()
	if got := a.FormError("start"); got != a.Tr("form.errTimesOnline") {
		t.Errorf("error next to start: %q", got)
	}
	if got := a.FormError("municipality"); got != "" {
		t.Errorf("a virtual session asked for a municipality: %q", got)
	}
	if got := a.FormError("minMinutes"); got != a.Tr("form.errMinMinutes") {
		t.Errorf("error next to the minimum: %q", got)
	}
	a.FormMinMinutes().SetText("100")
	a.FormStart().SetText("10:00")
	a.FormEnd().SetText("13:00")
	test.Tap(a.FormSave())
	a.Wait()
	if got := a.Screen(); got != "checkin" {
		t.Fatalf("screen after saving: %q", got)
	}
	s, err := h.st.Session(ctx, a.CheckinSessionID())
	if err != nil || s.Modality != domain.Remote || s.Municipality != "" || s.Platform != "Zoom" || s.MinMinutes != 100 {
		t.Fatalf("session %+v, %v", s, err)
	}
	if a.ReportButton().Visible() {
		t.Error("a report button without Options.Participants")
	}
}
