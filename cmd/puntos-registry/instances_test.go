//go:build linux

package main_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptrace"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/storage/demo"
	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/storage/registry"
	"github.com/puntos-ar/puntos/storage/registry/pgtest"
	"github.com/puntos-ar/puntos/storage/registry/registrytest"
	"github.com/puntos-ar/puntos/sync/device"
	"github.com/puntos-ar/puntos/sync/server"
	"github.com/puntos-ar/puntos/sync/wire"
)

// TestMain runs the tests on PostgreSQL when asked (see pgtest).
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// The fleet of TestInstancesKill9.
const (
	fleetDevices = 50
	fleetRounds  = 3 // sessions each device records and pushes before the check
	fleetShared  = 10
	fleetRoster  = fleetShared + 2*fleetDevices
	fleetSeed    = 7
	fleetProv    = "Córdoba"
	// fleetKillAt is the batch POST to the first instance during which it
	// is killed.
	fleetKillAt = 12
)

// buildRegistry builds the puntos-registry binary into a temporary
// folder.
func buildRegistry(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "puntos-registry")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// instance is a puntos-registry serve process.
type instance struct {
	cmd  *exec.Cmd
	addr string // host:port it listens on
	// exited is closed when the process has exited, with err.
	exited chan struct{}
	err    error
}

var listening = regexp.MustCompile(`http://(\S+)`)

// startInstance runs "serve" of bin on the database db, with its own data
// folder, on addr, and waits until it listens.
func startInstance(t *testing.T, bin, db, addr string) *instance {
	t.Helper()
	data := t.TempDir()
	cmd := exec.Command(bin, "--db", db, "--data", data, "serve", "--addr", addr)
	// The instance dies with the test process, even one killed on a
	// timeout, which runs no cleanup.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	stderr, err := os.Create(filepath.Join(data, "stderr.log"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stderr.Close() })
	cmd.Stderr = stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	in := &instance{cmd: cmd, exited: make(chan struct{})}
	first := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		if sc.Scan() {
			first <- sc.Text()
		}
		close(first)
		for sc.Scan() {
		}
		in.err = cmd.Wait()
		close(in.exited)
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-in.exited
	})
	line, ok := <-first
	m := listening.FindStringSubmatch(line)
	if !ok || m == nil {
		log, _ := os.ReadFile(stderr.Name())
		t.Fatalf("serve did not start: %q\n%s", line, log)
	}
	in.addr = m[1]
	return in
}

func (in *instance) url() string { return "http://" + in.addr }

// killer is the devices' transport: while the kill is armed, the
// fleetKillAt-th batch POST to target kills target's process as soon as
// the request is written, before any answer, so that a push is in flight
// when it dies.
type killer struct {
	base     http.RoundTripper
	target   *instance
	posts    atomic.Int64
	inFlight atomic.Int64 // batch POSTs to target without an answer yet
	once     sync.Once
	killed   chan struct{}
	onKill   func()
	// atKill is how many batch POSTs were in flight when it was killed.
	atKill int64
}

func (k *killer) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method != http.MethodPost || req.URL.Host != k.target.addr || req.URL.Path != wire.PathBatches {
		return k.base.RoundTrip(req)
	}
	k.inFlight.Add(1)
	defer k.inFlight.Add(-1)
	if k.posts.Add(1) == fleetKillAt {
		req = req.WithContext(httptrace.WithClientTrace(req.Context(), &httptrace.ClientTrace{
			WroteRequest: func(httptrace.WroteRequestInfo) { k.kill() },
		}))
	}
	return k.base.RoundTrip(req)
}

func (k *killer) kill() {
	k.once.Do(func() {
		k.atKill = k.inFlight.Load()
		k.target.cmd.Process.Kill() // SIGKILL
		k.onKill()
		close(k.killed)
	})
}

// fleetDevice is one office's device and what it recorded.
type fleetDevice struct {
	store       *storage.Store
	sessions    int
	attendances int
}

// fleet is the devices, the instances they sync with and what they
// recorded together.
type fleet struct {
	t       *testing.T
	devices []*fleetDevice
	http    *http.Client
	mu      sync.Mutex
	live    []*instance        // the instances devices choose from
	credits map[[2]string]bool // person and activity credited
}

// instances returns the live instances.
func (f *fleet) instances() []*instance {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.live
}

// setInstances makes the devices choose from live.
func (f *fleet) setInstances(live ...*instance) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.live = live
}

