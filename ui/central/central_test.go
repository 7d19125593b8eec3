package central_test

import (
	"bytes"
	"encoding/csv"
	"image/png"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"golang.org/x/crypto/bcrypt"

	"github.com/puntos-ar/puntos/storage/demo"
	"github.com/puntos-ar/puntos/storage/registry"
	"github.com/puntos-ar/puntos/storage/registry/registrytest"
	"github.com/puntos-ar/puntos/sync/server"
	"github.com/puntos-ar/puntos/sync/wire"
	"github.com/puntos-ar/puntos/ui/central"
)

func init() { server.PasswordCost = bcrypt.MinCost }

// centralNow is the registry's clock in these tests.
var centralNow = time.Date(2026, 3, 20, 15, 0, 0, 0, time.UTC)

const (
	centralUser     = "central"
	centralPassword = "clave-del-equipo"
	certCode        = "7KQ2-M9XD-4F"
)

const centralRoster = `DNI;CUIL;Apellido;Nombres;Organismo;Correo;Provincia
20123456;27201234560;GONZÁLEZ;María;ANSES;;Buenos Aires
20123457;;O'CONNOR;Juan Pablo;Ministerio de Salud;;Córdoba
20123459;;ÑANCUCHEO;Rocío;ANSES;;Buenos Aires
`

// centralRig is a real registry (SQLite store, HTTP server on httptest)
// with a staff account and batches to review, and the Central workspace
// in a test window, saving exports into a temp dir.
type centralRig struct {
	t     *testing.T
	st    *registry.Store
	srv   *server.Server
	ts    *httptest.Server
	clock time.Time
	c     *central.Workspace
	dir   string
	saved []string
}

func newCentralRig(t *testing.T) *centralRig {
	t.Helper()
	r := &centralRig{t: t, clock: centralNow, dir: t.TempDir()}
	st := registrytest.Open(t, t.TempDir())
	st.Now = func() time.Time { return r.clock }
	r.st = st
	if _, err := st.ImportCatalog(t.Context(), strings.NewReader(demo.Catalog)); err != nil {
		t.Fatal(err)
	}
	if _, err := st.ImportRoster(t.Context(), strings.NewReader(centralRoster)); err != nil {
		t.Fatal(err)
	}
	hash, err := server.HashPassword(centralPassword)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddStaff(t.Context(), registry.NewStaff{Username: centralUser, Role: wire.RoleAdmin, PasswordHash: hash},
		wire.StaffAction{Actor: registry.ConsoleActor}); err != nil {
		t.Fatal(err)
	}
	r.seed()
	r.srv = server.NewServer(st, slog.New(slog.DiscardHandler))
	r.srv.Now = func() time.Time { return r.clock }
	r.ts = httptest.NewServer(r.srv)
	t.Cleanup(r.ts.Close)

	test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1280, 800))
	r.c = central.NewForTest(w, central.Options{URL: r.ts.URL, Now: func() time.Time { return r.clock },
		Save: func(name string, done func(io.WriteCloser, error)) {
			f, err := os.Create(filepath.Join(r.dir, name))
			r.saved = append(r.saved, name)
			done(f, err)
		}})
	t.Cleanup(r.c.Stop)
	return r
}

