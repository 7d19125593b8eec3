package ui_test

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/storage/demo"
	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/storage/registry"
	"github.com/puntos-ar/puntos/storage/registry/registrytest"
	"github.com/puntos-ar/puntos/sync/device"
	"github.com/puntos-ar/puntos/sync/server"
	"github.com/puntos-ar/puntos/sync/wire"
	"github.com/puntos-ar/puntos/ui"
)

// Texts the status bar shows, as a person reads them.
const (
	notEnrolledText = "Sin registro central: configuralo en Ajustes"
	nothingPending  = "Todo sincronizado: sesiones, asistencias y certificados"
	justSynced      = "Última sincronización: hace un momento"
	offlineText     = "No hay conexión con el registro: se reintentará cuando haya conexión."
)

// syncRig is a real registry (storage/registry behind server.Server on
// 127.0.0.1) with the demo catalog and roster, and the app on a demo
// device store with a SyncLink running the background sync, wired as
// cmd/puntos does.
type syncRig struct {
	*harness
	reg    *registry.Store
	srv    *httptest.Server
	client *device.Client
	link   *ui.SyncLink
}

// newSyncRig starts the rig; wrap, when not nil, wraps the registry's
// handler, and tune adjusts the client before the sync starts.
func newSyncRig(t *testing.T, wrap func(http.Handler) http.Handler, tune func(*device.Client)) *syncRig {
	t.Helper()
	reg := registrytest.Open(t, t.TempDir())
	if _, err := reg.ImportCatalog(ctx, strings.NewReader(demo.Catalog)); err != nil {
		t.Fatal(err)
	}
	var roster bytes.Buffer
	if err := demo.Roster(&roster, rosterSize, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := reg.ImportRoster(ctx, &roster); err != nil {
		t.Fatal(err)
	}
	var handler http.Handler = server.NewServer(reg, slog.New(slog.DiscardHandler))
	if wrap != nil {
		handler = wrap(handler)
	}
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)

	dir := t.TempDir()
	st, err := storage.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := demo.Fill(ctx, st, demo.Options{People: rosterSize}); err != nil {
		t.Fatal(err)
	}
	client := device.NewClient(st)
	client.RequestTimeout = 5 * time.Second
	client.BackoffBase, client.BackoffMax = 5*time.Millisecond, 20*time.Millisecond
	if tune != nil {
		tune(client)
	}
	bg := device.NewBackground(client)
	bg.Interval = time.Hour // after the first, only the syncs asked for
	link := ui.NewSyncLink(client, bg, false)
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		link.Run(runCtx)
	}()
	t.Cleanup(func() { stop(); <-done })
	h := startApp(t, st, ui.Options{DataDir: dir, Sync: link, Enroll: link, Reports: st})
	return &syncRig{harness: h, reg: reg, srv: srv, client: client, link: link}
}

// enrollmentCode makes a one-time code at the registry, as central staff
// would.
func (r *syncRig) enrollmentCode(t *testing.T) string {
	t.Helper()
	return registrytest.Code(t, r.reg, "Capacitación Córdoba", "Córdoba", time.Now())
}

