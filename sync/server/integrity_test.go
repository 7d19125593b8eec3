package server_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/puntos-ar/puntos/storage/registry/registrytest"
	"github.com/puntos-ar/puntos/sync/server"
	"github.com/puntos-ar/puntos/sync/wire"
)

// credits returns a person's credited points in 2026.
func (e *registryEnv) credits(dni string) int {
	e.t.Helper()
	entries, err := e.st.Ledger(e.t.Context(), dni, 2026)
	if err != nil {
		e.t.Fatal(err)
	}
	n := 0
	for _, en := range entries {
		n += en.Points
	}
	return n
}

// keptForReview reports whether the registry keeps the record (kind, id)
// of a batch for review with code.
func (e *registryEnv) keptForReview(batchID, kind, id, code string) bool {
	e.t.Helper()
	p, err := e.st.Records(e.t.Context(), wire.RecordQuery{Result: wire.Rejected, Limit: 200}, wire.StaffScope{})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, r := range p.Records {
		if r.BatchID == batchID && r.Kind == kind && r.ID == id && r.Code == code && r.ReviewID != 0 && r.Message != "" {
			return true
		}
	}
	return false
}

func TestOwnership(t *testing.T) {
	e := newRegistry(t)
	owner := e.deviceOf("Delegación Tandil", "Buenos Aires")
	sameOffice := e.deviceOf("delegación  TANDIL", "Bs. As.") // the same office, typed otherwise
	stranger := e.deviceOf("Delegación Azul", "Buenos Aires")

	b := batch("b-owner")
	b.Sessions = []wire.SessionRecord{session("s-own", "TA-LENG-01", "2026-03-18")}
	b.Attendances = []wire.AttendanceRecord{att("a-1", "s-own", "20123456", "presente")}
	owner.mustPush(b)

	t.Run("SameOfficeAdds", func(t *testing.T) {
		b := batch("b-same-office")
		b.Attendances = []wire.AttendanceRecord{att("a-2", "s-own", "20123459", "presente")}
		wantOutcome(t, sameOffice.mustPush(b), wire.KindAttendance, "a-2", wire.Accepted, "")
		if got := e.credits("20123459"); got != 6 {
			t.Errorf("credited %d points, want 6", got)
		}
	})
	t.Run("ErrStrangerAttendance", func(t *testing.T) {
		b := batch("b-stranger-att")
		b.Attendances = []wire.AttendanceRecord{att("a-3", "s-own", "20123458", "presente")}
		wantOutcome(t, stranger.mustPush(b), wire.KindAttendance, "a-3", wire.Rejected, wire.RejectNotOwner)
		if got := e.credits("20123458"); got != 0 {
			t.Errorf("a stranger's attendance credited %d points", got)
		}
		if !e.keptForReview("b-stranger-att", wire.KindAttendance, "a-3", wire.RejectNotOwner) {
			t.Error("the rejected attendance is not kept for review")
		}
	})
	t.Run("ErrStrangerChange", func(t *testing.T) {
		changed := session("s-own", "TA-LENG-01", "2026-03-18")
		changed.Venue = "Otro lugar"
		b := batch("b-stranger-change")
		b.Sessions = []wire.SessionRecord{changed}
		b.Attendances = []wire.AttendanceRecord{att("a-1", "s-own", "20123456", "ausente")} // the owner's, changed
		rc := stranger.mustPush(b)
		wantOutcome(t, rc, wire.KindSession, "s-own", wire.Rejected, wire.RejectNotOwner)
		wantOutcome(t, rc, wire.KindAttendance, "a-1", wire.Rejected, wire.RejectNotOwner)
		if got := e.credits("20123456"); got != 6 {
			t.Errorf("credits %d after a stranger's change, want 6", got)
		}
	})
	t.Run("ErrStrangerMovesAttendance", func(t *testing.T) {
		// The stranger's own session, and the owner's attendance ID in it.
		own := session("s-stranger", "CH-INSP-01", "2026-03-18")
		b := batch("b-stranger-move")
		b.Sessions = []wire.SessionRecord{own}
		b.Attendances = []wire.AttendanceRecord{att("a-1", "s-stranger", "20123456", "presente")}
		rc := stranger.mustPush(b)
		wantOutcome(t, rc, wire.KindSession, "s-stranger", wire.Accepted, "")
		wantOutcome(t, rc, wire.KindAttendance, "a-1", wire.Rejected, wire.RejectNotOwner)
	})
	t.Run("ErrStrangerCertificate", func(t *testing.T) {
		b := batch("b-stranger-cert")
		b.Certificates = []wire.CertificateRecord{{Code: "7KQ2-M9XD-4F", AttendanceID: "a-1", Kind: "asistencia", IssuedAt: now}}
		wantOutcome(t, stranger.mustPush(b), wire.KindCertificate, "7KQ2-M9XD-4F", wire.Rejected, wire.RejectNotOwner)
		if res := e.client("").do("GET", "/api/v1/certificates/7KQ2-M9XD-4F", nil, nil); res.status != 404 {
			t.Errorf("a stranger's certificate is known to the registry: %d", res.status)
		}
	})
	t.Run("StrangerRepeatsIsDuplicate", func(t *testing.T) {
		b := batch("b-stranger-repeat")
		b.Sessions = []wire.SessionRecord{session("s-own", "TA-LENG-01", "2026-03-18")}
		b.Attendances = []wire.AttendanceRecord{att("a-1", "s-own", "20123456", "presente")}
		rc := stranger.mustPush(b)
		wantOutcome(t, rc, wire.KindSession, "s-own", wire.Duplicate, "")
		wantOutcome(t, rc, wire.KindAttendance, "a-1", wire.Duplicate, "")
	})
	t.Run("ErrOtherDevicesReceipt", func(t *testing.T) {
		for _, c := range []*client{sameOffice, stranger} {
			res := c.do("GET", "/api/v1/batches/b-owner", nil, nil)
			wantError(t, res, 404, wire.CodeBatchUnknown)
		}
		if res := owner.do("GET", "/api/v1/batches/b-owner", nil, nil); res.status != 200 {
			t.Errorf("the owner's own receipt: status %d", res.status)
		}
	})
}