// seed stores, from a Buenos Aires device: b-1 with a session where
// GONZÁLEZ was absent and ÑANCUCHEO present (with a certificate), then
// b-2 where GONZÁLEZ arrives present (a conflict) and a session with a
// mistyped activity code and its attendance (rejected).
func (r *centralRig) seed() {
	t, ctx := r.t, r.t.Context()
	dev := registrytest.Device(t, r.st, "dev-tandil", "Notebook Tandil", "Delegación Tandil", "Buenos Aires", r.clock)
	session := func(id, activity string) wire.SessionRecord {
		return wire.SessionRecord{ID: id, ActivityCode: activity, Date: "2026-03-19", Province: "Buenos Aires", Municipality: "Tandil",
			Modality: "presencial", ClosedAt: centralNow.Add(-20 * time.Hour)}
	}
	att := func(id, sid, dni, status string) wire.AttendanceRecord {
		return wire.AttendanceRecord{ID: id, SessionID: sid, DNI: dni, Status: status, Method: "typed", At: centralNow.Add(-22 * time.Hour)}
	}
	ingest := func(b *wire.Batch, at time.Time) {
		t.Helper()
		if _, err := r.st.Ingest(ctx, wire.IngestRequest{Batch: b, Device: dev, Source: wire.SourceHTTP, ReceivedAt: at}); err != nil {
			t.Fatal(err)
		}
	}
	ingest(&wire.Batch{Protocol: wire.Protocol, ID: "b-1", DeviceClock: centralNow.Add(-2 * time.Hour),
		Sessions:     []wire.SessionRecord{session("s-1", "TA-LENG-01")},
		Attendances:  []wire.AttendanceRecord{att("a-1", "s-1", "20123456", "ausente"), att("a-2", "s-1", "20123459", "presente")},
		Certificates: []wire.CertificateRecord{{Code: certCode, AttendanceID: "a-2", Kind: "asistencia", IssuedAt: centralNow.Add(-19 * time.Hour)}},
	}, centralNow.Add(-2*time.Hour))
	ingest(&wire.Batch{Protocol: wire.Protocol, ID: "b-2", DeviceClock: centralNow.Add(-time.Hour),
		Sessions:    []wire.SessionRecord{session("s-2", "CH-ETCA-02")},
		Attendances: []wire.AttendanceRecord{att("a-1", "s-1", "20123456", "presente"), att("a-3", "s-2", "20123456", "presente")},
	}, centralNow.Add(-time.Hour))
}

// login logs the staff account in through the form.
func (r *centralRig) login() {
	r.t.Helper()
	c := r.c
	c.LoginUser().SetText("")
	c.LoginPassword().SetText("")
	test.Type(c.LoginUser(), centralUser)
	test.Type(c.LoginPassword(), centralPassword)
	test.Tap(c.LoginButton())
	c.Wait()
	if !c.LoggedIn() {
		r.t.Fatalf("not logged in: %q", c.LoginError())
	}
}

// points returns a person's net points in 2026.
func (r *centralRig) points(dni string) int {
	r.t.Helper()
	l, err := r.st.Ledger(r.t.Context(), dni, 2026)
	if err != nil {
		r.t.Fatal(err)
	}
	n := 0
	for _, e := range l {
		n += e.Points
	}
	return n
}

// recordIndex finds a record of the inbox's right side.
func (r *centralRig) recordIndex(kind, id string) int {
	r.t.Helper()
	for i, rec := range r.c.InboxRecords() {
		if rec.Kind == kind && rec.ID == id {
			return i
		}
	}
	r.t.Fatalf("no %s %s among %+v", kind, id, r.c.InboxRecords())
	return -1
}

func TestCentralLogin(t *testing.T) {
	r := newCentralRig(t)
	c := r.c
	if got := c.LoginURL().Text; got != r.ts.URL {
		t.Errorf("URL %q, want %q", got, r.ts.URL)
	}
	t.Run("ErrWrongPassword", func(t *testing.T) {
		test.Type(c.LoginUser(), centralUser)
		test.Type(c.LoginPassword(), "no-es-la-clave")
		test.Tap(c.LoginButton())
		c.Wait()
		if c.LoggedIn() || c.LoginError() != "Usuario o contraseña incorrectos." {
			t.Errorf("logged in %v, error %q", c.LoggedIn(), c.LoginError())
		}
	})
	t.Run("ErrNotARegistry", func(t *testing.T) {
		portal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("<html>wifi</html>")) }))
		defer portal.Close()
		c.LoginURL().SetText(portal.URL)
		c.LoginPassword().SetText(centralPassword)
		test.Tap(c.LoginButton())
		c.Wait()
		if c.LoggedIn() || !strings.Contains(c.LoginError(), "no responde como un registro") {
			t.Errorf("error %q", c.LoginError())
		}
		c.LoginURL().SetText(r.ts.URL)
	})
	t.Run("OK", func(t *testing.T) {
		r.login()
		if !strings.Contains(c.Who(), "central") || !strings.Contains(c.Who(), "administración") {
			t.Errorf("who %q", c.Who())
		}
		if got := len(c.InboxBatches()); got != 2 {
			t.Errorf("inbox: %d batches, want 2", got)
		}
	})
	t.Run("SessionExpires", func(t *testing.T) {
		r.clock = centralNow.Add(9 * time.Hour)
		test.Tap(c.OnlyOpen())
		c.Wait()
		if c.LoggedIn() || !strings.Contains(c.LoginError(), "venció") {
			t.Errorf("after expiry: logged in %v, %q", c.LoggedIn(), c.LoginError())
		}
	})
}