// waitFor pumps the app's updates until cond holds; the limit only keeps
// a broken build from hanging.
func (r *syncRig) waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	limit := time.Now().Add(30 * time.Second)
	for {
		r.a.Wait()
		if cond() {
			return
		}
		if time.Now().After(limit) {
			t.Fatalf("still waiting for %s: status %q, sync %q", what, r.a.StatusText(), r.a.SyncText())
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// syncNow taps "Sincronizar ahora" once the sync under way, if any, has
// ended: the button is disabled while one runs.
func (r *syncRig) syncNow(t *testing.T) {
	t.Helper()
	r.waitFor(t, "«Sincronizar ahora» enabled", func() bool { return !r.a.SyncNowButton().Disabled() })
	test.Tap(r.a.SyncNowButton())
}

// fillEnroll types the enrollment form and submits it.
func (r *syncRig) fillEnroll(url, code, name string) {
	r.t.Helper()
	a := r.a
	if !a.EnrollFormShowing() {
		test.Tap(a.EnrollAgainButton())
	}
	for field, text := range map[string]string{"url": url, "code": code, "name": name} {
		a.EnrollEntry(field).SetText(text)
	}
	test.Tap(a.EnrollButton())
	a.Wait()
}

// closedSession records a closed session dated date with n people of the
// demo roster, straight in the store, and returns its ID.
func (r *syncRig) closeNew(t *testing.T, date string, n int) string {
	t.Helper()
	s, err := r.st.CreateSession(ctx, domain.Session{ActivityCode: "CH-INSP-01", Date: date, Start: "09:00", End: "11:00",
		Province: "Córdoba", Municipality: "Villa María", Venue: "Salón"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if _, err := r.st.Mark(ctx, s.ID, demo.Person(200+i, 1).DNI, domain.Presente, domain.Typed); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := r.st.CloseSession(ctx, s.ID); err != nil {
		t.Fatal(err)
	}
	r.a.RefreshStatus()
	r.a.Wait()
	return s.ID
}

// syncShot saves the window as a PNG under PUNTOS_UI_SHOTS, when set.
func syncShot(h *harness, name string) {
	h.t.Helper()
	h.a.Wait()
	// Twice: a wrapped label knows its height once it has its width.
	relayout(h.w.Canvas().Content())
	relayout(h.w.Canvas().Content())
	img := h.w.Canvas().Capture()
	dir := os.Getenv("PUNTOS_UI_SHOTS")
	if dir == "" {
		return
	}
	f, err := os.Create(filepath.Join(dir, name+".png"))
	if err != nil {
		h.t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		h.t.Fatal(err)
	}
}

// windowTexts returns the text of every label and entry in the window.
func windowTexts(h *harness) string {
	var b strings.Builder
	for _, o := range test.LaidOutObjects(h.w.Canvas().Content()) {
		switch x := o.(type) {
		case *widget.Label:
			b.WriteString(x.Text + "\n")
		case *widget.Entry:
			b.WriteString(x.Text + "\n")
		}
	}
	return b.String()
}

func TestSync(t *testing.T) {
	r := newSyncRig(t, nil, nil)
	a := r.a

	t.Run("NotEnrolled", func(t *testing.T) {
		r.waitFor(t, "the not-enrolled note", func() bool { return a.SyncText() == notEnrolledText })
		if got, want := a.StatusText(), "2 sesiones por sincronizar"; got != want {
			t.Errorf("pending: got %q, want %q", got, want)
		}
		if b := a.SyncSettingsButton(); !b.Visible() || b.Text != "Ir a Ajustes" {
			t.Errorf("settings button: visible %v, text %q; want «Ir a Ajustes»", b.Visible(), b.Text)
		}
		if a.SyncNowButton().Visible() {
			t.Error("«Sincronizar ahora» showing on a device with no enrollment")
		}
		syncShot(r.harness, "sync-1-not-enrolled")
		test.Tap(a.SyncSettingsButton())
		a.Wait()
		if got := a.Screen(); got != "settings" {
			t.Fatalf("screen after the button: got %q, want settings", got)
		}
		if got := a.EnrollInfo(); !strings.Contains(got, "todavía no está dado de alta") {
			t.Errorf("enrollment shown: got %q, want the not-enrolled note", got)
		}
	})

	t.Run("EmptyFields", func(t *testing.T) {
		r.fillEnroll("", " ", "")
		for field, want := range map[string]string{
			"url":  "Escribí la dirección del registro que te dio el equipo central.",
			"code": "Escribí el código de alta.",
			"name": "Poné un nombre a este equipo, por ejemplo «Notebook Tandil 2».",
		} {
			if got := a.EnrollError(field); got != want {
				t.Errorf("error next to %s: got %q, want %q", field, got, want)
			}
		}
	})

	t.Run("BadURL", func(t *testing.T) {
		r.fillEnroll("registro central", "ABCD-EFGH-JK", "Notebook de prueba")
		if got := a.EnrollError("url"); !strings.Contains(got, "no es válida") {
			t.Errorf("error next to the address: got %q, want the bad-address one", got)
		}
		if got := a.EnrollError("code"); got != "" {
			t.Errorf("error next to the code: got %q, want none", got)
		}
	})

	t.Run("Unreachable", func(t *testing.T) {
		dead := httptest.NewServer(nil)
		url := dead.URL
		dead.Close()
		r.fillEnroll(url, "ABCD-EFGH-JK", "Notebook de prueba")
		if got, want := a.EnrollError("url"), "No se pudo conectar con el registro: revisá la dirección y que haya conexión a internet."; got != want {
			t.Errorf("error next to the address: got %q, want %q", got, want)
		}
	})

	t.Run("BadCode", func(t *testing.T) {
		r.fillEnroll(r.srv.URL, "ABCD-EFGH-JK", "Notebook de prueba")
		if got := a.EnrollError("code"); !strings.HasPrefix(got, "Ese código de alta no existe: ") {
			t.Errorf("error next to the code: got %q, want the registry's unknown-code message", got)
		}
		if got := a.EnrollError("url"); got != "" {
			t.Errorf("error next to the address: got %q, want none", got)
		}
		if _, err := r.st.Enrollment(ctx); err == nil {
			t.Error("a refused code left an enrollment")
		}
		syncShot(r.harness, "sync-2-bad-code")
	})

	t.Run("Enroll", func(t *testing.T) {
		r.fillEnroll(r.srv.URL+"/", r.enrollmentCode(t), "Notebook de prueba")
		if got := a.EnrollError("code"); got != "" {
			t.Fatalf("error next to the code: got %q, want none", got)
		}
		if got := a.EnrollResult(); !strings.Contains(got, "dado de alta en Capacitación Córdoba (Córdoba)") {
			t.Errorf("result: got %q, want the office", got)
		}
		e, err := r.st.Enrollment(ctx)
		if err != nil {
			t.Fatal(err)
		}
		info := a.EnrollInfo()
		for _, want := range []string{"Registro: " + r.srv.URL + "\n", "ID del equipo: " + e.DeviceID,
			"Oficina: Capacitación Córdoba (Córdoba)", "Este equipo: Notebook de prueba"} {
			if !strings.Contains(info, want) {
				t.Errorf("enrollment shown %q lacks %q", info, want)
			}
		}
		if strings.Contains(windowTexts(r.harness), e.Token) {
			t.Error("the token shows in the window")
		}
		syncShot(r.harness, "sync-3-enrolled")
		// The demo's two closed sessions go at once.
		r.waitFor(t, "the first sync", func() bool { return a.SyncText() == justSynced && a.StatusText() == nothingPending })
		if st, _ := r.st.SyncStatus(ctx); st.Pending != 0 || st.Problems != 0 {
			t.Errorf("device after the sync: %+v, want nothing pending and no problems", st)
		}
	})

	t.Run("SyncNow", func(t *testing.T) {
		r.closeNew(t, time.Now().AddDate(0, 0, -1).Format("2006-01-02"), 5)
		if got, want := a.StatusText(), "1 sesión por sincronizar"; got != want {
			t.Errorf("pending: got %q, want %q", got, want)
		}
		if got, want := a.SyncRecordsText(), "· 6 registros"; got != want {
			t.Errorf("records: got %q, want %q", got, want)
		}
		syncShot(r.harness, "sync-4-pending")
		var seen []float64
		a.SyncOnProgress(func(f float64) { seen = append(seen, f) })
		r.syncNow(t)
		r.waitFor(t, "the sync to end", func() bool { return a.StatusText() == nothingPending && a.SyncText() == justSynced })
		if a.SyncRecordsText() != "" || a.SyncProgressShowing() {
			t.Errorf("after the sync: records %q, progress showing %v; want neither", a.SyncRecordsText(), a.SyncProgressShowing())
		}
		if len(seen) < 2 || seen[len(seen)-1] != 1 {
			t.Errorf("progress values: got %v, want some, ending at 1", seen)
		}
	})

	t.Run("CertificatesPending", func(t *testing.T) {
		// Certificates of a session the registry already has wait for
		// their own receipt: the bar does not say all is synced.
		list, err := r.st.Sessions(ctx, storage.ClosedSessions)
		if err != nil {
			t.Fatal(err)
		}
		id := ""
		for _, s := range list {
			if s.SyncState == wire.Accepted {
				id = s.ID
			}
		}
		if id == "" {
			t.Fatal("no synced closed session")
		}
		a.OpenSessionForTest(id)
		a.Wait()
		if !a.SetPrintFolder(t.TempDir()) {
			t.Fatal("SetPrintFolder refused a temp folder")
		}
		a.Wait()
		test.Tap(a.PrintCertsButton())
		a.Wait()
		if p := a.LastPrint(); p == nil || p.Err != nil || len(p.Run.Files) == 0 {
			t.Fatalf("certificates: got %+v, want some issued", p)
		}
		st, err := r.st.SyncStatus(ctx)
		if err != nil || st.Pending == 0 {
			t.Fatalf("store after printing: %+v, %v; want certificates pending", st, err)
		}
		r.waitFor(t, "the bar to count the certificates", func() bool {
			return a.StatusText() == fmt.Sprintf("%d registros por sincronizar", st.Pending)
		})
		r.syncNow(t)
		r.waitFor(t, "the certificates' receipts", func() bool { return a.StatusText() == nothingPending && a.SyncText() == justSynced })
		if st, _ := r.st.SyncStatus(ctx); st.Pending != 0 {
			t.Errorf("device after the sync: %+v, want nothing pending", st)
		}
		r.tapDialogButton("Cerrar")
		test.Tap(a.NavSessions())
		a.Wait()
	})

	t.Run("CloseKicksSync", func(t *testing.T) {
		list, err := r.st.Sessions(ctx, storage.OpenSessions)
		if err != nil || len(list) != 1 {
			t.Fatalf("open sessions: got %d, %v; want 1", len(list), err)
		}
		a.OpenSessionForTest(list[0].ID)
		a.Wait()
		test.Tap(a.CheckinCloseButton())
		a.Wait()
		r.tapDialogButton("Cerrar encuentro")
		r.waitFor(t, "the closed session to sync by itself", func() bool {
			s, _ := r.st.Session(ctx, list[0].ID)
			return s.SyncState == wire.Accepted && a.StatusText() == nothingPending && a.SyncText() == justSynced
		})
	})

	t.Run("Rejected", func(t *testing.T) {
		id := r.closeNew(t, time.Now().AddDate(0, 0, 5).Format("2006-01-02"), 3)
		r.syncNow(t)
		r.waitFor(t, "the problems link", func() bool {
			return a.ProblemsButton() != nil && a.StatusText() == nothingPending && a.SyncText() == justSynced
		})
		if got, want := a.ProblemsButton().Text, "4 registros con observaciones"; got != want {
			t.Errorf("problems link: got %q, want %q", got, want)
		}
		test.Tap(a.NavSessions())
		a.Wait()
		if text, b := a.ProblemsBanner(); b == nil || text != "El registro central objetó 4 registros: revisá sus mensajes." {
			t.Errorf("banner over the session list: got %q", text)
		}
		syncShot(r.harness, "sync-5-sessions-problems")
		probs, err := r.st.SyncProblems(ctx)
		if err != nil || len(probs) != 4 {
			t.Fatalf("stored problems: got %d, %v; want 4", len(probs), err)
		}
		_, b := a.ProblemsBanner()
		test.Tap(b)
		a.Wait()
		if !a.ProblemsShowing() {
			t.Fatal("the banner's button did not open the problems screen")
		}
		rows := a.ProblemRows()
		if len(rows) != 4 {
			t.Fatalf("rows: got %d, want 4", len(rows))
		}
		first := rows[0]
		if first[0] != "Sesión" || first[1] != "Rechazado" || !strings.Contains(first[2], "Charla") ||
			!strings.Contains(first[3], "es posterior a hoy") || first[4] != "Código: session_future · Lote: "+probs[0].BatchID {
			t.Errorf("first row: got %q, want the future session with the registry's message", first)
		}
		if a.ProblemDetailsShown() {
			t.Error("codes and batch IDs shown before asking for them")
		}
		test.Tap(a.ProblemsShowIDs())
		if !a.ProblemDetailsShown() {
			t.Error("Mostrar identificadores did not show the codes and batch IDs")
		}
		if probs[0].SessionID != id || probs[0].BatchID == "" {
			t.Errorf("stored problem: got %+v", probs[0])
		}
		for _, row := range rows[1:] {
			if row[0] != "Asistencia" || row[1] != "Rechazado" || row[3] == "" {
				t.Errorf("attendance row: got %q", row)
			}
		}
		if got, want := a.ProblemsSummary(), "4 rechazados · 0 en conflicto"; got != want {
			t.Errorf("summary: got %q, want %q", got, want)
		}
		syncShot(r.harness, "sync-6-problems")

		test.Tap(a.NavSettings())
		a.LanguageChoice().SetSelected("English")
		a.Wait()
		test.Tap(a.ProblemsButton())
		a.Wait()
		rows = a.ProblemRows()
		if len(rows) != 4 || rows[0][0] != "Session" || rows[0][1] != "Rejected" ||
			rows[0][4] != "Code: session_future · Batch: "+probs[0].BatchID || rows[1][0] != "Attendance" {
			t.Errorf("rows in English: got %q", rows)
		}
		if got, want := a.ProblemsButton().Text, "4 records need review"; got != want {
			t.Errorf("problems link in English: got %q, want %q", got, want)
		}
		syncShot(r.harness, "sync-7-problems-en")
		test.Tap(a.NavSettings())
		a.LanguageChoice().SetSelected("Español (Argentina)")
		a.Wait()
	})

	t.Run("Revoked", func(t *testing.T) {
		e, err := r.st.Enrollment(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.reg.RevokeDeviceBy(ctx, e.DeviceID, wire.StaffScope{}, wire.StaffAction{Actor: registry.ConsoleActor, Reason: "prueba"}); err != nil {
			t.Fatal(err)
		}
		r.closeNew(t, time.Now().AddDate(0, 0, -1).Format("2006-01-02"), 2)
		r.syncNow(t)
		r.waitFor(t, "the revoked note", func() bool {
			return a.SyncText() == "El registro ya no acepta este equipo."
		})
		if b := a.SyncSettingsButton(); !b.Visible() || b.Text != "Dar de alta de nuevo" {
			t.Errorf("settings button: visible %v, text %q; want «Dar de alta de nuevo»", b.Visible(), b.Text)
		}
		if got := a.StatusText(); got != "1 sesión por sincronizar" {
			t.Errorf("pending: got %q, want the session kept", got)
		}
		test.Tap(a.SyncSettingsButton())
		a.Wait()
		want := "Este equipo fue dado de baja: pedí un nuevo código de alta al equipo central y volvé a darlo de alta. Lo que falta enviar se conserva."
		if got := a.EnrollInfo(); !strings.HasPrefix(got, want+"\n") {
			t.Errorf("settings: got %q, want the registry's message %q", got, want)
		}
		if !a.EnrollFormShowing() {
			t.Error("enrollment form closed after a refused token")
		}
		if got := r.w.Canvas().Focused(); got != a.EnrollEntry("code") {
			t.Errorf("focus: got %v, want the code entry", got)
		}
		syncShot(r.harness, "sync-8-revoked")
		r.fillEnroll(r.srv.URL, r.enrollmentCode(t), "Notebook de prueba")
		r.waitFor(t, "the sync after enrolling again", func() bool {
			return a.SyncText() == justSynced && a.StatusText() == nothingPending
		})
	})

	t.Run("RegistryDown", func(t *testing.T) {
		r.srv.CloseClientConnections()
		r.srv.Close()
		r.closeNew(t, time.Now().AddDate(0, 0, -1).Format("2006-01-02"), 2)
		r.syncNow(t)
		r.waitFor(t, "the offline message", func() bool { return a.SyncText() == offlineText })
		if got, want := a.StatusText(), "1 sesión por sincronizar"; got != want {
			t.Errorf("pending while offline: got %q, want %q", got, want)
		}
		if got, want := a.SyncRecordsText(), "· 3 registros"; got != want {
			t.Errorf("records while offline: got %q, want %q", got, want)
		}
		if a.SyncNowButton().Disabled() || !a.SyncNowButton().Visible() {
			t.Error("«Sincronizar ahora» not available while retrying")
		}
		syncShot(r.harness, "sync-9-offline")
		if !a.SyncDetailsButton().Visible() {
			t.Fatal("no details button beside the error")
		}
		test.Tap(a.SyncDetailsButton())
		if got := r.overlayText(); !strings.Contains(got, offlineText) || !strings.Contains(got, "no se pierde nada") {
			t.Errorf("details: got %q, want the whole message and that nothing is lost", got)
		}
		r.tapDialogButton("Cerrar")
	})
}

// TestSyncNowWakesRetry checks "Sincronizar ahora" retries at once while
// a sync waits an hour to retry a registry that failed.
func TestSyncNowWakesRetry(t *testing.T) {
	var down atomic.Bool
	r := newSyncRig(t, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			if down.Load() {
				http.Error(w, "mantenimiento", http.StatusServiceUnavailable)
				return
			}
			next.ServeHTTP(w, req)
		})
	}, func(c *device.Client) {
		c.BackoffBase, c.BackoffMax = time.Hour, time.Hour
		c.Jitter = func() float64 { return 1 }
	})
	a := r.a
	if _, err := r.link.Enroll(ctx, r.srv.URL, r.enrollmentCode(t), "Notebook de prueba"); err != nil {
		t.Fatal(err)
	}
	r.waitFor(t, "the first sync", func() bool { return a.SyncText() == justSynced && a.StatusText() == nothingPending })
	down.Store(true)
	r.closeNew(t, time.Now().AddDate(0, 0, -1).Format("2006-01-02"), 2)
	r.syncNow(t)
	want := "La respuesta no vino del registro: puede ser una red wifi que pide iniciar sesión en el navegador, o un proxy. Se reintentará."
	r.waitFor(t, "the failure", func() bool { return a.SyncText() == want })
	down.Store(false)
	r.syncNow(t)
	r.waitFor(t, "the retry", func() bool { return a.SyncText() == justSynced && a.StatusText() == nothingPending })
}

func TestSyncWhen(t *testing.T) {
	h := newHarness(t)
	// Argentina's time, whatever the computer's zone.
	now := time.Date(2026, 3, 15, 14, 37, 0, 0, domain.Argentina).In(time.UTC)
	for _, c := range []struct {
		name string
		t    time.Time
		want string
	}{
		{"JustNow", now.Add(-20 * time.Second), "hace un momento"},
		{"Minutes", now.Add(-5 * time.Minute), "hace 5 min"},
		{"Today", time.Date(2026, 3, 15, 9, 5, 0, 0, domain.Argentina), "hoy 09:05"},
		{"Yesterday", time.Date(2026, 3, 14, 18, 5, 0, 0, domain.Argentina), "ayer 18:05"},
		{"Older", time.Date(2026, 3, 1, 10, 0, 0, 0, domain.Argentina), "01/03/2026 10:00"},
		// 01:30 UTC on the 16th is still the 15th in Argentina.
		{"LateEvening", time.Date(2026, 3, 16, 1, 30, 0, 0, time.UTC), "hoy 22:30"},
		{"Future", now.Add(48 * time.Hour), "17/03/2026 14:37"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := h.a.When(c.t, now); got != c.want {
				t.Errorf("when: got %q, want %q", got, c.want)
			}
		})
	}
}

// TestSyncStatusBarSmall checks the status bar fits a small window with
// a long error, and saves it for a person to look at.
func TestSyncStatusBarSmall(t *testing.T) {
	fs := &fakeSync{state: ui.SyncState{Running: true, LastError: offlineText}}
	h := newSyncHarness(t, fs)
	h.w.Resize(fyne.NewSize(1024, 700))
	syncShot(h, "sync-10-small-offline")
	if got, want := h.a.SyncText(), offlineText; got != want {
		t.Errorf("sync text: got %q, want %q", got, want)
	}
	if w := h.a.StatusContent().MinSize().Width; w > 1024 {
		t.Errorf("status bar min width: got %v, want it to fit 1024", w)
	}
}