// record makes device i record one closed session, of the two activities
// in turn: the shared people, whom every device marks (their credits
// race), and two of its own.
func (f *fleet) record(i int) error {
	d, ctx := f.devices[i], context.Background()
	code := []string{"CH-INSP-01", "TA-LENG-01"}[(i+d.sessions)%2]
	s, err := d.store.CreateSession(ctx, domain.Session{ActivityCode: code, Date: yesterday().Format(time.DateOnly), Start: "09:00", End: "11:00",
		Province: fleetProv, Municipality: "Villa María", Venue: "Salón", Instructor: "Carla"})
	if err != nil {
		return err
	}
	people := []int{fleetShared + 2*i, fleetShared + 2*i + 1}
	for j := range fleetShared {
		people = append(people, j)
	}
	for _, j := range people {
		dni := demo.Person(j, fleetSeed).DNI
		if _, err := d.store.Mark(ctx, s.ID, dni, domain.Presente, domain.Typed); err != nil {
			return err
		}
		f.mu.Lock()
		f.credits[[2]string{dni, code}] = true
		f.mu.Unlock()
	}
	if _, err := d.store.CloseSession(ctx, s.ID); err != nil {
		return err
	}
	d.sessions++
	d.attendances += len(people)
	return nil
}

func yesterday() time.Time { return time.Now().AddDate(0, 0, -1) }

// syncDevice syncs device i at a randomly chosen instance until it has
// nothing left to send; an instance that does not answer is left for
// another at once.
func (f *fleet) syncDevice(i int, deadline time.Time) error {
	d := f.devices[i]
	for {
		if time.Now().After(deadline) {
			return fmt.Errorf("device %d: not synced in time", i)
		}
		live := f.instances()
		c := device.NewClient(d.store)
		c.HTTP = f.http
		c.Registry = live[rand.IntN(len(live))].url()
		c.RequestTimeout = 20 * time.Second
		c.BackoffBase, c.BackoffMax = 5*time.Millisecond, 100*time.Millisecond
		ctx, cancel := context.WithDeadline(context.Background(), deadline)
		c.Observe(func(fl *device.Failure) {
			if fl.Code == device.FailNetwork {
				cancel() // gone: try another instance
			}
		})
		_, err := c.Sync(ctx, nil)
		cancel()
		var fl *device.Failure
		switch {
		case err == nil:
			n, err := d.store.Waiting(context.Background())
			if err != nil || n == 0 {
				return err
			}
		case errors.Is(err, context.Canceled), errors.As(err, &fl) && fl.Retry:
		default:
			return fmt.Errorf("device %d: %w (%s)", i, err, detail(err))
		}
	}
}

func detail(err error) string {
	if f, ok := errors.AsType[*device.Failure](err); ok {
		return f.Detail()
	}
	return ""
}