func TestCentralReviewFlow(t *testing.T) {
	r := newCentralRig(t)
	c := r.c
	r.login()
	batches := c.InboxBatches()
	if len(batches) != 2 || batches[0].ID != "b-2" || batches[0].OpenReview != 3 {
		t.Fatalf("inbox %+v", batches)
	}
	t.Run("OpenBatch", func(t *testing.T) {
		c.OpenBatch(0)
		c.Wait()
		if got := c.InboxTitle(); got != "Lote de Notebook Tandil" {
			t.Errorf("title %q", got)
		}
		if got := len(c.InboxRecords()); got != 3 {
			t.Errorf("%d records, want 3", got)
		}
	})
	t.Run("ResolveConflict", func(t *testing.T) {
		before := r.points("20123456")
		c.OpenRecord(r.recordIndex(wire.KindAttendance, "a-1"))
		c.Wait()
		if c.Tab() != 1 || c.ReviewItem().RecordID != "a-1" {
			t.Fatalf("tab %d, item %+v", c.Tab(), c.ReviewItem())
		}
		rows := c.ReviewRows()
		if !slices.Contains(rows, [3]string{"Estado", "Ausente", "Presente"}) {
			t.Errorf("side by side %q lacks the status in both versions", rows)
		}
		// What people read: methods in words, times in Argentina's, no
		// IDs until asked for.
		if !slices.Contains(rows, [3]string{"Forma de registro", "DNI escrito", "DNI escrito"}) ||
			!slices.Contains(rows, [3]string{"Hora", "19/03/2026 14:00", "19/03/2026 14:00"}) {
			t.Errorf("rows %q: want the method in words and the time in Argentina's", rows)
		}
		for _, row := range rows {
			if row[0] == "ID" || row[0] == "Sesión" {
				t.Errorf("ID row %q shown before asking", row)
			}
		}
		if got := c.ReviewFrom(); strings.Contains(got, "b-2") || !strings.Contains(got, "Notebook Tandil") {
			t.Errorf("from %q: want the device, not the batch ID", got)
		}
		c.ReviewShowIDs().SetChecked(true)
		if rows := c.ReviewRows(); !slices.Contains(rows, [3]string{"ID", "a-1", "a-1"}) {
			t.Errorf("rows with IDs asked for: %q", rows)
		}
		c.ReviewShowIDs().SetChecked(false)
		test.Tap(c.ReviewAccept())
		c.Wait()
		if !strings.Contains(c.ReviewReasonError(), "motivo") || c.ReviewItem().Resolution != nil || strings.Contains(c.Status(), "motivo") {
			t.Fatalf("accepted without a reason: error %q, status %q", c.ReviewReasonError(), c.Status())
		}
		test.Type(c.ReviewReason(), "La planilla firmada la muestra presente")
		test.Tap(c.ReviewAccept())
		c.Wait()
		if got := c.ReviewResolution(); !strings.Contains(got, "Resuelto: aceptado por central el") || !strings.Contains(got, "Asientos nuevos") || !strings.Contains(got, "+6 puntos") {
			t.Errorf("resolution %q", got)
		}
		if got := c.ReviewTitle(); got != "Asistencia aceptada por el equipo central" {
			t.Errorf("title after the decision %q", got)
		}
		if got := r.points("20123456"); got != before+6 {
			t.Errorf("points %d → %d, want +6", before, got)
		}
		// The inbox shows it resolved.
		for _, rec := range c.InboxRecords() {
			if rec.ID == "a-1" && rec.Resolution != wire.DecisionAccept {
				t.Errorf("record after review %+v", rec)
			}
		}
	})
	t.Run("FixRejectedSession", func(t *testing.T) {
		c.SelectTab(0)
		c.RecordResult().SetSelected("Rechazados")
		c.RecordKind().SetSelected("Sesión")
		test.Tap(c.RecordSearch())
		c.Wait()
		if got := len(c.InboxRecords()); got != 1 {
			t.Fatalf("rejected sessions: %d", got)
		}
		c.OpenRecord(0)
		c.Wait()
		if !strings.Contains(c.ReviewHelp(), "Corregí") {
			t.Errorf("help %q", c.ReviewHelp())
		}
		// Central staff are told what they can do, not to ask themselves.
		if got := c.ReviewTitle(); strings.Contains(got, "pedile al equipo central") || !strings.Contains(got, "corregí el código") {
			t.Errorf("title %q", got)
		}
		if got := c.ReviewEdit("date").Text; got != "19/03/2026" {
			t.Errorf("date shown %q, want 19/03/2026", got)
		}
		c.ReviewEdit("activity").SetText("CH-ETICA-02")
		test.Type(c.ReviewReason(), "Código de actividad mal escrito")
		// A date that cannot be read is said under it, and nothing is sent.
		c.ReviewEdit("date").SetText("2026-19-03")
		test.Tap(c.ReviewAccept())
		c.Wait()
		if got := c.ReviewFieldError("date"); !strings.Contains(got, "dd/mm/aaaa") || c.ReviewItem().Resolution != nil {
			t.Fatalf("bad date: error %q, resolution %+v", got, c.ReviewItem().Resolution)
		}
		c.ReviewEdit("date").SetText("19/03/2026")
		if got := c.ReviewFieldError("date"); got != "" {
			t.Errorf("error kept after the date changed: %q", got)
		}
		test.Tap(c.ReviewAccept())
		c.Wait()
		if got := c.ReviewResolution(); !strings.Contains(got, "También se aceptó 1 registro que esperaba") {
			t.Errorf("resolution %q (status %q)", got, c.Status())
		}
		// Everything the decision touched shows it: the header, the
		// corrected value, the stored date unchanged, the batch's counts.
		if got := c.ReviewTitle(); got != "Sesión aceptada por el equipo central" {
			t.Errorf("title after the decision %q", got)
		}
		rows := c.ReviewRows()
		if !slices.Contains(rows, [3]string{"Actividad", "CH-ETCA-02", "CH-ETICA-02"}) || !slices.Contains(rows, [3]string{"Fecha", "19/03/2026", "19/03/2026"}) {
			t.Errorf("rows after the decision %q: want the applied correction", rows)
		}
		c.SelectTab(0)
		if got := c.BatchCounts(0); !strings.HasSuffix(got, "1 en conflicto · 2 rechazados · 3 resueltos") {
			t.Errorf("batch counts after the decisions %q", got)
		}
		if c.Status() != "" {
			t.Errorf("status %q kept after changing tabs", c.Status())
		}
	})
	t.Run("AllResolved", func(t *testing.T) {
		c.SelectTab(0)
		test.Tap(c.OnlyOpen())
		c.Wait()
		if got := c.InboxBatches(); len(got) != 0 {
			t.Errorf("batches to review after resolving all: %+v", got)
		}
	})
}

