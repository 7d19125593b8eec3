package device_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/storage/demo"
	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/storage/registry"
	"github.com/puntos-ar/puntos/storage/registry/registrytest"
	"github.com/puntos-ar/puntos/sync/device"
	"github.com/puntos-ar/puntos/sync/internal/faultproxy"
	"github.com/puntos-ar/puntos/sync/server"
	"github.com/puntos-ar/puntos/sync/wire"
)

var _ device.Store = (*storage.Store)(nil)

// Sizes of the data every rig starts with.
const (
	rigRosterSize = 600
	rigRosterSeed = 5
	rigProvince   = "Córdoba"
)

var rigRosterCSV = sync.OnceValue(func() []byte {
	var b bytes.Buffer
	if err := demo.Roster(&b, rigRosterSize, rigRosterSeed); err != nil {
		panic(err)
	}
	return b.Bytes()
})

// devRig is a real registry (storage/registry behind server.Server on
// 127.0.0.1), a fault proxy in front of it, and a device store with a
// client enrolled through the proxy.
type devRig struct {
	t      testing.TB
	regDir string
	reg    *registry.Store
	api    *server.Server
	srv    *httptest.Server
	addr   string
	proxy  *faultproxy.Proxy
	dev    *storage.Store
	devDir string
	client *device.Client

	// midBatch, when set, is called as a POST of a batch reaches the
	// registry.
	mu       sync.Mutex
	midBatch func()
	sleeps   []time.Duration

	data     rigData
	credited map[string]int // activity → people credited (the first n)
}

func quietLog() *slog.Logger { return slog.New(slog.DiscardHandler) }

func newDevRig(t testing.TB) *devRig {
	t.Helper()
	ctx := context.Background()
	r := &devRig{t: t, regDir: t.TempDir(), devDir: t.TempDir()}
	reg := registrytest.Open(t, r.regDir)
	if _, err := reg.ImportCatalog(ctx, strings.NewReader(demo.Catalog)); err != nil {
		t.Fatal(err)
	}
	if _, err := reg.ImportRoster(ctx, bytes.NewReader(rigRosterCSV())); err != nil {
		t.Fatal(err)
	}
	r.reg = reg
	r.api = server.NewServer(reg, quietLog())
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	r.addr = r.srv.Listener.Addr().String()
	r.proxy = faultproxy.New(r.srv.URL, nil)
	t.Cleanup(func() {
		r.proxy.Close()
		r.mu.Lock()
		defer r.mu.Unlock()
		r.srv.CloseClientConnections()
		r.srv.Close()
		r.reg.Close()
	})

	dev, err := storage.Open(r.devDir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dev.Close() })
	if _, err := dev.ImportCatalog(ctx, strings.NewReader(demo.Catalog), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := dev.ImportRoster(ctx, bytes.NewReader(rigRosterCSV()), nil); err != nil {
		t.Fatal(err)
	}
	r.dev = dev
	r.client = r.newClient(dev)
	code := r.enrollmentCode()
	if _, err := r.client.Enroll(ctx, r.proxy.URL(), code, "Notebook de prueba"); err != nil {
		t.Fatalf("enroll: %v", err)
	}
	return r
}