// run makes every device record a session and sync it, rounds times,
// all at once.
func (f *fleet) run(rounds int, deadline time.Time) {
	f.t.Helper()
	errs := make(chan error, len(f.devices))
	for i := range f.devices {
		go func() {
			for range rounds {
				if err := f.record(i); err != nil {
					errs <- err
					return
				}
				if err := f.syncDevice(i, deadline); err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range f.devices {
		if err := <-errs; err != nil {
			f.t.Error(err)
		}
	}
	if f.t.Failed() {
		f.t.FailNow()
	}
}

// check checks that the registry holds every record the devices made
// exactly once, that the ledger credits each person once per activity
// however many devices reported them, and that every device has its
// batches acknowledged and its records accepted.
func (f *fleet) check(reg *registry.Store) {
	t := f.t
	t.Helper()
	ctx := context.Background()
	sessions, attendances, batches := 0, 0, 0
	for i, d := range f.devices {
		sessions += d.sessions
		attendances += d.attendances
		evs, err := d.store.Events(ctx, 1_000_000)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range evs {
			if e.Kind == "sync.batch" {
				batches++
			}
		}
		if ids, err := d.store.UnackedBatches(ctx); err != nil || len(ids) != 0 {
			t.Errorf("device %d: unacknowledged batches %v, %v", i, ids, err)
		}
		states, err := d.store.SyncStates(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got := states[wire.KindSession]; len(got) != 1 || got[wire.Accepted] != d.sessions {
			t.Errorf("device %d: sessions %v, want %d accepted", i, got, d.sessions)
		}
		if got := states[wire.KindAttendance]; len(got) != 1 || got[wire.Accepted] != d.attendances {
			t.Errorf("device %d: attendances %v, want %d accepted", i, got, d.attendances)
		}
	}
	st, err := reg.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Sessions != (registry.Counts{Accepted: sessions}) || st.Attendances != (registry.Counts{Accepted: attendances}) {
		t.Errorf("registry sessions %+v, attendances %+v; devices recorded %d and %d", st.Sessions, st.Attendances, sessions, attendances)
	}
	if st.Batches != batches || st.Review != 0 {
		t.Errorf("registry holds %d batches (%d for review); the devices built %d", st.Batches, st.Review, batches)
	}
	if st.Entries != len(f.credits) {
		t.Errorf("ledger has %d entries, want %d: one per person and activity", st.Entries, len(f.credits))
	}
	year := yesterday().Year()
	for j := range fleetRoster {
		dni := demo.Person(j, fleetSeed).DNI
		entries, err := reg.Ledger(ctx, dni, year)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]int{}
		for _, e := range entries {
			if e.Kind != registry.EntryCredit || !f.credits[[2]string{dni, e.ActivityCode}] {
				t.Errorf("person %d: unexpected ledger entry %+v", j, e)
			}
			seen[e.ActivityCode]++
		}
		for code, n := range seen {
			if n != 1 {
				t.Errorf("person %d: %d credits for %s, want 1", j, n, code)
			}
		}
	}
}

// registryKid returns the kid of the registry's own key as in publishes
// it.
func registryKid(t *testing.T, in *instance) string {
	t.Helper()
	res, err := http.Get(in.url() + wire.PathKeys)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var set wire.KeySet
	if err := json.NewDecoder(res.Body).Decode(&set); err != nil || len(set.Keys) == 0 || set.Keys[0].Office != server.RegistryOffice {
		t.Fatalf("key set of %s: %+v, %v", in.addr, set, err)
	}
	return set.Keys[0].Kid
}

// TestInstancesKill9 runs two registry processes on one PostgreSQL
// database and 50 devices that push to either at random, all at once;
// one instance is killed with SIGKILL while a push to it is in flight.
// The devices finish at the other, and every record arrives exactly once,
// with one credit per person and activity. The killed instance then
// comes back on its port and both serve another round.
func TestInstancesKill9(t *testing.T) {
	if !pgtest.Enabled() {
		t.Skip("several registry instances share a PostgreSQL database: run with " + pgtest.EnvEngine + "=postgres")
	}
	if testing.Short() {
		t.Skip("builds and runs registry processes")
	}
	bin := buildRegistry(t)
	ctx := context.Background()
	dir := t.TempDir()
	reg := registrytest.Open(t, dir)
	var roster bytes.Buffer
	if err := demo.Roster(&roster, fleetRoster, fleetSeed); err != nil {
		t.Fatal(err)
	}
	if _, err := reg.ImportCatalog(ctx, strings.NewReader(demo.Catalog)); err != nil {
		t.Fatal(err)
	}
	if _, err := reg.ImportRoster(ctx, bytes.NewReader(roster.Bytes())); err != nil {
		t.Fatal(err)
	}
	db := pgtest.DB(t, dir)
	a, b := startInstance(t, bin, db, "127.0.0.1:0"), startInstance(t, bin, db, "127.0.0.1:0")
	if ka, kb := registryKid(t, a), registryKid(t, b); ka != kb {
		t.Fatalf("the instances publish different registry keys: %s and %s", ka, kb)
	}

	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DisableCompression = true // the client handles gzip itself
	tr.MaxIdleConnsPerHost = fleetDevices
	k := &killer{base: tr, target: a, killed: make(chan struct{})}
	f := &fleet{t: t, http: &http.Client{Transport: k}, live: []*instance{a, b}, credits: map[[2]string]bool{}}
	k.onKill = func() { f.setInstances(b) }
	var wg sync.WaitGroup
	f.devices = make([]*fleetDevice, fleetDevices)
	for i := range f.devices {
		code := registrytest.Code(t, reg, fmt.Sprintf("Oficina %d", i), fleetProv, time.Now())
		wg.Go(func() {
			st, err := storage.Open(t.TempDir())
			if err == nil {
				_, err = st.ImportCatalog(ctx, strings.NewReader(demo.Catalog), nil)
			}
			if err == nil {
				_, err = st.ImportRoster(ctx, bytes.NewReader(roster.Bytes()), nil)
			}
			if err == nil {
				c := device.NewClient(st)
				c.HTTP = f.http
				_, err = c.Enroll(ctx, f.instances()[i%2].url(), code, fmt.Sprintf("Notebook %d", i))
			}
			if err != nil {
				t.Errorf("device %d: %v", i, err)
			}
			if st != nil {
				t.Cleanup(func() { st.Close() })
			}
			f.devices[i] = &fleetDevice{store: st}
		})
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}

	f.run(fleetRounds, time.Now().Add(90*time.Second))
	select {
	case <-k.killed:
	default:
		t.Fatalf("the first instance got %d batch POSTs: it was never killed", k.posts.Load())
	}
	if <-a.exited; a.err == nil {
		t.Error("the killed instance exited cleanly")
	}
	t.Logf("killed with %d batch POSTs in flight to it; %d batch POSTs to it in all", k.atKill, k.posts.Load())
	f.check(reg)
	if t.Failed() {
		return
	}

	// The killed instance comes back on its port; both serve a round more.
	again := startInstance(t, bin, db, a.addr)
	if ka, kb := registryKid(t, again), registryKid(t, b); ka != kb {
		t.Errorf("after the restart the instances publish different registry keys: %s and %s", ka, kb)
	}
	f.setInstances(b, again)
	before := k.posts.Load()
	f.run(1, time.Now().Add(60*time.Second))
	if k.posts.Load() == before {
		t.Error("no device pushed to the restarted instance")
	}
	f.check(reg)
}