func TestCentralPeopleAndCertificates(t *testing.T) {
	r := newCentralRig(t)
	c := r.c
	r.login()
	c.SelectTab(2)
	t.Run("FindByName", func(t *testing.T) {
		test.Type(c.PeopleSearch(), "nancucheo")
		test.Tap(c.PeopleSearchButton())
		c.Wait()
		if len(c.PeopleFound()) != 1 || c.PersonName() != "ÑANCUCHEO, Rocío" {
			t.Fatalf("found %+v, showing %q", c.PeopleFound(), c.PersonName())
		}
		texts := strings.Join(c.PersonTexts(), "\n")
		for _, want := range []string{"2026: 6 de 60 puntos · faltan 54", "Taller de lenguaje claro", "enviado por Notebook Tandil (Delegación Tandil)"} {
			if !strings.Contains(texts, want) {
				t.Errorf("ledger lacks %q:\n%s", want, texts)
			}
		}
	})
	t.Run("OfficialStatement", func(t *testing.T) {
		test.Tap(c.StatementButtons()[0])
		c.Wait()
		path := filepath.Join(r.dir, "constancia-20123459-2026.pdf")
		b, err := os.ReadFile(path)
		if err != nil || !bytes.HasPrefix(b, []byte("%PDF")) {
			t.Fatalf("statement: %v", err)
		}
		if _, err := exec.LookPath("pdftotext"); err == nil {
			out, err := exec.Command("pdftotext", "-raw", path, "-").Output()
			text := strings.Join(strings.Fields(string(out)), " ")
			if err != nil || !strings.Contains(text, "Emitida por el Registro central de puntos") || strings.Contains(text, "PROVISIONAL") ||
				!strings.Contains(text, "ÑANCUCHEO, Rocío") || !strings.Contains(text, "6 de 60") {
				t.Errorf("statement text: %v\n%s", err, text)
			}
		}
	})
	t.Run("RevokeCertificate", func(t *testing.T) {
		verify := func() string {
			res, err := http.Get(r.ts.URL + "/verify/" + certCode)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			return string(b)
		}
		if page := verify(); !strings.Contains(page, "auténtico") {
			t.Fatalf("before: %s", page)
		}
		test.Type(c.CertCode(), strings.ToLower(certCode))
		test.Tap(c.CertRevoke())
		// No reason: said under the reason, not in the status line, and
		// gone once one is typed.
		test.Tap(c.RevokeConfirm())
		c.Wait()
		if got := c.RevokeError(); !strings.Contains(got, "Escribí el motivo") || strings.Contains(c.Status(), "motivo") {
			t.Errorf("no reason: error %q, status %q", got, c.Status())
		}
		test.Type(c.RevokeReason(), "La persona no asistió")
		if got := c.RevokeError(); got != "" {
			t.Errorf("error kept while typing: %q", got)
		}
		test.Tap(c.RevokeConfirm())
		c.Wait()
		if got := c.CertStatus(); !strings.Contains(got, "revocado") || !strings.Contains(got, "La persona no asistió") {
			t.Errorf("status %q (%q)", got, c.Status())
		}
		page := verify()
		for _, want := range []string{"Certificado revocado", "La persona no asistió", "20/03/2026"} {
			if !strings.Contains(page, want) {
				t.Errorf("verify page lacks %q:\n%s", want, page)
			}
		}
	})
	t.Run("ReverseEntry", func(t *testing.T) {
		before := r.points("20123459")
		buttons := c.ReverseButtons()
		var reverse int = -1
		for i, b := range buttons {
			if b.Text == "Revertir…" {
				reverse = i
			}
		}
		if reverse < 0 {
			t.Fatalf("no reverse button among %d", len(buttons))
		}
		test.Tap(buttons[reverse])
		test.Type(c.ReverseReason(), "Sesión cargada dos veces")
		test.Tap(c.ReverseConfirm())
		c.Wait()
		if got := r.points("20123459"); got != before-6 {
			t.Errorf("points %d → %d, want -6", before, got)
		}
		if texts := strings.Join(c.PersonTexts(), "\n"); !strings.Contains(texts, "reversión") || !strings.Contains(texts, "2026: 0 de 60") {
			t.Errorf("ledger after reversal:\n%s", texts)
		}
	})
}

