package device_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/sync/device"
	"github.com/puntos-ar/puntos/sync/internal/faultproxy"
	"github.com/puntos-ar/puntos/sync/wire"
)

// everyOther faults the first request to each method and path, passes
// the next, and so on: every batch and every page meets the fault, and a
// retry goes through.
func everyOther(f faultproxy.Fault) faultproxy.Plan { return burst(f, 1) }

// burst faults k requests in a row to each method and path, then passes
// one, and so on.
func burst(f faultproxy.Fault, k int) faultproxy.Plan {
	var mu sync.Mutex
	seen := map[string]int{}
	return func(_ int, r *http.Request) faultproxy.Fault {
		mu.Lock()
		defer mu.Unlock()
		key := r.Method + " " + r.URL.Path
		n := seen[key]
		seen[key]++
		if n%(k+1) < k {
			return f
		}
		return faultproxy.Pass
	}
}

// batchesOnly faults every other request about batches and passes the
// pulls.
func batchesOnly(f faultproxy.Fault) faultproxy.Plan {
	plan := everyOther(f)
	return func(n int, r *http.Request) faultproxy.Fault {
		if !strings.HasPrefix(r.URL.Path, wire.PathBatches) {
			return faultproxy.Pass
		}
		return plan(n, r)
	}
}

func TestFaults(t *testing.T) {
	cases := []struct {
		name string
		plan faultproxy.Plan
	}{
		{"DropBeforeRequest", everyOther(faultproxy.DropBefore)},
		{"DropAfterCommit", everyOther(faultproxy.DropAfter)},
		{"DropAfterCommitBurst", burst(faultproxy.DropAfter, 4)},
		{"ProxyError500", everyOther(faultproxy.Error500)},
		{"Registry500", burst(faultproxy.Registry500, 3)},
		{"StallBeforeRequest", everyOther(faultproxy.Stall)},
		{"StallAfterCommit", everyOther(faultproxy.StallAfter)},
		{"CaptivePortal", burst(faultproxy.CaptivePortal, 3)},
		{"TruncatedGzip", everyOther(faultproxy.TruncateGzip)},
		{"CutBody", everyOther(faultproxy.CutBody)},
		{"NoProtocolField", everyOther(faultproxy.NoProtocolField)},
		{"ForeignReceipt", batchesOnly(faultproxy.ForeignReceipt)},
		{"Registry429", everyOther(faultproxy.Registry429)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := newDevRig(t)
			d := r.record(3, 450) // two batches
			r.client.RequestTimeout = 300 * time.Millisecond
			r.proxy.SetPlan(c.plan)
			res := r.sync()
			if res.Retries == 0 {
				t.Errorf("no retries: the fault did not happen (%+v)", r.proxy.Events())
			}
			if res.Batches != 2 || res.Accepted != res.Records {
				t.Errorf("result = %+v, want 2 batches, every record accepted", res)
			}
			r.checkExactlyOnce(d)
			st, err := r.dev.SyncStatus(context.Background())
			if err != nil || st.LastError != "" || st.LastSync.IsZero() {
				t.Errorf("status = %+v, %v; want a clean last sync", st, err)
			}

			r.proxy.SetPlan(nil)
			if again := r.sync(); again.Batches != 0 || again.Retries != 0 {
				t.Errorf("clean sync after the faults = %+v, want nothing to send", again)
			}
			r.checkExactlyOnce(d)
		})
	}
}

func TestFaultRegistryRestartMidBatch(t *testing.T) {
	for i, delay := range []time.Duration{0, time.Millisecond, 5 * time.Millisecond} {
		t.Run(fmt.Sprint(delay), func(t *testing.T) {
			r := newDevRig(t)
			d := r.record(3, 450)
			var once sync.Once
			done := make(chan error, 1)
			posts := 0
			r.mu.Lock()
			r.midBatch = func() {
				r.mu.Lock()
				posts++
				second := posts == 1+i%2 // the first or the second batch
				r.mu.Unlock()
				if second {
					once.Do(func() {
						go func() {
							time.Sleep(delay)
							done <- r.restartRegistry()
						}()
					})
				}
			}
			r.mu.Unlock()
			res := r.sync()
			select {
			case err := <-done:
				if err != nil {
					t.Fatal(err)
				}
			case <-time.After(time.Minute):
				t.Fatal("the registry did not restart")
			}
			if res.Batches != 2 {
				t.Errorf("result = %+v, want 2 batches", res)
			}
			r.checkExactlyOnce(d)
			r.mu.Lock()
			r.midBatch = nil
			r.mu.Unlock()
			r.sync()
			r.checkExactlyOnce(d)
		})
	}
}

// Environment of the child process of TestFaultKill9.
const (
	kill9DirEnv = "PUNTOS_TEST_KILL9_DIR"
)

// TestFaultKill9Child is the device side of TestFaultKill9: a sync of the
// device in $PUNTOS_TEST_KILL9_DIR, run in a child process that is killed
// at random moments.
func TestFaultKill9Child(t *testing.T) {
	dir := os.Getenv(kill9DirEnv)
	if dir == "" {
		t.Skip("runs only as the child of TestFaultKill9")
	}
	dev, err := storage.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer dev.Close()
	c := device.NewClient(dev)
	c.BackoffBase, c.BackoffMax = 5*time.Millisecond, 50*time.Millisecond
	c.RequestTimeout = 5 * time.Second
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := c.Sync(ctx, nil); err != nil {
		t.Fatal(err)
	}
}

func TestFaultKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	r := newDevRig(t)
	r.record(3, 450)
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 9))
	const rounds = 20
	deadline := time.Now().Add(60 * time.Second)
	killed, finished, midBatch := 0, 0, 0
	// Kill times are spread over how long a child takes to finish, learnt
	// from the children that finished.
	span := 300 * time.Millisecond
	for round := 0; round < rounds && time.Now().Before(deadline); round++ {
		// New work for every round: sessions closed while earlier batches
		// may still be in flight.
		r.record(1+rng.IntN(2), 200+rng.IntN(250))
		cmd := exec.Command(os.Args[0], "-test.run=^TestFaultKill9Child$", "-test.count=1")
		cmd.Env = append(os.Environ(), kill9DirEnv+"="+r.devDir)
		start := time.Now()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		select {
		case err := <-exited:
			if err != nil {
				t.Fatalf("round %d: child sync failed: %v", round, err)
			}
			finished++
			span = time.Since(start)
		case <-time.After(time.Duration(rng.Int64N(int64(span)))):
			if err := cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
				t.Fatal(err)
			}
			if err := <-exited; err == nil {
				finished++
			} else {
				killed++
			}
		}
		if ids, err := r.dev.UnackedBatches(context.Background()); err == nil && len(ids) > 0 {
			midBatch++
		}
	}
	t.Logf("%d children killed (%d with a batch in flight), %d finished", killed, midBatch, finished)
	if killed == 0 {
		t.Error("no child was killed mid-sync")
	}
	// The parent's store sees what the children wrote; a clean sync ends it.
	r.sync()
	r.checkExactlyOnce(r.data)
}