// newClient returns a client for dev with short timeouts and waits that
// are recorded and kept to a millisecond.
func (r *devRig) newClient(dev device.Store) *device.Client {
	c := device.NewClient(dev)
	c.RequestTimeout = 2 * time.Second
	c.Sleep = func(ctx context.Context, d time.Duration) error {
		r.mu.Lock()
		r.sleeps = append(r.sleeps, d)
		r.mu.Unlock()
		select {
		case <-time.After(time.Millisecond):
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return c
}

// serve is the registry's handler, with the midBatch hook.
func (r *devRig) serve(w http.ResponseWriter, req *http.Request) {
	if req.Method == http.MethodPost && req.URL.Path == wire.PathBatches {
		r.mu.Lock()
		hook := r.midBatch
		r.mu.Unlock()
		if hook != nil {
			hook()
		}
	}
	r.apiHandler().ServeHTTP(w, req)
}

func (r *devRig) apiHandler() http.Handler {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.api
}

func (r *devRig) enrollmentCode() string {
	r.t.Helper()
	return registrytest.Code(r.t, r.reg, "Capacitación Córdoba", rigProvince, time.Now())
}

// restartRegistry closes the registry's server and store and opens them
// again on the same file and port. It may run on any goroutine.
func (r *devRig) restartRegistry() error {
	r.mu.Lock()
	srv, reg := r.srv, r.reg
	r.mu.Unlock()
	srv.CloseClientConnections()
	srv.Close()
	if err := reg.Close(); err != nil {
		return fmt.Errorf("close registry: %w", err)
	}
	reg = registrytest.Open(r.t, r.regDir)
	var ln net.Listener
	var err error
	for i := 0; ; i++ {
		if ln, err = net.Listen("tcp", r.addr); err == nil {
			break
		}
		if i == 100 {
			return fmt.Errorf("listen again on %s: %w", r.addr, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	srv = httptest.NewUnstartedServer(http.HandlerFunc(r.serve))
	srv.Listener.Close()
	srv.Listener = ln
	r.mu.Lock()
	r.reg, r.api, r.srv = reg, server.NewServer(reg, quietLog()), srv
	r.mu.Unlock()
	srv.Start()
	return nil
}

// today is the date sessions take: yesterday, so that no clock makes it
// the future for the registry.
func today() string { return time.Now().AddDate(0, 0, -1).Format("2006-01-02") }

// rigData is what a rig's device recorded.
type rigData struct {
	sessions, attendances, walkIns int
	// credits is the number of ledger credits the attendances earn: one
	// per person and activity.
	credits int
	points  int
}

// record creates closed sessions on the device: each with attendees
// people of the roster (the first ones, the same people for every session,
// so that the ledger must credit each person once per activity),
// alternating two single-session activities; the rig's first session also
// gets a walk-in. It returns everything the device recorded so far.
func (r *devRig) record(sessions, attendees int) rigData {
	r.t.Helper()
	ctx := context.Background()
	acts := []struct {
		code   string
		points int
	}{{"CH-INSP-01", 2}, {"TA-LENG-01", 6}}
	if r.credited == nil {
		r.credited = map[string]int{}
	}
	d := &r.data
	for range sessions {
		a := acts[d.sessions%len(acts)]
		s, err := r.dev.CreateSession(ctx, domain.Session{ActivityCode: a.code, Date: today(), Start: "09:00", End: "11:00",
			Province: rigProvince, Municipality: "Villa María", Venue: "Salón", Instructor: "Carla"})
		if err != nil {
			r.t.Fatal(err)
		}
		for j := range attendees {
			p := demo.Person(j, rigRosterSeed)
			if _, err := r.dev.Mark(ctx, s.ID, p.DNI, domain.Presente, domain.Typed); err != nil {
				r.t.Fatal(err)
			}
		}
		d.attendances += attendees
		// The walk-in comes to the first session of each activity.
		walkIn := r.credited[a.code] == 0
		if n := attendees - r.credited[a.code]; n > 0 {
			d.credits += n
			d.points += n * a.points
			r.credited[a.code] = attendees
		}
		if walkIn {
			walk := domain.Person{DNI: "9123456", Surname: "ÑANCUCHEO", GivenNames: "Rosa Inés", Agency: "Municipalidad"}
			res, err := r.dev.WalkIn(ctx, s.ID, walk)
			if err != nil {
				r.t.Fatal(err)
			}
			if res.Created {
				d.walkIns++
			}
			d.attendances++
			d.credits++
			d.points += a.points
		}
		if _, err := r.dev.CloseSession(ctx, s.ID); err != nil {
			r.t.Fatal(err)
		}
		d.sessions++
	}
	return *d
}

// sync runs a sync bounded by a minute and fails the test on error.
func (r *devRig) sync() device.Result {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := r.client.Sync(ctx, nil)
	if err != nil {
		r.t.Fatalf("sync: %v (%s)", err, detail(err))
	}
	return res
}

func detail(err error) string {
	if f, ok := errors.AsType[*device.Failure](err); ok {
		return f.Detail()
	}
	return ""
}

// checkExactlyOnce checks that every record d describes is in the
// registry once, the ledger credits each person once per activity, and
// the device shows every record accepted with nothing left to send.
func (r *devRig) checkExactlyOnce(d rigData) {
	r.t.Helper()
	ctx := context.Background()
	st, err := r.reg.Stats(ctx)
	if err != nil {
		r.t.Fatal(err)
	}
	if got, want := st.Attendances, (registry.Counts{Accepted: d.attendances}); got != want {
		r.t.Errorf("registry attendances = %+v, want %+v", got, want)
	}
	if got, want := st.Sessions, (registry.Counts{Accepted: d.sessions}); got != want {
		r.t.Errorf("registry sessions = %+v, want %+v", got, want)
	}
	if st.WalkIns != d.walkIns {
		r.t.Errorf("registry walk-ins = %d, want %d", st.WalkIns, d.walkIns)
	}
	if st.Entries != d.credits || st.Points != d.points {
		r.t.Errorf("ledger = %d entries, %d points; want %d, %d", st.Entries, st.Points, d.credits, d.points)
	}
	batches := 0
	evs, err := r.dev.Events(ctx, 1_000_000)
	if err != nil {
		r.t.Fatal(err)
	}
	for _, e := range evs {
		if e.Kind == "sync.batch" {
			batches++
		}
	}
	if st.Batches != batches {
		r.t.Errorf("registry batches = %d, device built %d", st.Batches, batches)
	}
	// Each person's ledger for the year: one credit per activity.
	year := time.Now().AddDate(0, 0, -1).Year()
	for _, dni := range []string{demo.Person(0, rigRosterSeed).DNI, "9123456"} {
		entries, err := r.reg.Ledger(ctx, dni, year)
		if err != nil {
			r.t.Fatal(err)
		}
		seen := map[string]int{}
		for _, e := range entries {
			if e.Kind == registry.EntryCredit {
				seen[e.ActivityCode]++
			}
		}
		for code, n := range seen {
			if n != 1 {
				r.t.Errorf("ledger of a person: %d credits for %s, want 1", n, code)
			}
		}
	}

	states, err := r.dev.SyncStates(ctx)
	if err != nil {
		r.t.Fatal(err)
	}
	want := map[string]map[string]int{
		wire.KindSession:    {wire.Accepted: d.sessions},
		wire.KindAttendance: {wire.Accepted: d.attendances},
		wire.KindPerson:     {wire.Accepted: d.walkIns},
	}
	for kind, w := range want {
		if got := states[kind]; !equalCounts(got, w) {
			r.t.Errorf("device %s states = %v, want %v", kind, got, w)
		}
	}
	if n, err := r.dev.Waiting(ctx); err != nil || n != 0 {
		r.t.Errorf("device waiting = %d, %v; want 0", n, err)
	}
	if ids, _ := r.dev.UnackedBatches(ctx); len(ids) != 0 {
		r.t.Errorf("device unacknowledged batches = %v", ids)
	}
}

func equalCounts(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestClientSync(t *testing.T) {
	r := newDevRig(t)
	d := r.record(3, 450) // 1,356 records: two batches
	const records = 3 + 450*3 + 1 + 2
	var phases []device.Progress
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := r.client.Sync(ctx, func(p device.Progress) { phases = append(phases, p) })
	if err != nil {
		t.Fatalf("sync: %v (%s)", err, detail(err))
	}
	if res.Batches != 2 || res.Records != records || res.Accepted != records || res.Retries != 0 {
		t.Errorf("result = %+v, want 2 batches of %d records, all accepted, no retries", res, records)
	}
	if res.Requests != 5 {
		t.Errorf("requests = %d, want 5 (two batches, catalog, keys, roster)", res.Requests)
	}
	last := phases[0]
	for _, p := range phases {
		if p.Phase == device.PhasePush {
			last = p
		}
	}
	if last.Done != last.Total || last.Total != records {
		t.Errorf("last push progress = %+v, want %d of %d", last, records, records)
	}
	r.checkExactlyOnce(d)
	st, err := r.dev.SyncStatus(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.LastSync.IsZero() || st.LastError != "" || st.Pending != 0 {
		t.Errorf("status after sync = %+v", st)
	}
	// Nothing more to send: the next sync only pulls, from its cursors.
	again := r.sync()
	if again.Batches != 0 || again.BytesSent != 0 || again.Activities != 0 || again.People != 0 {
		t.Errorf("second sync = %+v, want nothing sent and nothing changed", again)
	}
}

func TestClientPull(t *testing.T) {
	r := newDevRig(t)
	ctx := context.Background()
	fresh, err := storage.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	c := r.newClient(fresh)
	if _, err := c.Enroll(ctx, r.proxy.URL(), r.enrollmentCode(), "Equipo nuevo"); err != nil {
		t.Fatal(err)
	}
	res, err := c.Sync(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	acts, _ := fresh.Activities(ctx, "", 0)
	if res.Activities != 12 || len(acts) != 12 {
		t.Errorf("pulled %d activities, device has %d; want 12", res.Activities, len(acts))
	}
	want := 0
	for i := range rigRosterSize {
		if p := demo.Person(i, rigRosterSeed); p.Province == rigProvince {
			want++
			if _, err := fresh.Person(ctx, p.DNI); err != nil {
				t.Errorf("person of the province not pulled: %v", err)
				break
			}
		}
	}
	if n, _ := fresh.CountPeople(ctx); res.People != want || n != want {
		t.Errorf("pulled %d people, device has %d; want the %d of %s", res.People, n, want, rigProvince)
	}
	for _, feed := range []string{wire.FeedCatalog, wire.FeedRoster} {
		if cur, _ := fresh.Cursor(ctx, feed); cur == "" {
			t.Errorf("%s cursor not stored", feed)
		}
	}
}

func TestClientEnroll(t *testing.T) {
	r := newDevRig(t)
	ctx := context.Background()
	e, err := r.dev.Enrollment(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if e.Registry != r.proxy.URL() || e.DeviceID == "" || e.Token == "" || e.Province != rigProvince {
		t.Errorf("enrollment = %+v", e)
	}
	dev, err := r.reg.Device(ctx, e.DeviceID)
	if err != nil || dev.Name != "Notebook de prueba" {
		t.Errorf("registry device = %+v, %v", dev, err)
	}
	t.Run("CodeUsed", func(t *testing.T) {
		other, err := storage.Open(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		c := r.newClient(other)
		code := r.enrollmentCode()
		if _, err := c.Enroll(ctx, r.proxy.URL()+"/", code, "Otra"); err != nil {
			t.Fatal(err)
		}
		r.mu.Lock()
		before := len(r.sleeps)
		r.mu.Unlock()
		_, err = c.Enroll(ctx, r.proxy.URL(), code, "Otra")
		f, ok := errors.AsType[*device.Failure](err)
		if !ok || f.Code != wire.CodeEnrollUsed || f.Retry || !strings.Contains(f.Error(), "código") {
			t.Fatalf("second use of a code: err = %v", err)
		}
		r.mu.Lock()
		after := len(r.sleeps)
		r.mu.Unlock()
		if after != before {
			t.Errorf("a used code was retried %d times", after-before)
		}
		if got, _ := other.Enrollment(ctx); got.Registry != r.proxy.URL() {
			t.Errorf("enrollment URL = %q, want it without the trailing slash", got.Registry)
		}
	})
	t.Run("BadURL", func(t *testing.T) {
		if _, err := r.client.Enroll(ctx, "registro.example", "X", "Y"); err == nil || !strings.Contains(err.Error(), "dirección") {
			t.Errorf("bad URL: err = %v", err)
		}
	})
	t.Run("NotEnrolled", func(t *testing.T) {
		other, err := storage.Open(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		_, err = r.newClient(other).Sync(ctx, nil)
		if !errors.Is(err, wire.ErrNotEnrolled) || !strings.Contains(err.Error(), "inscrib") {
			t.Errorf("sync without enrollment: err = %v", err)
		}
		if st, _ := other.SyncStatus(ctx); st.LastError == "" {
			t.Errorf("the failure is not noted for the status bar")
		}
	})
}

func TestClientAuth(t *testing.T) {
	r := newDevRig(t)
	d := r.record(1, 5)
	ctx := context.Background()
	e, _ := r.dev.Enrollment(ctx)
	if _, err := r.reg.RevokeDeviceBy(ctx, e.DeviceID, wire.StaffScope{}, wire.StaffAction{Actor: registry.ConsoleActor, Reason: "equipo robado"}); err != nil {
		t.Fatal(err)
	}
	_, err := r.client.Sync(ctx, nil)
	if !errors.Is(err, device.ErrAuth) {
		t.Fatalf("sync of a revoked device: err = %v, want ErrAuth", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "alta") && !strings.Contains(msg, "inscrib") {
		t.Errorf("message %q does not tell to enroll again", err)
	}
	if n, _ := r.dev.Waiting(ctx); n != d.attendances+d.sessions+d.walkIns {
		t.Errorf("waiting after auth failure = %d, want every record kept", n)
	}
	st, _ := r.dev.SyncStatus(ctx)
	if st.LastError != err.Error() {
		t.Errorf("status last error = %q", st.LastError)
	}
	// Enrolled again, the same batch goes through.
	if _, err := r.client.Enroll(ctx, r.proxy.URL(), r.enrollmentCode(), "Notebook de prueba"); err != nil {
		t.Fatal(err)
	}
	r.sync()
	r.checkExactlyOnce(d)
}

func TestClientBackoff(t *testing.T) {
	r := newDevRig(t)
	d := r.record(1, 3)
	r.client.Jitter = func() float64 { return 0.5 }
	r.client.BackoffBase, r.client.BackoffMax = 500*time.Millisecond, time.Minute
	drops := 0
	r.proxy.SetPlan(func(int, *http.Request) faultproxy.Fault {
		if drops++; drops <= 9 {
			return faultproxy.DropBefore
		}
		return faultproxy.Pass
	})
	r.mu.Lock()
	r.sleeps = nil
	r.mu.Unlock()
	res := r.sync()
	if res.Retries != 9 {
		t.Errorf("retries = %d, want 9", res.Retries)
	}
	want := []time.Duration{250, 500, 1000, 2000, 4000, 8000, 16000, 30000, 30000}
	r.mu.Lock()
	got := append([]time.Duration(nil), r.sleeps...)
	r.mu.Unlock()
	if len(got) != len(want) {
		t.Fatalf("waits = %v, want %d", got, len(want))
	}
	for i := range want {
		if got[i] != want[i]*time.Millisecond {
			t.Errorf("wait %d = %v, want %v", i, got[i], want[i]*time.Millisecond)
		}
	}
	r.checkExactlyOnce(d)

	t.Run("RetryAfter", func(t *testing.T) {
		d := r.record(1, 3)
		once := 0
		r.proxy.SetPlan(func(int, *http.Request) faultproxy.Fault {
			if once++; once == 1 {
				return faultproxy.Registry429
			}
			return faultproxy.Pass
		})
		r.mu.Lock()
		r.sleeps = nil
		r.mu.Unlock()
		r.sync()
		r.mu.Lock()
		got := append([]time.Duration(nil), r.sleeps...)
		r.mu.Unlock()
		if len(got) != 1 || got[0] != 3*time.Second {
			t.Errorf("waits = %v, want [3s] as the registry's Retry-After says", got)
		}
		r.checkExactlyOnce(d)
	})
}

// post sends a raw batch to the registry with the device's token and
// returns the status and the (decompressed) body.
func (r *devRig) post(b any) (int, []byte) {
	r.t.Helper()
	e, err := r.dev.Enrollment(context.Background())
	if err != nil {
		r.t.Fatal(err)
	}
	return r.postAs(e.Token, b)
}

// postAs sends a raw batch to the registry, gzipped, with a device token.
func (r *devRig) postAs(token string, b any) (int, []byte) {
	r.t.Helper()
	data, err := json.Marshal(b)
	if err != nil {
		r.t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(data)
	zw.Close()
	req, err := http.NewRequest(http.MethodPost, r.srv.URL+wire.PathBatches, &buf)
	if err != nil {
		r.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Encoding", "gzip")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req) // transparent gunzip
	if err != nil {
		r.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		r.t.Fatal(err)
	}
	return resp.StatusCode, body
}

func TestReplayAndConflictHTTP(t *testing.T) {
	r := newDevRig(t)
	d := r.record(1, 4)
	ctx := context.Background()
	b, err := r.dev.NextBatch(ctx)
	if err != nil || b == nil {
		t.Fatalf("NextBatch = %v, %v", b, err)
	}
	status, first := r.post(b)
	if status != http.StatusOK {
		t.Fatalf("first post = %d %s", status, first)
	}
	t.Run("Replay", func(t *testing.T) {
		status, again := r.post(b)
		if status != http.StatusOK || !bytes.Equal(again, first) {
			t.Errorf("replay = %d, same receipt %v", status, bytes.Equal(again, first))
		}
	})
	t.Run("ErrSameBatchIDOtherContent", func(t *testing.T) {
		other := *b
		other.Attendances = append([]wire.AttendanceRecord(nil), b.Attendances...)
		other.Attendances[0].Status = string(domain.Ausente)
		status, body := r.post(&other)
		var eb wire.ErrorBody
		if err := json.Unmarshal(body, &eb); status != http.StatusConflict || err != nil || eb.Error.Code != wire.CodeBatchConflict {
			t.Errorf("same batch ID, other content = %d %s, want 409 %s", status, body, wire.CodeBatchConflict)
		}
	})
	t.Run("SameRecordIDsNewBatch", func(t *testing.T) {
		same := *b
		same.ID = domain.NewID()
		same.DeviceClock = time.Now()
		status, body := r.post(&same)
		var rec wire.Receipt
		if err := json.Unmarshal(body, &rec); status != http.StatusOK || err != nil {
			t.Fatalf("post = %d, %v", status, err)
		}
		for _, o := range rec.Outcomes {
			if o.Result != wire.Duplicate {
				t.Errorf("outcome %s %s = %s, want duplicate", o.Kind, o.ID, o.Result)
			}
		}
	})
	t.Run("SameRecordIDOtherContent", func(t *testing.T) {
		changed := wire.Batch{Protocol: wire.Protocol, ID: domain.NewID(), DeviceClock: time.Now(),
			Attendances: []wire.AttendanceRecord{b.Attendances[1]}}
		changed.Attendances[0].Status = string(domain.Ausente)
		_, body := r.post(&changed)
		var rec wire.Receipt
		if err := json.Unmarshal(body, &rec); err != nil || len(rec.Outcomes) != 1 {
			t.Fatalf("receipt %s, %v", body, err)
		}
		if o := rec.Outcomes[0]; o.Result != wire.Conflict || o.Message == "" {
			t.Errorf("outcome = %+v, want a conflict with a message", o)
		}
	})
	// The device lost the first answer: its sync gets the stored receipt
	// for the same batch, and every record is accepted once.
	res := r.sync()
	if res.Batches != 1 || res.Accepted != d.attendances+d.sessions+d.walkIns {
		t.Errorf("sync = %+v, want the stored receipt of the batch", res)
	}
	st, err := r.reg.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Attendances.Accepted != d.attendances || st.Entries != d.credits {
		t.Errorf("registry = %+v, want %d attendances accepted once and %d credits", st, d.attendances, d.credits)
	}
}

func TestUSBFile(t *testing.T) {
	r := newDevRig(t)
	d := r.record(3, 450)
	ctx := context.Background()
	batches, err := r.dev.ExportBatches(ctx)
	if err != nil {
		t.Fatal(err)
	}
	e, _ := r.dev.Enrollment(ctx)
	f, err := device.NewUSBFile(e, batches, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	key := sha256.Sum256([]byte(e.Token))
	mac := hmac.New(sha256.New, key[:])
	mac.Write(f.Batches)
	if f.Signature != hex.EncodeToString(mac.Sum(nil)) || f.DeviceID != e.DeviceID || f.Protocol != wire.Protocol {
		t.Errorf("file header or signature wrong: %+v", f.DeviceID)
	}
	var inFile []wire.Batch
	if err := json.Unmarshal(f.Batches, &inFile); err != nil || len(inFile) != 2 {
		t.Fatalf("batches in file = %d, %v; want 2", len(inFile), err)
	}
	data, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("Tampered", func(t *testing.T) {
		bad := bytes.Replace(data, []byte(`"presente"`), []byte(`"ausente"`), 1)
		if _, err := r.api.ImportUSB(ctx, bytes.NewReader(bad)); err == nil {
			t.Error("a tampered file was imported")
		}
	})
	imp, err := r.api.ImportUSB(ctx, bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if got := imp.Counts()[wire.KindAttendance][wire.Accepted]; got != d.attendances {
		t.Errorf("imported attendances accepted = %d, want %d", got, d.attendances)
	}
	// Back online: the device learns the outcome under the same batch IDs
	// without uploading them again.
	r.proxy.SetPlan(func(_ int, req *http.Request) faultproxy.Fault {
		if req.Method == http.MethodPost && req.URL.Path == wire.PathBatches {
			t.Errorf("a batch carried on the stick was uploaded again")
		}
		return faultproxy.Pass
	})
	r.client.Jitter = func() float64 { return 0 }
	res := r.sync()
	if res.Batches != 2 || res.BytesSent != 0 || res.Accepted != d.attendances+d.sessions+d.walkIns {
		t.Errorf("sync after import = %+v, want 2 receipts fetched, nothing uploaded", res)
	}
	r.checkExactlyOnce(d)
}

func TestClientRejected(t *testing.T) {
	r := newDevRig(t)
	ctx := context.Background()
	future := time.Now().AddDate(0, 0, 5).Format("2006-01-02")
	s, err := r.dev.CreateSession(ctx, domain.Session{ActivityCode: "CH-INSP-01", Date: future,
		Province: rigProvince, Municipality: "Villa María"})
	if err != nil {
		t.Fatal(err)
	}
	for j := range 3 {
		if _, err := r.dev.Mark(ctx, s.ID, demo.Person(j, rigRosterSeed).DNI, domain.Presente, domain.Typed); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := r.dev.CloseSession(ctx, s.ID); err != nil {
		t.Fatal(err)
	}
	res := r.sync()
	if res.Rejected != 4 || res.Accepted != 0 {
		t.Errorf("result = %+v, want the session and its 3 attendances rejected", res)
	}
	probs, err := r.dev.SyncProblems(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(probs) != 4 || probs[0].Kind != wire.KindSession || probs[0].Code != wire.RejectSessionFuture {
		t.Fatalf("problems = %+v, want the future session first", probs)
	}
	for _, p := range probs {
		if p.Result != wire.Rejected || p.Message == "" || p.SessionID != s.ID {
			t.Errorf("problem = %+v, want rejected with a message", p)
		}
	}
	st, err := r.dev.SyncStatus(ctx)
	if err != nil || st.Pending != 0 || st.Problems != 4 {
		t.Errorf("status = %+v, %v; want nothing pending and 4 problems", st, err)
	}
	info, _ := r.dev.Session(ctx, s.ID)
	if info.SyncState != wire.Rejected || info.SyncMessage == "" {
		t.Errorf("session sync state = %q %q, want rejected with the registry's message", info.SyncState, info.SyncMessage)
	}
}

func TestBackground(t *testing.T) {
	r := newDevRig(t)
	d := r.record(1, 20)
	drops := 0
	r.proxy.SetPlan(func(int, *http.Request) faultproxy.Fault {
		if drops++; drops <= 3 {
			return faultproxy.DropBefore
		}
		return faultproxy.Pass
	})
	bg := device.NewBackground(r.client)
	bg.Interval = time.Hour
	changed := make(chan device.BackgroundState, 1000)
	bg.OnChange(func() { changed <- bg.State() })
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() {
		bg.Run(ctx)
		close(stopped)
	}()
	// wait returns the states seen until one satisfies ok.
	wait := func(ok func(device.BackgroundState) bool) []device.BackgroundState {
		t.Helper()
		var seen []device.BackgroundState
		for {
			select {
			case s := <-changed:
				seen = append(seen, s)
				if ok(s) {
					return seen
				}
			case <-time.After(time.Minute):
				t.Fatalf("no such state; saw %+v", seen)
			}
		}
	}
	seen := wait(func(s device.BackgroundState) bool { return !s.Running && !s.LastSync.IsZero() })
	retrying := false
	for _, s := range seen {
		if s.Running && s.LastError != "" {
			retrying = true
		}
	}
	if !retrying {
		t.Errorf("no state showed the failure while retrying")
	}
	if s := bg.State(); s.LastError != "" || s.Last.Batches != 1 {
		t.Errorf("state after the first round = %+v", s)
	}
	r.checkExactlyOnce(d)

	d = r.record(1, 10)
	bg.SyncNow()
	// The session, its 10 attendances and the walk-in's (sent as a person before).
	wait(func(s device.BackgroundState) bool { return !s.Running && s.Last.Batches == 1 && s.Last.Records == 12 })
	r.checkExactlyOnce(d)
	cancel()
	<-stopped
}

func TestClientObserveAndWake(t *testing.T) {
	r := newDevRig(t)
	r.record(1, 2)
	r.proxy.SetPlan(func(int, *http.Request) faultproxy.Fault { return faultproxy.DropBefore })
	c := device.NewClient(r.dev)
	c.RequestTimeout = 2 * time.Second
	c.BackoffBase, c.BackoffMax = time.Hour, time.Hour
	c.Jitter = func() float64 { return 1 }
	var first, second []string
	failures := make(chan *device.Failure, 100)
	c.Observe(func(f *device.Failure) { first = append(first, f.Code) })
	c.Observe(func(f *device.Failure) {
		second = append(second, f.Code)
		failures <- f
	})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := c.Sync(ctx, nil)
		done <- err
	}()
	for n := range 3 {
		select {
		case f := <-failures:
			if !f.Retry || f.Code != device.FailNetwork {
				t.Fatalf("failure %d = %+v, want a network failure to retry", n, f)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("no failure %d: Wake did not cut the hour's wait", n)
		}
		c.Wake()
	}
	cancel()
	if err := <-done; err == nil {
		t.Fatal("sync against a dropping registry worked")
	}
	if len(first) != len(second) || len(first) < 3 {
		t.Errorf("observers heard %v and %v, want the same failures, at least 3", first, second)
	}

	t.Run("EnrollOnce", func(t *testing.T) {
		heard := len(second)
		start := time.Now()
		_, err := c.EnrollOnce(context.Background(), r.proxy.URL(), r.enrollmentCode(), "Otra")
		var f *device.Failure
		if !errors.As(err, &f) || f.Code != device.FailNetwork {
			t.Fatalf("EnrollOnce = %v, want the first network failure", err)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("EnrollOnce took %v: it waited to retry", d)
		}
		if len(second) != heard {
			t.Errorf("observers heard of an enrollment: %v", second[heard:])
		}
	})
}

// TestClientClockDrift reads the registry's time from its answers' Date
// header: a computer whose clock runs 25 minutes ahead sees it at a sync.
func TestClientClockDrift(t *testing.T) {
	r := newDevRig(t)
	c := r.newClient(r.dev)
	if _, ok := c.ClockDrift(); ok {
		t.Fatal("drift known before any answer")
	}
	c.Now = func() time.Time { return time.Now().Add(25 * time.Minute) }
	r.sync() // with the rig's client: c has not talked to the registry yet
	if _, ok := c.ClockDrift(); ok {
		t.Fatal("another client's answers counted")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := c.Sync(ctx, nil); err != nil {
		t.Fatalf("sync: %v", err)
	}
	d, ok := c.ClockDrift()
	if !ok || d < 24*time.Minute || d > 26*time.Minute {
		t.Errorf("drift %v (%v), want about 25 min", d, ok)
	}
}
