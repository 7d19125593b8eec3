package server_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/puntos-ar/puntos/storage/demo"
	"github.com/puntos-ar/puntos/storage/registry"
	"github.com/puntos-ar/puntos/storage/registry/registrytest"
	"github.com/puntos-ar/puntos/sync/server"
	"github.com/puntos-ar/puntos/sync/wire"
)

// storage/registry implements the stores the server needs.
var (
	_ server.Store      = (*registry.Store)(nil)
	_ server.StaffStore = (*registry.Store)(nil)
)

// now is the registry's clock in these tests (registrytest.Now).
var now = registrytest.Now

type registryEnv struct {
	t     *testing.T
	dir   string
	st    *registry.Store
	srv   *server.Server
	ts    *httptest.Server
	logs  *lockedBuffer
	clock time.Time
}

// lockedBuffer collects log lines written by the server's goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// newRegistry starts a registry on httptest with the demo catalog and
// registrytest.RosterCSV, its clock at now.
func newRegistry(t *testing.T) *registryEnv {
	t.Helper()
	dir := t.TempDir()
	st := registrytest.Open(t, dir)
	e := &registryEnv{t: t, dir: dir, st: st, logs: &lockedBuffer{}, clock: now}
	st.Now = func() time.Time { return e.clock }
	if _, err := st.ImportCatalog(t.Context(), strings.NewReader(demo.Catalog)); err != nil {
		t.Fatal(err)
	}
	if rep, err := st.ImportRoster(t.Context(), strings.NewReader(registrytest.RosterCSV)); err != nil || rep.Added != 4 {
		t.Fatalf("roster: %+v, %v", rep, err)
	}
	e.srv = server.NewServer(st, slog.New(slog.NewTextHandler(e.logs, nil)))
	e.srv.Now = func() time.Time { return e.clock }
	e.ts = httptest.NewServer(e.srv)
	t.Cleanup(e.ts.Close)
	return e
}

// code creates an enrollment code for province.
func (e *registryEnv) code(province string) string { return e.codeOf("Oficina de prueba", province) }

// codeOf creates an enrollment code for an office of province.
func (e *registryEnv) codeOf(office, province string) string {
	e.t.Helper()
	return registrytest.Code(e.t, e.st, office, province, e.clock)
}

// device enrolls a device in province and returns a client with its token.
func (e *registryEnv) device(province string) *client {
	return e.deviceOf("Oficina de prueba", province)
}

// deviceOf enrolls a device of office in province.
func (e *registryEnv) deviceOf(office, province string) *client {
	e.t.Helper()
	c := e.client("")
	res := c.do("POST", wire.PathEnroll, jsonBody(e.t, wire.EnrollRequest{Code: e.codeOf(office, province), DeviceName: "Notebook"}), nil)
	if res.status != 200 {
		e.t.Fatalf("enroll: status %d: %s", res.status, res.body)
	}
	var er wire.EnrollResponse
	res.decode(e.t, &er)
	c.token, c.deviceID = er.Token, er.DeviceID
	return c
}

func (e *registryEnv) client(token string) *client {
	return &client{t: e.t, base: e.ts.URL, token: token, hc: &http.Client{Transport: &http.Transport{DisableCompression: true}}}
}

type client struct {
	t        *testing.T
	base     string
	token    string
	deviceID string
	hc       *http.Client
}

type response struct {
	status int
	header http.Header
	body   []byte // as received (maybe gzip)
}

func (r response) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// errorCode returns the code of an API error body.
func (r response) errorCode(t *testing.T) string {
	t.Helper()
	var eb wire.ErrorBody
	r.decode(t, &eb)
	if eb.Error.Message == "" {
		t.Errorf("error %q has no message", eb.Error.Code)
	}
	return eb.Error.Code
}

func (c *client) do(method, path string, body []byte, header map[string]string) response {
	c.t.Helper()
	res, err := c.try(method, path, body, header)
	if err != nil {
		c.t.Fatal(err)
	}
	return res
}