func TestCentralCompliance(t *testing.T) {
	r := newCentralRig(t)
	c := r.c
	r.login()
	c.SelectTab(3)
	people, groups, places, pdf := c.ComplianceExports()
	if !people.Disabled() {
		t.Error("export enabled before a report was shown")
	}
	test.Tap(c.ComplianceShow())
	c.Wait()
	if got := c.ComplianceSummary(); !strings.Contains(got, "3 agentes · 3 con menos de 60 puntos") {
		t.Errorf("summary %q", got)
	}
	if got := c.ComplianceChart(); !slices.Equal(got, []string{"Buenos Aires 6"}) {
		t.Errorf("chart %q", got)
	}
	t.Run("PeopleCSV", func(t *testing.T) {
		test.Tap(people)
		c.Wait()
		rows := readCSV(t, filepath.Join(r.dir, "cumplimiento-2026-personas.csv"))
		want := [][]string{
			{"Provincia", "Organismo", "Apellido", "Nombres", "DNI", "CUIL", "Puntos", "Faltan"},
			{"Buenos Aires", "ANSES", "GONZÁLEZ", "María", "20123456", "27-20123456-0", "0", "60"},
			{"Buenos Aires", "ANSES", "ÑANCUCHEO", "Rocío", "20123459", "", "6", "54"},
			{"Córdoba", "Ministerio de Salud", "O'CONNOR", "Juan Pablo", "20123457", "", "0", "60"},
		}
		if !slices.EqualFunc(rows, want, slices.Equal) {
			t.Errorf("csv\n%q\nwant\n%q", rows, want)
		}
		if !strings.Contains(c.Status(), "3 personas") {
			t.Errorf("status %q", c.Status())
		}
	})
	t.Run("TotalsCSV", func(t *testing.T) {
		test.Tap(groups)
		test.Tap(places)
		c.Wait()
		g := readCSV(t, filepath.Join(r.dir, "cumplimiento-2026-organismos.csv"))
		if len(g) != 3 || !slices.Equal(g[1], []string{"Buenos Aires", "ANSES", "2", "2", "6"}) {
			t.Errorf("groups %q", g)
		}
		p := readCSV(t, filepath.Join(r.dir, "cumplimiento-2026-municipios.csv"))
		if len(p) != 2 || !slices.Equal(p[1], []string{"Buenos Aires", "Tandil", "1", "1", "6"}) {
			t.Errorf("places %q", p)
		}
	})
	t.Run("PDF", func(t *testing.T) {
		test.Tap(pdf)
		c.Wait()
		path := filepath.Join(r.dir, "cumplimiento-2026-informe.pdf")
		b, err := os.ReadFile(path)
		if err != nil || !bytes.HasPrefix(b, []byte("%PDF")) {
			t.Fatalf("pdf: %v", err)
		}
		if _, err := exec.LookPath("pdftotext"); err == nil {
			out, _ := exec.Command("pdftotext", "-raw", path, "-").Output()
			text := strings.Join(strings.Fields(string(out)), " ")
			for _, want := range []string{"INFORME DE CUMPLIMIENTO", "Buenos Aires — ANSES", "ÑANCUCHEO, Rocío", "Tandil"} {
				if !strings.Contains(text, want) {
					t.Errorf("pdf lacks %q:\n%s", want, text)
				}
			}
		}
	})
	t.Run("ErrBadYear", func(t *testing.T) {
		c.ComplianceYear().SetText("26")
		test.Tap(c.ComplianceShow())
		c.Wait()
		if !strings.Contains(c.ComplianceYearError(), "año válido") {
			t.Errorf("error under the year %q", c.ComplianceYearError())
		}
	})
}