func TestBatchConflict(t *testing.T) {
	e := newRegistry(t)
	dev, other := e.device("Buenos Aires"), e.device("Córdoba")
	b := batch("b-1")
	b.Sessions = []wire.SessionRecord{session("s-1", "TA-LENG-01", "2026-03-18")}
	b.Attendances = []wire.AttendanceRecord{att("a-1", "s-1", "20123456", "presente")}
	first, _ := dev.push(b)
	if first.status != 200 {
		t.Fatalf("status %d: %s", first.status, first.body)
	}
	before, err := e.st.Stats(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	e.clock = now.Add(time.Hour)

	t.Run("RetryWithNewClock", func(t *testing.T) {
		again := *b
		again.DeviceClock = now.Add(42 * time.Minute)
		res, _ := dev.push(&again)
		if res.status != 200 || !bytes.Equal(res.body, first.body) {
			t.Errorf("retry with another device clock: %d %s", res.status, res.body)
		}
	})
	for _, tc := range []struct {
		name string
		from *client
		edit func(b *wire.Batch)
	}{
		{"ErrOtherContent", dev, func(b *wire.Batch) { b.Attendances[0].Status = "ausente" }},
		{"ErrMoreRecords", dev, func(b *wire.Batch) {
			b.Attendances = append(b.Attendances, att("a-2", "s-1", "20123459", "presente"))
		}},
		{"ErrFewerRecords", dev, func(b *wire.Batch) { b.Attendances = nil }},
		{"ErrOtherDevice", other, func(b *wire.Batch) { b.Attendances[0].DNI = "20123457" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			again := *b
			again.Attendances = append([]wire.AttendanceRecord(nil), b.Attendances...)
			tc.edit(&again)
			res, _ := tc.from.push(&again)
			wantError(t, res, 409, wire.CodeBatchConflict)
			after, err := e.st.Stats(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if after.Batches != before.Batches || after.Attendances != before.Attendances || after.Entries != before.Entries {
				t.Errorf("a conflicting batch changed the registry: %+v, was %+v", after, before)
			}
			if res := dev.do("GET", "/api/v1/batches/b-1", nil, nil); !bytes.Equal(res.body, first.body) {
				t.Errorf("stored receipt changed: %s", res.body)
			}
		})
	}
	t.Run("SameBodyFromOtherDevice", func(t *testing.T) {
		// A copied data folder resending what was sent: the stored receipt.
		res, _ := other.push(b)
		if res.status != 200 || !bytes.Equal(res.body, first.body) {
			t.Errorf("same batch from another device: %d %s", res.status, res.body)
		}
	})
}

func TestPushBody(t *testing.T) {
	e := newRegistry(t)
	dev := e.device("Buenos Aires")
	b := batch("b-typed")
	b.Sessions = []wire.SessionRecord{session("s-1", "TA-LENG-01", "2026-03-18")}
	body := jsonBody(t, b)
	for _, tc := range []struct {
		name, contentType string
		gzip              bool
	}{
		{"ErrTextPlain", "text/plain", false},
		{"ErrPNG", "image/png", false},
		{"ErrGzippedText", "text/plain", true},
		{"ErrNone", "", false},
		{"ErrForm", "application/x-www-form-urlencoded", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data, h := body, map[string]string{"Content-Type": tc.contentType}
			if tc.gzip {
				data, h["Content-Encoding"] = gzipped(t, body), "gzip"
			}
			if tc.contentType == "" {
				h = map[string]string{"Content-Type": ""}
			}
			wantError(t, dev.do("POST", wire.PathBatches, data, h), 415, wire.CodeNotJSON)
		})
	}
	t.Run("ErrEmptyBatch", func(t *testing.T) {
		res, _ := dev.push(batch("b-empty"))
		wantError(t, res, 400, wire.CodeEmptyBatch)
	})
	if st, _ := e.st.Stats(t.Context()); st.Batches != 0 {
		t.Errorf("%d batches stored from refused bodies, want 0", st.Batches)
	}
	t.Run("JSONWithCharset", func(t *testing.T) {
		res := dev.do("POST", wire.PathBatches, gzipped(t, body),
			map[string]string{"Content-Type": "application/json; charset=utf-8", "Content-Encoding": "gzip"})
		if res.status != 200 {
			t.Errorf("status %d: %s", res.status, res.body)
		}
	})
}

// behindProxy makes the test server's own address (127.0.0.1, where the
// test's requests come from) a trusted proxy, as a reverse proxy on the
// registry's host is.
func behindProxy(e *registryEnv) {
	e.srv.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
}

// loginFrom logs user in with password, as forwarded for xff.
func loginFrom(e *registryEnv, user, password, xff string) response {
	e.t.Helper()
	return e.client("").do("POST", wire.PathStaffLogin, jsonBody(e.t, wire.StaffLoginRequest{Username: user, Password: password}),
		map[string]string{"X-Forwarded-For": xff})
}

func wantRetryAfter(t *testing.T, res response) {
	t.Helper()
	wantError(t, res, 429, wire.CodeTooManyAttempts)
	if s := res.header.Get("Retry-After"); s == "" || s == "0" {
		t.Errorf("429 with Retry-After %q", s)
	}
}

func TestLoginLimitsBehindProxy(t *testing.T) {
	e := newStaffEnv(t)
	behindProxy(e.registryEnv)
	const guesser, owner = "203.0.113.7", "198.51.100.2"
	for i := range 5 {
		// The client may send its own X-Forwarded-For; the proxy appends
		// the address it saw, and only that hop is believed.
		xff := fmt.Sprintf("10.0.0.%d, %s", i, guesser)
		wantError(t, loginFrom(e.registryEnv, "ana", "mal-mal-mal-mal", xff), 401, wire.CodeLoginFailed)
	}
	t.Run("ErrGuesserBlocked", func(t *testing.T) {
		wantRetryAfter(t, loginFrom(e.registryEnv, "ana", staffPassword, "10.0.0.99, "+guesser))
		wantRetryAfter(t, loginFrom(e.registryEnv, "ana", staffPassword, guesser))
	})
	t.Run("OwnerFromElsewhere", func(t *testing.T) {
		if res := loginFrom(e.registryEnv, "ana", staffPassword, owner); res.status != 200 {
			t.Errorf("the owner from another address: %d %s", res.status, res.body)
		}
	})
	t.Run("TrustedHopsSkipped", func(t *testing.T) {
		// Two proxies in a row: the inner one (trusted) is skipped.
		e.srv.TrustedProxies = append(e.srv.TrustedProxies, netip.MustParsePrefix("10.1.0.0/16"))
		wantRetryAfter(t, loginFrom(e.registryEnv, "ana", staffPassword, guesser+", 10.1.2.3"))
	})
	t.Run("WindowEnds", func(t *testing.T) {
		e.clock = now.Add(16 * time.Minute)
		defer func() { e.clock = now }()
		if res := loginFrom(e.registryEnv, "ana", staffPassword, guesser); res.status != 200 {
			t.Errorf("after the window: %d %s", res.status, res.body)
		}
	})
}

func TestSpoofedForwardedForIgnored(t *testing.T) {
	e := newStaffEnv(t) // no trusted proxy: X-Forwarded-For is the client's word
	for i := range 5 {
		wantError(t, loginFrom(e.registryEnv, "vera", "mal-mal-mal-mal", fmt.Sprintf("192.0.2.%d", i)), 401, wire.CodeLoginFailed)
	}
	wantRetryAfter(t, loginFrom(e.registryEnv, "vera", staffPassword, "192.0.2.200"))
	// Enrollment too: a new X-Forwarded-For per guess does not help.
	for i := range 10 {
		res := e.client("").do("POST", wire.PathEnroll, jsonBody(t, wire.EnrollRequest{Code: "AAAA-AAAA-AA", DeviceName: "x"}),
			map[string]string{"X-Forwarded-For": fmt.Sprintf("192.0.2.%d", i)})
		wantError(t, res, 403, wire.CodeEnrollUnknown)
	}
	res := e.client("").do("POST", wire.PathEnroll, jsonBody(t, wire.EnrollRequest{Code: e.code("Salta"), DeviceName: "x"}),
		map[string]string{"X-Forwarded-For": "192.0.2.250"})
	wantRetryAfter(t, res)
}

func TestEnrollLimitBehindProxy(t *testing.T) {
	e := newRegistry(t)
	behindProxy(e)
	enroll := func(code, xff string) response {
		return e.client("").do("POST", wire.PathEnroll, jsonBody(t, wire.EnrollRequest{Code: code, DeviceName: "Notebook"}),
			map[string]string{"X-Forwarded-For": xff})
	}
	for range 10 {
		wantError(t, enroll("AAAA-AAAA-AA", "203.0.113.7"), 403, wire.CodeEnrollUnknown)
	}
	wantRetryAfter(t, enroll(e.code("Salta"), "203.0.113.7"))
	if res := enroll(e.code("Salta"), "198.51.100.2"); res.status != 200 {
		t.Errorf("a real enrollment from another address: %d %s", res.status, res.body)
	}
	// An IPv6 guesser counts by its /64: a new address in it does not help.
	for i := range 10 {
		enroll("AAAA-AAAA-AA", fmt.Sprintf("2001:db8:1:2::%x", i+1))
	}
	wantRetryAfter(t, enroll(e.code("Salta"), "2001:db8:1:2::ffff"))
	if res := enroll(e.code("Salta"), "2001:db8:1:3::1"); res.status != 200 {
		t.Errorf("another /64: %d %s", res.status, res.body)
	}
}

// secondInstance starts another registry instance on e's database, as a
// second process on a shared data folder or PostgreSQL database runs, on
// e's clock, and returns a client of it with token.
func (e *registryEnv) secondInstance(token string) *client {
	e.t.Helper()
	st2 := registrytest.Open(e.t, e.dir)
	st2.Now = func() time.Time { return e.clock }
	srv2 := server.NewServer(st2, slog.New(slog.DiscardHandler))
	srv2.Now = func() time.Time { return e.clock }
	ts2 := httptest.NewServer(srv2)
	e.t.Cleanup(ts2.Close)
	c := e.client(token)
	c.base = ts2.URL
	return c
}

func TestLimitsSharedByInstances(t *testing.T) {
	e := newStaffEnv(t)
	c2 := e.secondInstance("")
	for range 5 {
		wantError(t, loginFrom(e.registryEnv, "rita", "mal-mal-mal-mal", ""), 401, wire.CodeLoginFailed)
	}
	res := c2.do("POST", wire.PathStaffLogin, jsonBody(t, wire.StaffLoginRequest{Username: "rita", Password: staffPassword}), nil)
	wantRetryAfter(t, res)
	if strings.Contains(res.header.Get("Retry-After"), "-") {
		t.Errorf("Retry-After %q", res.header.Get("Retry-After"))
	}
}

// A staff session opened at one instance works at another, and ends at
// both when closed at either.
func TestStaffSessionSharedByInstances(t *testing.T) {
	e := newStaffEnv(t)
	a := e.login("ana")
	b := e.secondInstance(a.token)
	var me wire.StaffUser
	b.get(wire.PathStaffMe, &me)
	if me.Username != "ana" {
		t.Errorf("the other instance knows the session as %+v", me)
	}
	if res := b.post(wire.PathStaffLogout, struct{}{}); res.status != 200 {
		t.Fatalf("logout at the other instance: %d %s", res.status, res.body)
	}
	wantError(t, a.do("GET", wire.PathStaffMe, nil, nil), 401, wire.CodeSessionUnknown)
}

// postAtOnce POSTs body to path at a and b at the same moment and returns
// their answers in the order they came.
func postAtOnce(t *testing.T, path string, body []byte, a, b *client) (response, response) {
	start := make(chan struct{})
	answers := make(chan response, 2)
	for _, c := range []*client{a, b} {
		go func() {
			<-start
			res, err := c.try("POST", path, body, nil)
			if err != nil {
				t.Error(err)
			}
			answers <- res
		}()
	}
	close(start)
	return <-answers, <-answers
}

// One enrollment code redeemed at two instances at the same moment
// enrolls one device; the other is told the code was used.
func TestEnrollmentAtTwoInstances(t *testing.T) {
	e := newRegistry(t)
	a := e.client("")
	b := e.secondInstance("")
	for i := range 5 {
		body := jsonBody(t, wire.EnrollRequest{Code: e.code("Córdoba"), DeviceName: fmt.Sprintf("Notebook %d", i)})
		first, second := postAtOnce(t, wire.PathEnroll, body, a, b)
		if first.status == 200 {
			first, second = second, first
		}
		if second.status != 200 {
			t.Fatalf("round %d: no instance enrolled: %d %s", i, second.status, second.body)
		}
		wantError(t, first, 403, wire.CodeEnrollUsed)
	}
	if devs, err := e.st.Devices(t.Context()); err != nil || len(devs) != 5 {
		t.Errorf("%d devices enrolled, want 5 (%v)", len(devs), err)
	}
}

// The same batch posted at two instances at the same moment is stored
// once, credits once, and both answer with the same receipt.
func TestSameBatchAtTwoInstances(t *testing.T) {
	e := newRegistry(t)
	a := e.device("Buenos Aires")
	b := e.secondInstance(a.token)
	const rounds = 10
	for i := range rounds {
		bt := batch(fmt.Sprintf("b-both-%d", i))
		sid := fmt.Sprintf("s-%d", i)
		bt.Sessions = []wire.SessionRecord{session(sid, []string{"CH-INSP-01", "TA-LENG-01"}[i%2], "2026-03-18")}
		for j, dni := range []string{"20123456", "20123459"} {
			bt.Attendances = append(bt.Attendances, att(fmt.Sprintf("a-%d-%d", i, j), sid, dni, "presente"))
		}
		body := jsonBody(t, bt)
		first, second := postAtOnce(t, wire.PathBatches, body, a, b)
		if first.status != 200 || second.status != 200 || !bytes.Equal(first.body, second.body) {
			t.Fatalf("round %d: answers differ:\n%d %s\n%d %s", i, first.status, first.body, second.status, second.body)
		}
	}
	st, err := e.st.Stats(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	// Two people, two activities: one credit each per activity.
	if st.Batches != rounds || st.Sessions.Accepted != rounds || st.Attendances.Accepted != 2*rounds || st.Entries != 4 || st.Review != 0 {
		t.Errorf("stats %+v: want %d batches and sessions, %d attendances, 4 ledger entries", st, rounds, 2*rounds)
	}
}

func TestImportUSBConflict(t *testing.T) {
	e := newRegistry(t)
	dev := e.device("Buenos Aires")
	b := batch("b-taken")
	b.Sessions = []wire.SessionRecord{session("s-1", "CH-INSP-01", "2026-03-18")}
	dev.mustPush(b)
	// The file holds other records under the same batch ID, and a new batch.
	other := batch("b-taken")
	other.Sessions = []wire.SessionRecord{session("s-2", "CH-INSP-01", "2026-03-18")}
	fresh := batch("b-fresh")
	fresh.Sessions = []wire.SessionRecord{session("s-3", "CH-INSP-01", "2026-03-18")}
	res, err := e.srv.ImportUSB(t.Context(), bytes.NewReader(usbFile(t, dev.deviceID, dev.token, other, fresh)))
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(res.Conflicts) != "[b-taken]" || len(res.Receipts) != 1 || res.Receipts[0].BatchID != "b-fresh" {
		t.Errorf("import: conflicts %v, receipts %+v; want b-taken left out and b-fresh stored", res.Conflicts, res.Receipts)
	}
	if st, _ := e.st.Stats(t.Context()); st.Sessions.Accepted != 2 {
		t.Errorf("sessions accepted %d, want 2 (s-1 and s-3)", st.Sessions.Accepted)
	}
}
