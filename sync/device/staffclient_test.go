package device_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/puntos-ar/puntos/storage/demo"
	"github.com/puntos-ar/puntos/storage/registry"
	"github.com/puntos-ar/puntos/storage/registry/registrytest"
	"github.com/puntos-ar/puntos/sync/device"
	"github.com/puntos-ar/puntos/sync/server"
	"github.com/puntos-ar/puntos/sync/wire"
)

// The staff client against a real registry: the staff API itself is
// tested in sync/server.

const staffPassword = "clave-de-prueba-1"

// now is the registry's clock in these tests (registrytest.Now).
var now = registrytest.Now

// staffEnv is a registry on httptest with the demo catalog,
// registrytest.RosterCSV and a reviewer, rita; its clock starts at now.
type staffEnv struct {
	t     *testing.T
	st    *registry.Store
	ts    *httptest.Server
	clock time.Time
}

func newStaffEnv(t *testing.T) *staffEnv {
	t.Helper()
	server.PasswordCost = bcrypt.MinCost // fast hashes
	st := registrytest.Open(t, t.TempDir())
	e := &staffEnv{t: t, st: st, clock: now}
	st.Now = func() time.Time { return e.clock }
	if _, err := st.ImportCatalog(t.Context(), strings.NewReader(demo.Catalog)); err != nil {
		t.Fatal(err)
	}
	if _, err := st.ImportRoster(t.Context(), strings.NewReader(registrytest.RosterCSV)); err != nil {
		t.Fatal(err)
	}
	srv := server.NewServer(st, quietLog())
	srv.Now = func() time.Time { return e.clock }
	e.ts = httptest.NewServer(srv)
	t.Cleanup(e.ts.Close)
	hash, err := server.HashPassword(staffPassword)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddStaff(t.Context(), registry.NewStaff{Username: "rita", Role: wire.RoleReviewer, PasswordHash: hash},
		wire.StaffAction{Actor: registry.ConsoleActor}); err != nil {
		t.Fatal(err)
	}
	return e
}

// device enrolls a device in province straight in the store.
func (e *staffEnv) device(id, province string) wire.EnrolledDevice {
	e.t.Helper()
	return registrytest.Device(e.t, e.st, id, "Notebook", "Oficina de prueba", province, e.clock)
}

// ingest stores a batch from dev received at the env's clock.
func (e *staffEnv) ingest(dev wire.EnrolledDevice, b *wire.Batch) {
	e.t.Helper()
	if _, err := e.st.Ingest(e.t.Context(), wire.IngestRequest{Batch: b, Device: dev, Source: wire.SourceHTTP, ReceivedAt: e.clock}); err != nil {
		e.t.Fatal(err)
	}
}

// session and att build records at registrytest.Now.
var (
	session = registrytest.Session
	att     = registrytest.Attendance
)

// seedBatches stores three batches: b-ok from Buenos Aires; b-review
// from there an hour later, with a conflict and two rejections; b-cba from
// Córdoba with a certificate. The clock ends three hours after now.
func seedBatches(t *testing.T, e *staffEnv) {
	t.Helper()
	ba, cba := e.device("dev-ba", "Buenos Aires"), e.device("dev-cba", "Córdoba")
	b := &wire.Batch{Protocol: wire.Protocol, ID: "b-ok", DeviceClock: now}
	b.Sessions = []wire.SessionRecord{session("s-1", "TA-LENG-01", "2026-03-18")}
	b.Attendances = []wire.AttendanceRecord{att("a-1", "s-1", "20123456", "ausente"), att("a-2", "s-1", "20123459", "presente")}
	e.ingest(ba, b)
	e.clock = now.Add(time.Hour)
	b = &wire.Batch{Protocol: wire.Protocol, ID: "b-review", DeviceClock: e.clock}
	b.Sessions = []wire.SessionRecord{session("s-bad", "NO-EXISTE", "2026-03-19")}
	b.Attendances = []wire.AttendanceRecord{
		att("a-1", "s-1", "20123456", "presente"),   // conflict: was ausente
		att("a-3", "s-1", "30999888", "presente"),   // rejected: not on the roster
		att("a-4", "s-bad", "20123456", "presente"), // rejected: its session was rejected
	}
	e.ingest(ba, b)
	e.clock = now.Add(2 * time.Hour)
	b = &wire.Batch{Protocol: wire.Protocol, ID: "b-cba", DeviceClock: e.clock}
	s := session("s-cba", "CH-INSP-01", "2026-03-19")
	s.Province, s.Municipality = "Córdoba", "Villa María"
	b.Sessions = []wire.SessionRecord{s}
	b.Attendances = []wire.AttendanceRecord{att("a-cba", "s-cba", "20123457", "presente")}
	b.Certificates = []wire.CertificateRecord{{Code: "7KQ2-M9XD-4F", AttendanceID: "a-cba", Kind: "asistencia", IssuedAt: e.clock}}
	e.ingest(cba, b)
	e.clock = now.Add(3 * time.Hour)
}

// auditActions returns the audit log's actions, oldest first.
func (e *staffEnv) auditActions() []string { return registrytest.AuditActions(e.t, e.st) }