// readCSV reads an exported CSV (UTF-8 with BOM, ';').
func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("\ufeff")) {
		t.Errorf("%s has no byte-order mark", filepath.Base(path))
	}
	cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff"))))
	cr.Comma = ';'
	rows, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestCentralDevices(t *testing.T) {
	r := newCentralRig(t)
	c := r.c
	r.login()
	c.SelectTab(4)
	c.Wait()
	if d := c.Devices(); len(d) != 1 || d[0].Name != "Notebook Tandil" || d[0].LastBatchAt.IsZero() {
		t.Fatalf("devices %+v", d)
	}
	test.Type(c.DeviceOffice(), "Delegación Azul")
	c.DeviceProvince().SetSelected("Buenos Aires")
	test.Tap(c.DeviceCreate())
	c.Wait()
	code := c.EnrollmentCode()
	if len(code) != 12 || !c.EnrollmentQRShown() {
		t.Fatalf("code %q, QR shown %v (status %q)", code, c.EnrollmentQRShown(), c.Status())
	}
	// The QR on screen holds the code, as a scanner reads it.
	if _, err := exec.LookPath("zbarimg"); err == nil {
		path := filepath.Join(r.dir, "pantalla.png")
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		png.Encode(f, c.Window().Canvas().Capture())
		f.Close()
		out, err := exec.Command("zbarimg", "-q", "--raw", path).Output()
		if got := strings.TrimSpace(string(out)); err != nil || got != code {
			t.Errorf("QR on screen reads %q (%v), want %q", got, err, code)
		}
	}
	// The code enrolls a device.
	sc := &http.Client{}
	res, err := sc.Post(r.ts.URL+wire.PathEnroll, "application/json", strings.NewReader(`{"code":"`+code+`","device_name":"Notebook Azul"}`))
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("enroll with the code: %v %v", res.Status, err)
	}
	res.Body.Close()
	var revoke int = -1
	for i, b := range c.DeviceRevokeButtons() {
		if b.Text == "Dar de baja…" {
			revoke = i
		}
	}
	if revoke < 0 {
		t.Fatal("no revoke button")
	}
	test.Tap(c.DeviceRevokeButtons()[revoke])
	test.Type(c.DeviceRevokeReason(), "Equipo robado")
	test.Tap(c.DeviceRevokeConfirm())
	c.Wait()
	revoked := 0
	for _, d := range c.Devices() {
		if d.Revoked() {
			revoked++
		}
	}
	if revoked != 1 {
		t.Errorf("%d devices revoked, want 1: %+v", revoked, c.Devices())
	}
}