// try is do for any goroutine: it returns what fails rather than ending
// the test.
func (c *client) try(method, path string, body []byte, header map[string]string) (response, error) {
	req, err := http.NewRequest(method, c.base+path, bytes.NewReader(body))
	if err != nil {
		return response{}, err
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := c.hc.Do(req)
	if err != nil {
		return response{}, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return response{}, err
	}
	if got := res.Header.Get(wire.HeaderProtocol); got != wire.Protocol {
		return response{}, fmt.Errorf("%s %s: header %s = %q, want %q", method, path, wire.HeaderProtocol, got, wire.Protocol)
	}
	return response{res.StatusCode, res.Header, b}, nil
}

// push sends a batch and returns the answer and the decoded receipt.
func (c *client) push(b *wire.Batch) (response, wire.Receipt) {
	c.t.Helper()
	res := c.do("POST", wire.PathBatches, jsonBody(c.t, b), nil)
	var rc wire.Receipt
	if res.status == 200 {
		res.decode(c.t, &rc)
		if rc.Protocol != wire.Protocol || rc.BatchID != b.ID {
			c.t.Errorf("receipt protocol %q batch %q, want %q %q", rc.Protocol, rc.BatchID, wire.Protocol, b.ID)
		}
	}
	return res, rc
}

// mustPush pushes and fails the test unless the registry answered 200.
func (c *client) mustPush(b *wire.Batch) wire.Receipt {
	c.t.Helper()
	res, rc := c.push(b)
	if res.status != 200 {
		c.t.Fatalf("push %s: status %d: %s", b.ID, res.status, res.body)
	}
	return rc
}

func jsonBody(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func gzipped(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// session, att and batch build records at registrytest.Now.
var (
	session = registrytest.Session
	att     = registrytest.Attendance
	batch   = registrytest.Batch
)

// outcomes maps record ID to its outcome.
func outcomes(rc wire.Receipt) map[string]wire.Outcome {
	m := map[string]wire.Outcome{}
	for _, o := range rc.Outcomes {
		m[o.Kind+":"+o.ID] = o
	}
	return m
}

func wantOutcome(t *testing.T, rc wire.Receipt, kind, id, result, code string) {
	t.Helper()
	o, ok := outcomes(rc)[kind+":"+id]
	if !ok {
		t.Fatalf("no outcome for %s %s in %+v", kind, id, rc.Outcomes)
	}
	if o.Result != result || o.Code != code {
		t.Errorf("%s %s: got %s/%s (%s), want %s/%s", kind, id, o.Result, o.Code, o.Message, result, code)
	}
	if (result == wire.Rejected || result == wire.Conflict) && o.Message == "" {
		t.Errorf("%s %s: %s without a message", kind, id, result)
	}
}

func TestEnroll(t *testing.T) {
	e := newRegistry(t)
	enroll := func(code string) response {
		return e.client("").do("POST", wire.PathEnroll, jsonBody(t, wire.EnrollRequest{Code: code, DeviceName: "Notebook Tandil"}), nil)
	}
	t.Run("OK", func(t *testing.T) {
		code := e.code("Buenos Aires")
		// Typed in lower case without dashes, as a person might.
		res := enroll(strings.ToLower(strings.ReplaceAll(code, "-", "")))
		if res.status != 200 {
			t.Fatalf("status %d: %s", res.status, res.body)
		}
		var er wire.EnrollResponse
		res.decode(t, &er)
		if er.Protocol != wire.Protocol || er.DeviceID == "" || len(er.Token) < 40 || er.Province != "Buenos Aires" || er.Office != "Oficina de prueba" {
			t.Errorf("got %+v", er)
		}
		dev, err := e.st.Device(t.Context(), er.DeviceID)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(dev.TokenHash, []byte(er.Token)) || !bytes.Equal(dev.TokenHash, wire.HashSecret(er.Token)) {
			t.Errorf("stored token hash %x, want the SHA-256 of the token", dev.TokenHash)
		}
	})
	t.Run("ErrCodeUsed", func(t *testing.T) {
		code := e.code("Córdoba")
		if res := enroll(code); res.status != 200 {
			t.Fatalf("first use: status %d", res.status)
		}
		res := enroll(code)
		if got, want := res.status, 403; got != want {
			t.Errorf("status %d, want %d", got, want)
		}
		if got, want := res.errorCode(t), wire.CodeEnrollUsed; got != want {
			t.Errorf("code %q, want %q", got, want)
		}
	})
	t.Run("ErrCodeExpired", func(t *testing.T) {
		code := e.code("Córdoba")
		e.clock = now.Add(server.EnrollCodeTTL + time.Minute)
		defer func() { e.clock = now }()
		res := enroll(code)
		if got, want := res.errorCode(t), wire.CodeEnrollExpired; got != want || res.status != 403 {
			t.Errorf("got %d %q, want 403 %q", res.status, got, want)
		}
	})
	t.Run("ErrCodeUnknown", func(t *testing.T) {
		for _, code := range []string{"ABCD-EFGH-JK", "not a code"} {
			res := enroll(code)
			if got, want := res.errorCode(t), wire.CodeEnrollUnknown; got != want || res.status != 403 {
				t.Errorf("%q: got %d %q, want 403 %q", code, res.status, got, want)
			}
		}
	})
	t.Run("ErrNoName", func(t *testing.T) {
		res := e.client("").do("POST", wire.PathEnroll, jsonBody(t, wire.EnrollRequest{Code: e.code("Salta")}), nil)
		if got, want := res.errorCode(t), wire.CodeBadRequest; got != want {
			t.Errorf("code %q, want %q", got, want)
		}
	})
	t.Run("ErrTooManyAttempts", func(t *testing.T) {
		e := newRegistry(t)
		good := e.code("Salta")
		var last response
		for range 11 {
			last = e.client("").do("POST", wire.PathEnroll, jsonBody(t, wire.EnrollRequest{Code: "ZZZZ-ZZZZ-ZZ", DeviceName: "x"}), nil)
		}
		if got, want := last.status, 429; got != want {
			t.Fatalf("11th failure: status %d, want %d", got, want)
		}
		if last.header.Get("Retry-After") == "" {
			t.Error("429 without Retry-After")
		}
		// Blocked even with a good code until the window passes.
		res := e.client("").do("POST", wire.PathEnroll, jsonBody(t, wire.EnrollRequest{Code: good, DeviceName: "x"}), nil)
		if res.status != 429 {
			t.Errorf("good code while blocked: status %d, want 429", res.status)
		}
		e.clock = now.Add(16 * time.Minute)
		res = e.client("").do("POST", wire.PathEnroll, jsonBody(t, wire.EnrollRequest{Code: good, DeviceName: "x"}), nil)
		if res.status != 200 {
			t.Errorf("after the window: status %d, want 200", res.status)
		}
	})
}

func TestAuth(t *testing.T) {
	e := newRegistry(t)
	dev := e.device("Buenos Aires")
	revoked := e.device("Buenos Aires")
	if _, err := e.st.RevokeDeviceBy(t.Context(), revoked.deviceID, wire.StaffScope{}, wire.StaffAction{Actor: registry.ConsoleActor, Reason: "equipo robado"}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, token, want string
	}{
		{"ErrNoToken", "", wire.CodeTokenMissing},
		{"ErrUnknown", "bm90IGEgdG9rZW4", wire.CodeTokenUnknown},
		{"ErrRevoked", revoked.token, wire.CodeTokenRevoked},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, path := range []string{wire.PathCatalog, wire.PathRoster, "/api/v1/batches/x1"} {
				res := e.client(tc.token).do("GET", path, nil, nil)
				if res.status != 401 {
					t.Errorf("GET %s: status %d, want 401", path, res.status)
				}
				if got := res.errorCode(t); got != tc.want {
					t.Errorf("GET %s: code %q, want %q", path, got, tc.want)
				}
				if res.header.Get("WWW-Authenticate") == "" {
					t.Errorf("GET %s: 401 without WWW-Authenticate", path)
				}
			}
			res := e.client(tc.token).do("POST", wire.PathBatches, jsonBody(t, batch("b-auth")), nil)
			if res.status != 401 {
				t.Errorf("POST batch: status %d, want 401", res.status)
			}
		})
	}
	t.Run("RevokedMessage", func(t *testing.T) {
		var eb wire.ErrorBody
		e.client(revoked.token).do("GET", wire.PathCatalog, nil, nil).decode(t, &eb)
		if !strings.Contains(eb.Error.Message, "dado de baja") || !strings.Contains(eb.Error.Message, "código de alta") {
			t.Errorf("message %q does not say what to do", eb.Error.Message)
		}
	})
	t.Run("OK", func(t *testing.T) {
		if res := dev.do("GET", wire.PathCatalog, nil, nil); res.status != 200 {
			t.Errorf("status %d: %s", res.status, res.body)
		}
	})
	t.Run("NotFoundAndMethod", func(t *testing.T) {
		res := dev.do("GET", "/api/v1/nothing", nil, nil)
		if got := res.errorCode(t); res.status != 404 || got != wire.CodeNotFound {
			t.Errorf("unknown path: %d %q", res.status, got)
		}
		res = dev.do("DELETE", wire.PathBatches, nil, nil)
		if res.status != 405 {
			t.Errorf("DELETE batches: status %d, want 405", res.status)
		}
	})
}

func TestPush(t *testing.T) {
	e := newRegistry(t)
	dev := e.device("Buenos Aires")

	b := batch("b-1")
	b.People = []wire.PersonRecord{
		{DNI: "30111222", Surname: "RÍOS", GivenNames: "Lucía", Province: "Buenos Aires"}, // new walk-in
		{DNI: "20123456", Surname: "Gonzalez", GivenNames: "MARIA"},                       // on the roster, same person
		{DNI: "123", Surname: "X", GivenNames: "Y"},                                       // bad DNI
	}
	future := session("s-future", "TA-LENG-01", "2026-03-23")
	open := session("s-open", "TA-LENG-01", "2026-03-18")
	open.ClosedAt = time.Time{}
	b.Sessions = []wire.SessionRecord{
		session("s-1", "TA-LENG-01", "2026-03-18"),
		session("s-unknown-activity", "NO-EXISTE", "2026-03-18"),
		future, open,
	}
	bad := att("a-bad-status", "s-1", "20123459", "dormido")
	b.Attendances = []wire.AttendanceRecord{
		att("a-1", "s-1", "20123456", "presente"),
		att("a-walkin", "s-1", "30111222", "tarde"),
		att("a-baddni", "s-1", "12.3", "presente"),
		att("a-nobody", "s-1", "40999888", "presente"),
		att("a-rejected-session", "s-unknown-activity", "20123456", "presente"),
		att("a-no-session", "s-never-sent", "20123456", "presente"),
		bad,
	}
	b.Certificates = []wire.CertificateRecord{
		{Code: "7kq2-m9xd-4f", AttendanceID: "a-1", Kind: "asistencia", IssuedAt: now},
		{Code: "AAAA-BBBB-CC", AttendanceID: "a-nobody", Kind: "asistencia", IssuedAt: now},
	}
	rc := dev.mustPush(b)
	if got, want := len(rc.Outcomes), b.Records(); got != want {
		t.Fatalf("%d outcomes, want %d", got, want)
	}
	for _, w := range []struct{ kind, id, result, code string }{
		{wire.KindPerson, "30111222", wire.Accepted, ""},
		{wire.KindPerson, "20123456", wire.Duplicate, ""},
		{wire.KindPerson, "123", wire.Rejected, "dni_format"},
		{wire.KindSession, "s-1", wire.Accepted, ""},
		{wire.KindSession, "s-unknown-activity", wire.Rejected, wire.RejectActivityUnknown},
		{wire.KindSession, "s-future", wire.Rejected, wire.RejectSessionFuture},
		{wire.KindSession, "s-open", wire.Rejected, wire.RejectSessionNotClosed},
		{wire.KindAttendance, "a-1", wire.Accepted, ""},
		{wire.KindAttendance, "a-walkin", wire.Accepted, ""},
		{wire.KindAttendance, "a-baddni", wire.Rejected, "dni_format"},
		{wire.KindAttendance, "a-nobody", wire.Rejected, wire.RejectPersonUnknown},
		{wire.KindAttendance, "a-rejected-session", wire.Rejected, wire.RejectSessionRejected},
		{wire.KindAttendance, "a-no-session", wire.Rejected, wire.RejectSessionUnknown},
		{wire.KindAttendance, "a-bad-status", wire.Rejected, wire.RejectStatus},
		{wire.KindCertificate, "7kq2-m9xd-4f", wire.Accepted, ""},
		{wire.KindCertificate, "AAAA-BBBB-CC", wire.Rejected, wire.RejectAttendanceUnknown},
	} {
		wantOutcome(t, rc, w.kind, w.id, w.result, w.code)
	}
	if msg := outcomes(rc)["session:s-unknown-activity"].Message; !strings.Contains(msg, "NO-EXISTE") {
		t.Errorf("unknown activity message %q does not name the activity", msg)
	}

	t.Run("Duplicate", func(t *testing.T) {
		b2 := batch("b-2")
		b2.Sessions = []wire.SessionRecord{session("s-1", "TA-LENG-01", "2026-03-18")}
		b2.Attendances = []wire.AttendanceRecord{att("a-1", "s-1", "20123456", "presente")}
		b2.Certificates = []wire.CertificateRecord{{Code: "7KQ2M9XD4F", AttendanceID: "a-1", Kind: "asistencia", IssuedAt: now}}
		rc := dev.mustPush(b2)
		wantOutcome(t, rc, wire.KindSession, "s-1", wire.Duplicate, "")
		wantOutcome(t, rc, wire.KindAttendance, "a-1", wire.Duplicate, "")
		wantOutcome(t, rc, wire.KindCertificate, "7KQ2M9XD4F", wire.Duplicate, "")
	})
	t.Run("Conflict", func(t *testing.T) {
		b3 := batch("b-3")
		s := session("s-1", "TA-LENG-01", "2026-03-18")
		s.Venue = "Otro lugar"
		b3.Sessions = []wire.SessionRecord{s}
		b3.People = []wire.PersonRecord{{DNI: "20123456", Surname: "OTRA", GivenNames: "Persona"}}
		b3.Attendances = []wire.AttendanceRecord{
			att("a-1", "s-1", "20123456", "ausente"),  // same ID, other status
			att("a-1bis", "s-1", "20123456", "tarde"), // other ID, same person and session
		}
		rc := dev.mustPush(b3)
		wantOutcome(t, rc, wire.KindSession, "s-1", wire.Conflict, wire.ConflictContent)
		wantOutcome(t, rc, wire.KindPerson, "20123456", wire.Conflict, wire.ConflictContent)
		wantOutcome(t, rc, wire.KindAttendance, "a-1", wire.Conflict, wire.ConflictContent)
		wantOutcome(t, rc, wire.KindAttendance, "a-1bis", wire.Conflict, wire.ConflictPersonMarked)
		// Never overwritten: the person and the ledger keep the first version.
		p, err := e.st.Person(t.Context(), "20123456")
		if err != nil {
			t.Fatal(err)
		}
		if p.Surname != "GONZÁLEZ" {
			t.Errorf("person surname %q after a conflict, want GONZÁLEZ", p.Surname)
		}
		st, err := e.st.Stats(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if st.Review == 0 {
			t.Error("conflicts not kept for review")
		}
	})
	t.Run("Stats", func(t *testing.T) {
		st, err := e.st.Stats(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		want := registry.Counts{Accepted: 2, Duplicate: 1, Conflict: 2, Rejected: 5}
		if st.Attendances != want {
			t.Errorf("attendances %+v, want %+v", st.Attendances, want)
		}
		if st.Batches != 3 || st.WalkIns != 1 || st.Certificates != 1 {
			t.Errorf("batches %d walk-ins %d certificates %d, want 3 1 1", st.Batches, st.WalkIns, st.Certificates)
		}
	})
	t.Run("LogsWithoutPersonalData", func(t *testing.T) {
		// A request's line is logged just after its answer: make one more
		// request so the batches' lines are surely written.
		dev.do("GET", "/api/v1/batches/b-1", nil, nil)
		logs := e.logs.String()
		if !strings.Contains(logs, "pattern=\"POST /api/v1/batches\"") || !strings.Contains(logs, "device="+dev.deviceID) {
			t.Errorf("request log lacks pattern or device:\n%s", logs)
		}
		for _, secret := range []string{"20123456", "30111222", "GONZ", "Lucía", "RÍOS", dev.token, "7KQ2"} {
			if strings.Contains(logs, secret) {
				t.Errorf("log holds personal data or a secret %q", secret)
			}
		}
	})
}

func TestReplay(t *testing.T) {
	e := newRegistry(t)
	dev := e.device("Buenos Aires")
	b := batch("b-replay")
	b.Sessions = []wire.SessionRecord{session("s-1", "CH-INSP-01", "2026-03-18")}
	b.Attendances = []wire.AttendanceRecord{att("a-1", "s-1", "20123456", "presente")}
	first, _ := dev.push(b)
	if first.status != 200 {
		t.Fatalf("status %d: %s", first.status, first.body)
	}
	e.clock = now.Add(time.Hour) // a later receipt time would show
	t.Run("SameBody", func(t *testing.T) {
		again, _ := dev.push(b)
		if !bytes.Equal(again.body, first.body) {
			t.Errorf("replay receipt differs:\n%s\n%s", again.body, first.body)
		}
	})
	t.Run("ErrOtherBody", func(t *testing.T) {
		// The batch ID is the idempotency key of one body: another body
		// under it is refused (409) and changes nothing.
		other := batch("b-replay")
		other.Attendances = []wire.AttendanceRecord{att("a-2", "s-1", "20123459", "presente")}
		again, _ := dev.push(other)
		wantError(t, again, 409, wire.CodeBatchConflict)
		if st, _ := e.st.Stats(t.Context()); st.Attendances.Accepted != 1 {
			t.Errorf("accepted %d attendances, want 1", st.Attendances.Accepted)
		}
	})
	t.Run("GetReceipt", func(t *testing.T) {
		res := dev.do("GET", "/api/v1/batches/b-replay", nil, nil)
		if res.status != 200 || !bytes.Equal(res.body, first.body) {
			t.Errorf("GET receipt: status %d body %s, want the stored receipt", res.status, res.body)
		}
	})
	t.Run("ErrBatchUnknown", func(t *testing.T) {
		res := dev.do("GET", "/api/v1/batches/b-never", nil, nil)
		if got := res.errorCode(t); res.status != 404 || got != wire.CodeBatchUnknown {
			t.Errorf("got %d %q, want 404 %q", res.status, got, wire.CodeBatchUnknown)
		}
	})
	t.Run("ConcurrentReplays", func(t *testing.T) {
		b := batch("b-concurrent")
		b.Attendances = []wire.AttendanceRecord{att("a-3", "s-1", "20123458", "presente")}
		body := jsonBody(t, b)
		bodies := make(chan []byte, 4)
		for range 4 {
			go func() {
				res, err := dev.try("POST", wire.PathBatches, body, nil)
				if err != nil {
					t.Error(err)
				}
				bodies <- res.body
			}()
		}
		var got [][]byte
		for range 4 {
			got = append(got, <-bodies)
		}
		for _, b := range got[1:] {
			if !bytes.Equal(b, got[0]) || len(b) == 0 {
				t.Fatalf("concurrent pushes of one batch got different answers:\n%s\n%s", got[0], b)
			}
		}
	})
}

func TestGzip(t *testing.T) {
	e := newRegistry(t)
	dev := e.device("Buenos Aires")
	b := batch("b-gzip")
	b.Sessions = []wire.SessionRecord{session("s-1", "CH-INSP-01", "2026-03-18")}
	for i := range 20 {
		dni := fmt.Sprint(31000000 + i)
		b.People = append(b.People, wire.PersonRecord{DNI: dni, Surname: "APELLIDO", GivenNames: "Nombre"})
		b.Attendances = append(b.Attendances, att(fmt.Sprintf("a-%d", i), "s-1", dni, "presente"))
	}
	t.Run("RequestAndAnswer", func(t *testing.T) {
		res := dev.do("POST", wire.PathBatches, gzipped(t, jsonBody(t, b)),
			map[string]string{"Content-Encoding": "gzip", "Accept-Encoding": "gzip"})
		if res.status != 200 {
			t.Fatalf("status %d: %s", res.status, res.body)
		}
		if got := res.header.Get("Content-Encoding"); got != "gzip" {
			t.Fatalf("Content-Encoding %q, want gzip", got)
		}
		zr, err := gzip.NewReader(bytes.NewReader(res.body))
		if err != nil {
			t.Fatal(err)
		}
		plain, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		var rc wire.Receipt
		if err := json.Unmarshal(plain, &rc); err != nil {
			t.Fatal(err)
		}
		if len(rc.Outcomes) != 41 || rc.Outcomes[40].Result != wire.Accepted {
			t.Errorf("receipt %+v", rc)
		}
	})
	t.Run("NoGzipWhenNotAccepted", func(t *testing.T) {
		for _, ae := range []string{"", "identity", "gzip;q=0"} {
			res := dev.do("GET", "/api/v1/batches/b-gzip", nil, map[string]string{"Accept-Encoding": ae})
			if res.header.Get("Content-Encoding") != "" || !json.Valid(res.body) {
				t.Errorf("Accept-Encoding %q: got Content-Encoding %q", ae, res.header.Get("Content-Encoding"))
			}
		}
	})
	t.Run("ErrCorruptGzip", func(t *testing.T) {
		z := gzipped(t, jsonBody(t, batch("b-corrupt")))
		res := dev.do("POST", wire.PathBatches, z[:len(z)-6], map[string]string{"Content-Encoding": "gzip"})
		if got := res.errorCode(t); res.status != 400 || got != wire.CodeBadRequest {
			t.Errorf("truncated gzip: got %d %q, want 400 %q", res.status, got, wire.CodeBadRequest)
		}
	})
}

func TestLimits(t *testing.T) {
	e := newRegistry(t)
	dev := e.device("Buenos Aires")
	for _, tc := range []struct {
		name   string
		body   func() []byte
		header map[string]string
		status int
		code   string
	}{
		{"ErrBodyTooLarge", func() []byte {
			b := batch("b-big")
			b.Attendances = []wire.AttendanceRecord{att("a", "s", strings.Repeat("9", wire.MaxBatchBytes), "presente")}
			return jsonBody(t, b)
		}, nil, 413, wire.CodeBodyTooLarge},
		{"ErrTooManyRecords", func() []byte {
			b := batch("b-many")
			for i := range wire.MaxBatchRecords + 1 {
				b.Attendances = append(b.Attendances, wire.AttendanceRecord{ID: fmt.Sprint(i)})
			}
			return jsonBody(t, b)
		}, nil, 413, wire.CodeBatchTooLarge},
		{"ErrGzipBomb", func() []byte {
			// 64 MiB of spaces before the JSON compress to about 64 KiB.
			var buf bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
			zw.Write(bytes.Repeat([]byte(" "), 64<<20))
			zw.Write(jsonBody(t, batch("b-bomb")))
			zw.Close()
			return buf.Bytes()
		}, map[string]string{"Content-Encoding": "gzip"}, 413, wire.CodeBodyTooLarge},
		{"ErrMalformedJSON", func() []byte { return []byte(`{"protocol":"puntos/1","id":"b-x","attendances":[{"id":`) }, nil, 400, wire.CodeBadRequest},
		{"ErrWrongTypes", func() []byte { return []byte(`{"protocol":"puntos/1","id":"b-x","attendances":"many"}`) }, nil, 400, wire.CodeBadRequest},
		{"ErrTrailingData", func() []byte { return []byte(`{"protocol":"puntos/1","id":"b-x"}{}`) }, nil, 400, wire.CodeBadRequest},
		{"ErrHTMLPage", func() []byte { return []byte(`<html><body>Portal cautivo</body></html>`) }, nil, 400, wire.CodeBadRequest},
		{"ErrProtocol", func() []byte { return []byte(`{"protocol":"puntos/9","id":"b-x"}`) }, nil, 400, wire.CodeProtocolVersion},
		{"ErrBatchID", func() []byte { return []byte(`{"protocol":"puntos/1","id":"../../etc"}`) }, nil, 400, wire.CodeBadRequest},
		{"ErrEncoding", func() []byte { return []byte(`{}`) }, map[string]string{"Content-Encoding": "br"}, 415, "unsupported_encoding"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := dev.do("POST", wire.PathBatches, tc.body(), tc.header)
			if res.status != tc.status {
				t.Errorf("status %d, want %d: %s", res.status, tc.status, res.body)
			}
			if got := res.errorCode(t); got != tc.code {
				t.Errorf("code %q, want %q", got, tc.code)
			}
		})
	}
	if st, _ := e.st.Stats(t.Context()); st.Batches != 0 {
		t.Errorf("%d batches stored from bad requests, want 0", st.Batches)
	}
}

func TestPull(t *testing.T) {
	e := newRegistry(t)
	dev := e.device("Buenos Aires")
	t.Run("CatalogPages", func(t *testing.T) {
		var codes []string
		since := ""
		pages := 0
		for {
			res := dev.do("GET", wire.PathCatalog+"?limit=5&since="+since, nil, nil)
			var p wire.CatalogPage
			res.decode(t, &p)
			if p.Protocol != wire.Protocol {
				t.Fatalf("page protocol %q", p.Protocol)
			}
			pages++
			for _, a := range p.Activities {
				codes = append(codes, a.Code)
			}
			since = p.Next
			if !p.More {
				break
			}
			if len(p.Activities) != 5 {
				t.Errorf("page with more has %d activities, want 5", len(p.Activities))
			}
		}
		if got, want := len(codes), 12; got != want || pages != 3 {
			t.Errorf("%d activities in %d pages, want %d in 3", got, pages, want)
		}
		// Nothing new: empty page, same cursor.
		var p wire.CatalogPage
		dev.do("GET", wire.PathCatalog+"?since="+since, nil, nil).decode(t, &p)
		if len(p.Activities) != 0 || p.Next != since || p.More {
			t.Errorf("after the end: %+v, want empty with cursor %s", p, since)
		}
		// A changed activity comes again after the cursor.
		changed := strings.Replace(demo.Catalog, "Taller de lenguaje claro;taller;4;6", "Taller de lenguaje claro;taller;4;7", 1)
		if _, err := e.st.ImportCatalog(t.Context(), strings.NewReader(changed)); err != nil {
			t.Fatal(err)
		}
		dev.do("GET", wire.PathCatalog+"?since="+since, nil, nil).decode(t, &p)
		if len(p.Activities) != 1 || p.Activities[0].Code != "TA-LENG-01" || p.Activities[0].Points != 7 {
			t.Errorf("delta after a change: %+v", p.Activities)
		}
	})
	t.Run("RosterProvince", func(t *testing.T) {
		var p wire.RosterPage
		dev.do("GET", wire.PathRoster, nil, nil).decode(t, &p)
		var dnis []string
		for _, x := range p.People {
			dnis = append(dnis, x.DNI)
		}
		slices.Sort(dnis)
		// Buenos Aires (written two ways) and the person with no province;
		// not the one in Córdoba.
		if want := []string{"20123456", "20123458", "20123459"}; !slices.Equal(dnis, want) {
			t.Errorf("roster %v, want %v", dnis, want)
		}
		cba := e.device("Córdoba")
		cba.do("GET", wire.PathRoster+"?limit=1", nil, nil).decode(t, &p)
		if len(p.People) != 1 || p.People[0].DNI != "20123457" || !p.More {
			t.Errorf("Córdoba first page %+v, want 20123457 and more", p)
		}
		cba.do("GET", wire.PathRoster+"?limit=1&since="+p.Next, nil, nil).decode(t, &p)
		if len(p.People) != 1 || p.People[0].DNI != "20123458" || p.More {
			t.Errorf("Córdoba second page %+v, want 20123458 and no more", p)
		}
	})
	t.Run("ErrCursor", func(t *testing.T) {
		for _, q := range []string{"?since=abc", "?since=-1", "?limit=0", "?limit=x"} {
			res := dev.do("GET", wire.PathRoster+q, nil, nil)
			if got := res.errorCode(t); res.status != 400 || got != wire.CodeBadRequest {
				t.Errorf("%s: got %d %q", q, res.status, got)
			}
		}
	})
}

func TestLedger(t *testing.T) {
	e := newRegistry(t)
	a, b := e.device("Buenos Aires"), e.device("Córdoba")
	credits := func(dni string, year int) []registry.LedgerEntry {
		t.Helper()
		l, err := e.st.Ledger(t.Context(), dni, year)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	t.Run("OneCreditPerYearAcrossDevices", func(t *testing.T) {
		ba := batch("b-a")
		ba.Sessions = []wire.SessionRecord{session("s-a", "TA-EXCEL-02", "2026-03-10")}
		ba.Attendances = []wire.AttendanceRecord{att("aa-1", "s-a", "20123456", "presente"), att("aa-2", "s-a", "20123458", "ausente")}
		bb := batch("b-b")
		bb.Sessions = []wire.SessionRecord{session("s-b", "TA-EXCEL-02", "2026-03-17")}
		bb.Attendances = []wire.AttendanceRecord{att("ab-1", "s-b", "20123456", "tarde")}
		a.mustPush(ba)
		rc := b.mustPush(bb)
		wantOutcome(t, rc, wire.KindAttendance, "ab-1", wire.Accepted, "")
		l := credits("20123456", 2026)
		if len(l) != 1 {
			t.Fatalf("%d entries, want 1: %+v", len(l), l)
		}
		got := l[0]
		if got.Points != 8 || got.ActivityCode != "TA-EXCEL-02" || got.Year != 2026 || got.SessionID != "s-a" ||
			got.DeviceID != a.deviceID || got.BatchID != "b-a" || got.RuleVersion == "" || got.Kind != registry.EntryCredit {
			t.Errorf("entry %+v, want 8 points from device A's batch", got)
		}
		if l := credits("20123458", 2026); len(l) != 0 {
			t.Errorf("absent person credited: %+v", l)
		}
		// Another year is another credit.
		e.clock = time.Date(2027, 1, 5, 15, 0, 0, 0, time.UTC)
		defer func() { e.clock = now }()
		bc := batch("b-c")
		s := session("s-c", "TA-EXCEL-02", "2027-01-04")
		s.ClosedAt = e.clock
		bc.Sessions = []wire.SessionRecord{s}
		bc.Attendances = []wire.AttendanceRecord{att("ac-1", "s-c", "20123456", "presente")}
		bc.DeviceClock = e.clock
		b.mustPush(bc)
		if l := credits("20123456", 2027); len(l) != 1 || l[0].Points != 8 {
			t.Errorf("2027 entries %+v, want one credit of 8", l)
		}
	})
	t.Run("MultiSessionThreshold", func(t *testing.T) {
		// CU-GDE-01: 4 sessions, 75 %: 3 needed.
		push := func(c *client, id, date, status string) {
			bt := batch("b-" + id)
			bt.Sessions = []wire.SessionRecord{session("s-"+id, "CU-GDE-01", date)}
			bt.Attendances = []wire.AttendanceRecord{att("a-"+id, "s-"+id, "20123459", status)}
			rc := c.mustPush(bt)
			wantOutcome(t, rc, wire.KindAttendance, "a-"+id, wire.Accepted, "")
		}
		gde := func() []registry.LedgerEntry {
			var out []registry.LedgerEntry
			for _, en := range credits("20123459", 2026) {
				if en.ActivityCode == "CU-GDE-01" {
					out = append(out, en)
				}
			}
			return out
		}
		push(a, "g1", "2026-03-02", "presente")
		push(b, "g2", "2026-03-09", "ausente")
		push(a, "g3", "2026-03-16", "tarde")
		if l := gde(); len(l) != 0 {
			t.Fatalf("credited below the threshold: %+v", l)
		}
		push(b, "g4", "2026-03-19", "presente") // third attended session, from the other device
		l := gde()
		if len(l) != 1 || l[0].Points != 20 || l[0].SessionID != "s-g4" || l[0].DeviceID != b.deviceID {
			t.Fatalf("after the threshold: %+v, want one credit of 20 from s-g4", l)
		}
		push(a, "g5", "2026-03-20", "presente")
		if l := gde(); len(l) != 1 {
			t.Errorf("%d credits after a fifth session, want 1", len(l))
		}
	})
	t.Run("Reverse", func(t *testing.T) {
		l := credits("20123456", 2026)
		rev, err := e.st.ReverseEntry(t.Context(), l[0].ID, wire.StaffScope{}, wire.StaffAction{Actor: "staff", Reason: "asistencia cargada por error"})
		if err != nil {
			t.Fatal(err)
		}
		if rev.Points != -l[0].Points || rev.Reverses != l[0].ID || rev.Kind != registry.EntryReversal {
			t.Errorf("reversal %+v", rev)
		}
		if _, err := e.st.ReverseEntry(t.Context(), l[0].ID, wire.StaffScope{}, wire.StaffAction{Actor: "staff", Reason: "otra vez"}); err == nil {
			t.Error("a second reversal of the same credit was accepted")
		}
		total := 0
		for _, en := range credits("20123456", 2026) {
			total += en.Points
		}
		if total != 0 {
			t.Errorf("total after reversal %d, want 0", total)
		}
	})
}

func TestClockFlags(t *testing.T) {
	e := newRegistry(t)
	dev := e.device("Buenos Aires")
	b := batch("b-flags")
	b.DeviceClock = now.Add(-3 * time.Hour)
	b.Sessions = []wire.SessionRecord{
		session("s-tomorrow", "CH-INSP-01", "2026-03-21"),
		session("s-old", "CH-ETICA-02", "2026-03-01"),
		session("s-ok", "TA-LENG-01", "2026-03-15"),
	}
	rc := dev.mustPush(b)
	for _, id := range []string{"s-tomorrow", "s-old", "s-ok"} {
		wantOutcome(t, rc, wire.KindSession, id, wire.Accepted, "")
	}
	want := []string{wire.FlagClockSkew, wire.FlagFutureSession, wire.FlagLateReport}
	if !slices.Equal(rc.Flags, want) {
		t.Errorf("flags %v, want %v", rc.Flags, want)
	}
	b2 := batch("b-noflags")
	b2.DeviceClock = now.Add(5 * time.Minute)
	b2.Sessions = []wire.SessionRecord{session("s-ok2", "TA-LENG-01", "2026-03-19")}
	if rc := dev.mustPush(b2); len(rc.Flags) != 0 {
		t.Errorf("flags %v, want none", rc.Flags)
	}
}

func TestVerify(t *testing.T) {
	e := newRegistry(t)
	dev := e.device("Córdoba")
	b := batch("b-cert")
	s := session("s-1", "TA-LENG-01", "2026-03-18")
	s.Province = "Córdoba"
	b.Sessions = []wire.SessionRecord{s}
	b.Attendances = []wire.AttendanceRecord{att("a-1", "s-1", "20123457", "presente"), att("a-2", "s-1", "20123456", "presente")}
	b.Certificates = []wire.CertificateRecord{
		{Code: "7KQ2-M9XD-4F", AttendanceID: "a-1", Kind: "asistencia", IssuedAt: now},
		{Code: "8KQ2-M9XD-4F", AttendanceID: "a-2", Kind: "aprobacion", IssuedAt: now},
	}
	dev.mustPush(b)
	if _, err := e.st.RevokeCertificateBy(t.Context(), "8KQ2-M9XD-4F", wire.StaffScope{}, wire.StaffAction{Actor: registry.ConsoleActor, Reason: "emitido por error"}); err != nil {
		t.Fatal(err)
	}
	page := func(code string) response { return e.client("").do("GET", "/verify/"+code, nil, nil) }
	t.Run("Genuine", func(t *testing.T) {
		res := page("7kq2m9xd4f") // as typed, lower case without dashes
		body := string(res.body)
		if res.status != 200 || !strings.HasPrefix(res.header.Get("Content-Type"), "text/html") {
			t.Fatalf("status %d type %q", res.status, res.header.Get("Content-Type"))
		}
		for _, want := range []string{"auténtico", "O&#39;CONNOR, Juan &lt;b&gt;Pablo&lt;/b&gt;", "Taller de lenguaje claro",
			"18/03/2026", "7KQ2-M9XD-4F", `content="puntos/1"`, "<dd>6</dd>"} {
			if !strings.Contains(body, want) {
				t.Errorf("page lacks %q:\n%s", want, body)
			}
		}
		if strings.Contains(body, "<b>Pablo") || strings.Contains(body, "20123457") {
			t.Error("page holds unescaped HTML or the DNI")
		}
	})
	t.Run("Revoked", func(t *testing.T) {
		res := page("8KQ2-M9XD-4F")
		body := string(res.body)
		if res.status != 200 || !strings.Contains(body, "revocado") || !strings.Contains(body, "emitido por error") || !strings.Contains(body, "20/03/2026") {
			t.Errorf("status %d, page:\n%s", res.status, body)
		}
	})
	t.Run("Unknown", func(t *testing.T) {
		for _, code := range []string{"ZZZZ-ZZZZ-ZZ", "<img src=x onerror=alert(1)>"} {
			res := page(url.PathEscape(code))
			body := string(res.body)
			if res.status != 404 || !strings.Contains(body, "No encontramos") || strings.Contains(body, "<img") {
				t.Errorf("%q: status %d, page:\n%s", code, res.status, body)
			}
		}
	})
	t.Run("JSON", func(t *testing.T) {
		var c wire.CertificateCheck
		res := e.client("").do("GET", "/api/v1/certificates/7KQ2-M9XD-4F", nil, nil)
		res.decode(t, &c)
		if c.Status != wire.CertGenuine || c.Name != "O'CONNOR, Juan <b>Pablo</b>" || c.Points != 6 || c.Date != "2026-03-18" || c.Kind != "asistencia" {
			t.Errorf("got %+v", c)
		}
		e.client("").do("GET", "/api/v1/certificates/8KQ2M9XD4F", nil, nil).decode(t, &c)
		if c.Status != wire.CertRevoked || c.RevokeReason != "emitido por error" || c.RevokedAt.IsZero() {
			t.Errorf("revoked: got %+v", c)
		}
		res = e.client("").do("GET", "/api/v1/certificates/ZZZZ-ZZZZ-ZZ", nil, nil)
		if got := res.errorCode(t); res.status != 404 || got != wire.CodeCertUnknown {
			t.Errorf("unknown: got %d %q", res.status, got)
		}
	})
}

// usbFile writes batches as a USB file signed with token.
func usbFile(t *testing.T, deviceID, token string, batches ...*wire.Batch) []byte {
	t.Helper()
	raw := jsonBody(t, batches)
	mac := hmac.New(sha256.New, wire.HashSecret(token))
	mac.Write(raw)
	return jsonBody(t, wire.USBFile{Protocol: wire.Protocol, DeviceID: deviceID, Batches: raw, Signature: hex.EncodeToString(mac.Sum(nil))})
}

func TestImportUSB(t *testing.T) {
	e := newRegistry(t)
	dev := e.device("Buenos Aires")
	b1 := batch("b-usb-1")
	b1.Sessions = []wire.SessionRecord{session("s-1", "CH-INSP-01", "2026-03-18")}
	b1.Attendances = []wire.AttendanceRecord{att("a-1", "s-1", "20123456", "presente")}
	b2 := batch("b-usb-2")
	b2.Attendances = []wire.AttendanceRecord{att("a-2", "s-1", "20123458", "presente"), att("a-3", "s-1", "99", "presente")}
	b2.DeviceClock = now.Add(-72 * time.Hour) // written days ago: no clock_skew for a file
	file := usbFile(t, dev.deviceID, dev.token, b1, b2)

	t.Run("ErrTampered", func(t *testing.T) {
		bad := bytes.Replace(file, []byte("20123458"), []byte("20123459"), 1)
		_, err := e.srv.ImportUSB(t.Context(), bytes.NewReader(bad))
		if err == nil || !strings.Contains(err.Error(), "firma") {
			t.Fatalf("tampered file: err %v, want a signature error", err)
		}
		other := e.device("Buenos Aires")
		_, err = e.srv.ImportUSB(t.Context(), bytes.NewReader(usbFile(t, dev.deviceID, other.token, b1)))
		if err == nil {
			t.Fatal("file signed by another device accepted")
		}
		if st, _ := e.st.Stats(t.Context()); st.Batches != 0 {
			t.Errorf("%d batches stored from bad files", st.Batches)
		}
	})
	t.Run("OK", func(t *testing.T) {
		res, err := e.srv.ImportUSB(t.Context(), bytes.NewReader(file))
		if err != nil {
			t.Fatal(err)
		}
		c := res.Counts()[wire.KindAttendance]
		if c[wire.Accepted] != 2 || c[wire.Rejected] != 1 || len(res.Receipts) != 2 {
			t.Errorf("counts %v receipts %d", res.Counts(), len(res.Receipts))
		}
		if len(res.Receipts[1].Flags) != 0 {
			t.Errorf("flags %v on a file batch, want none", res.Receipts[1].Flags)
		}
		// The device learns the outcome online: same batch ID, stored receipt.
		online := dev.do("GET", "/api/v1/batches/b-usb-2", nil, nil)
		var rc wire.Receipt
		online.decode(t, &rc)
		if len(rc.Outcomes) != 2 || rc.Outcomes[0].Result != wire.Accepted {
			t.Errorf("online receipt %+v", rc)
		}
		again, _ := dev.push(b1)
		var rc1 wire.Receipt
		again.decode(t, &rc1)
		if rc1.Outcomes[0].Result != wire.Accepted {
			t.Errorf("push after import: %+v, want the stored receipt", rc1)
		}
		// Importing the same file twice changes nothing.
		if _, err := e.srv.ImportUSB(t.Context(), bytes.NewReader(file)); err != nil {
			t.Fatal(err)
		}
		if st, _ := e.st.Stats(t.Context()); st.Batches != 2 || st.Attendances.Accepted != 2 {
			t.Errorf("after a second import: %d batches %d accepted, want 2 2", st.Batches, st.Attendances.Accepted)
		}
	})
	t.Run("ErrRevoked", func(t *testing.T) {
		if _, err := e.st.RevokeDeviceBy(t.Context(), dev.deviceID, wire.StaffScope{}, wire.StaffAction{Actor: registry.ConsoleActor}); err != nil {
			t.Fatal(err)
		}
		_, err := e.srv.ImportUSB(t.Context(), bytes.NewReader(usbFile(t, dev.deviceID, dev.token, batch("b-usb-3"))))
		if err == nil || !strings.Contains(err.Error(), "dado de baja") {
			t.Errorf("revoked device: err %v", err)
		}
	})
}

func TestServeGracefulShutdown(t *testing.T) {
	e := newRegistry(t)
	dev := e.device("Buenos Aires")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	arrived := make(chan struct{}, 1)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		e.srv.ServeHTTP(w, r)
	})
	served := make(chan error, 1)
	go func() { served <- server.Serve(ctx, ln, h, slog.New(slog.DiscardHandler)) }()

	// A push in flight when shutdown starts: its body arrives in two parts.
	b := batch("b-inflight")
	b.Sessions = []wire.SessionRecord{session("s-1", "CH-INSP-01", "2026-03-18")}
	body := jsonBody(t, b)
	pr, pw := io.Pipe()
	req, _ := http.NewRequest("POST", "http://"+ln.Addr().String()+wire.PathBatches, pr)
	req.Header.Set("Authorization", "Bearer "+dev.token)
	req.Header.Set("Content-Type", "application/json")
	req.ContentLength = int64(len(body))
	answered := make(chan *http.Response, 1)
	go func() {
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Error(err)
		}
		answered <- res
	}()
	pw.Write(body[:10])
	<-arrived
	cancel()
	pw.Write(body[10:])
	pw.Close()
	res := <-answered
	if res == nil {
		t.Fatal("no answer for the request in flight")
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		t.Errorf("request in flight: status %d, want 200", res.StatusCode)
	}
	if err := <-served; err != nil {
		t.Errorf("Serve: %v", err)
	}
	if _, err := net.Dial("tcp", ln.Addr().String()); err == nil {
		t.Error("still accepting connections after shutdown")
	}
	if _, err := e.st.Receipt(t.Context(), dev.deviceID, "b-inflight"); err != nil {
		t.Errorf("batch in flight not stored: %v", err)
	}
}