func TestStaffClient(t *testing.T) {
	e := newStaffEnv(t)
	seedBatches(t, e)
	sc, err := device.NewStaffClient(e.ts.URL+"/", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sc.Inbox(t.Context(), wire.InboxQuery{}); !errors.Is(err, device.ErrStaffAuth) {
		t.Errorf("before login: %v, want ErrStaffAuth", err)
	}
	if _, err := sc.Login(t.Context(), "rita", "mal-mal-mal-mal"); err == nil || errors.Is(err, device.ErrStaffAuth) ||
		err.Error() != "Usuario o contraseña incorrectos." {
		t.Errorf("wrong password: %v", err)
	}
	s, err := sc.Login(t.Context(), "rita", staffPassword)
	if err != nil || s.User.Role != wire.RoleReviewer {
		t.Fatalf("login: %+v %v", s, err)
	}
	p, err := sc.Inbox(t.Context(), wire.InboxQuery{Limit: 2})
	if err != nil || len(p.Batches) != 2 || p.Next == "" {
		t.Fatalf("inbox: %+v %v", p, err)
	}
	d, err := sc.Batch(t.Context(), "b-review")
	if err != nil || len(d.Records) != 4 {
		t.Fatalf("batch: %+v %v", d, err)
	}
	if _, err := sc.Batch(t.Context(), "b-nada"); err == nil || !strings.Contains(err.Error(), "no tiene ese lote") {
		t.Errorf("unknown batch: %v", err)
	}
	people, err := sc.FindPeople(t.Context(), "perez")
	if err != nil || len(people) != 1 {
		t.Errorf("find: %+v %v", people, err)
	}
	cc, err := sc.RevokeCertificate(t.Context(), "7KQ2-M9XD-4F", "prueba")
	if err != nil || cc.Status != wire.CertRevoked {
		t.Errorf("revoke: %+v %v", cc, err)
	}
	e.clock = now.Add(12 * time.Hour)
	if _, err := sc.Inbox(t.Context(), wire.InboxQuery{}); !errors.Is(err, device.ErrStaffAuth) {
		t.Errorf("after expiry: %v, want ErrStaffAuth", err)
	}
	if err := sc.Logout(t.Context()); err != nil {
		t.Errorf("logout of an expired session: %v", err)
	}
	t.Run("ErrNotRegistry", func(t *testing.T) {
		portal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte("<html>Bienvenido al wifi</html>"))
		}))
		defer portal.Close()
		sc, _ := device.NewStaffClient(portal.URL, nil)
		_, err := sc.Login(t.Context(), "rita", staffPassword)
		var se *device.StaffError
		if !errors.As(err, &se) || se.Code != "not_registry" {
			t.Errorf("captive portal: %v", err)
		}
	})
}

// TestStaffClientCompliance streams the people under the required points
// page by page.
func TestStaffClientCompliance(t *testing.T) {
	e := newStaffEnv(t)
	seedBatches(t, e)
	sc := e.login()
	var got []string
	n, err := sc.AllCompliancePeople(t.Context(), wire.CompliancePeopleQuery{Year: 2026}, func(p wire.CompliancePerson) error {
		got = append(got, p.Surname)
		return nil
	})
	if err != nil || n != 4 || strings.Join(got, ",") != "PÉREZ,GONZÁLEZ,ÑANCUCHEO,O'CONNOR" {
		t.Errorf("streamed %d %v, %v", n, got, err)
	}
	if a := e.auditActions(); a[len(a)-1] != "rita compliance.export" {
		t.Errorf("last audit %q", a[len(a)-1])
	}
}

// TestStaffClientImpact asks a real registry over HTTP for the impact
// view: every province, then one, then a province the account may not
// see.
func TestStaffClientImpact(t *testing.T) {
	e := newStaffEnv(t)
	seedBatches(t, e)
	sc := e.login()
	im, err := sc.Impact(t.Context(), 2026, "")
	if err != nil {
		t.Fatal(err)
	}
	if im.Year != 2026 || im.People != 2 || im.Sessions != 2 || im.Hours != 6 || im.ProvincesReached != 2 || im.MunicipalitiesReached != 2 ||
		im.Survey.Value != nil || len(im.Months) != 12 || im.Months[2].Attendances != 2 {
		t.Errorf("impact = %+v", im)
	}
	cba, err := sc.Impact(t.Context(), 2026, "Córdoba")
	if err != nil || cba.Province != "Córdoba" || cba.People != 1 || len(cba.Municipalities) != 1 || cba.Municipalities[0].Municipality != "Villa María" {
		t.Errorf("Córdoba = %+v, %v", cba, err)
	}
	if _, err := sc.Impact(t.Context(), 1999, ""); err == nil || !strings.Contains(err.Error(), "año") {
		t.Errorf("year 1999: %v", err)
	}
}

// login returns a client logged in to the env's registry as rita.
func (e *staffEnv) login() *device.StaffClient {
	e.t.Helper()
	sc, err := device.NewStaffClient(e.ts.URL, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := sc.Login(e.t.Context(), "rita", staffPassword); err != nil {
		e.t.Fatal(err)
	}
	return sc
}