func TestCentralTexts(t *testing.T) {
	for k, v := range central.Texts() {
		if v[0] == "" || v[1] == "" {
			t.Errorf("%s: missing a language: %q", k, v)
		}
		if strings.Count(v[0], "%") != strings.Count(v[1], "%") {
			t.Errorf("%s: the languages take different arguments: %q", k, v)
		}
	}
}

// TestCentralSmallScreen: at 1280×720 every tab fits, the bottom status
// line included.
func TestCentralSmallScreen(t *testing.T) {
	r := newCentralRig(t)
	c := r.c
	w := c.Window()
	w.Resize(fyne.NewSize(1280, 720))
	if min := w.Canvas().Content().MinSize(); min.Height > 720 || min.Width > 1280 {
		t.Errorf("login form needs %v", min)
	}
	r.login()
	for i := range 6 {
		c.SelectTab(i)
		c.Wait()
		if min := w.Canvas().Content().MinSize(); min.Height > 720 || min.Width > 1280 {
			t.Errorf("tab %d needs %v", i, min)
		}
	}
	c.SelectTab(0)
	c.OpenBatch(0)
	c.Wait()
	c.OpenRecord(0)
	c.Wait()
	if min := w.Canvas().Content().MinSize(); min.Height > 720 {
		t.Errorf("review needs %v", min)
	}
}

// TestCentralDateFilters: the record filters take dates as dd/mm/aaaa,
// typed or picked from a calendar, and say next to them when one cannot
// be read.
func TestCentralDateFilters(t *testing.T) {
	r := newCentralRig(t)
	c := r.c
	r.login()
	from := c.InboxFrom()
	test.Tap(from.ActionItem.(*widget.Button))
	top := c.Window().Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no calendar")
	}
	var day *widget.Button
	for _, o := range test.LaidOutObjects(top) {
		if b, ok := o.(*widget.Button); ok && b.Text == "15" {
			day = b
		}
	}
	if day == nil {
		t.Fatal("no day 15 in the calendar")
	}
	test.Tap(day)
	if want := wire.LocalDate(time.Now()).Format("01/2006"); from.Text != "15/"+want {
		t.Errorf("picked %q, want 15/%s", from.Text, want)
	}
	// Both batches came on 20/03/2026 in Argentina.
	from.SetText("20/03/2026")
	c.InboxTo().SetText("31/02/2026")
	c.RecordResult().SetSelected("Todas")
	test.Tap(c.RecordSearch())
	c.Wait()
	if got := c.InboxDatesError(); !strings.Contains(got, "dd/mm/aaaa") {
		t.Errorf("bad date: error %q", got)
	}
	c.InboxTo().SetText("20/03/2026")
	if got := c.InboxDatesError(); got != "" {
		t.Errorf("error kept after the date changed: %q", got)
	}
	test.Tap(c.RecordSearch())
	c.Wait()
	if got := len(c.InboxRecords()); got == 0 {
		t.Errorf("no records received on 20/03/2026 (status %q)", c.Status())
	}
	from.SetText("21/03/2026")
	c.InboxTo().SetText("")
	test.Tap(c.RecordSearch())
	c.Wait()
	if got := len(c.InboxRecords()); got != 0 {
		t.Errorf("%d records received from 21/03/2026 on, want none", got)
	}
}
