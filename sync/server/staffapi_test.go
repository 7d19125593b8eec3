package server_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/puntos-ar/puntos/storage/registry"
	"github.com/puntos-ar/puntos/storage/registry/registrytest"
	"github.com/puntos-ar/puntos/sync/server"
	"github.com/puntos-ar/puntos/sync/wire"
)

func init() {
	// Fast password hashes: the tests log in many times.
	server.PasswordCost = bcrypt.MinCost
}

const staffPassword = "clave-de-prueba-1"

// staffEnv is a registry with staff accounts: ana (admin), rita
// (reviewer), vera (viewer) and pablo (reviewer, Córdoba only).
type staffEnv struct {
	*registryEnv
}

func newStaffEnv(t *testing.T) *staffEnv {
	t.Helper()
	e := &staffEnv{newRegistry(t)}
	for _, a := range []struct{ user, role, province string }{
		{"ana", wire.RoleAdmin, ""}, {"rita", wire.RoleReviewer, ""}, {"vera", wire.RoleViewer, ""}, {"pablo", wire.RoleReviewer, "Córdoba"},
	} {
		e.addStaff(a.user, a.role, a.province)
	}
	return e
}

func (e *staffEnv) addStaff(user, role, province string) {
	e.t.Helper()
	hash, err := server.HashPassword(staffPassword)
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.st.AddStaff(e.t.Context(), registry.NewStaff{Username: user, Role: role, Province: province, PasswordHash: hash},
		wire.StaffAction{Actor: registry.ConsoleActor}); err != nil {
		e.t.Fatal(err)
	}
}

// login logs user in and returns a client with the session's token.
func (e *staffEnv) login(user string) *client {
	e.t.Helper()
	res := e.client("").do("POST", wire.PathStaffLogin, jsonBody(e.t, wire.StaffLoginRequest{Username: user, Password: staffPassword}), nil)
	if res.status != 200 {
		e.t.Fatalf("login %s: status %d: %s", user, res.status, res.body)
	}
	var s wire.StaffSession
	res.decode(e.t, &s)
	return e.client(s.Token)
}

// get GETs path and decodes a 200 answer into v.
func (c *client) get(path string, v any) {
	c.t.Helper()
	res := c.do("GET", path, nil, nil)
	if res.status != 200 {
		c.t.Fatalf("GET %s: status %d: %s", path, res.status, res.body)
	}
	res.decode(c.t, v)
}

// post POSTs v as JSON to path.
func (c *client) post(path string, v any) response {
	c.t.Helper()
	return c.do("POST", path, jsonBody(c.t, v), nil)
}

// wantError checks an error answer's status and code.
func wantError(t *testing.T, res response, status int, code string) {
	t.Helper()
	if got := res.errorCode(t); res.status != status || got != code {
		t.Errorf("got %d %q (%s), want %d %q", res.status, got, res.body, status, code)
	}
}

// reviewPath is the path of a review item.
func reviewPath(id int64) string {
	return strings.Replace(wire.PathStaffReview, "{id}", fmt.Sprint(id), 1)
}

// auditActions returns the audit log's actions, oldest first.
func (e *staffEnv) auditActions() []string { return registrytest.AuditActions(e.t, e.st) }

func TestStaffLogin(t *testing.T) {
	e := newStaffEnv(t)
	t.Run("OK", func(t *testing.T) {
		res := e.client("").post(wire.PathStaffLogin, wire.StaffLoginRequest{Username: " ANA ", Password: staffPassword})
		var s wire.StaffSession
		res.decode(t, &s)
		if res.status != 200 || len(s.Token) < 40 || s.User.Username != "ana" || s.User.Role != wire.RoleAdmin {
			t.Fatalf("status %d, session %+v", res.status, s)
		}
		if got, want := s.ExpiresAt, now.Add(8*time.Hour); !got.Equal(want) {
			t.Errorf("expires %v, want %v", got, want)
		}
		var me wire.StaffUser
		e.client(s.Token).get(wire.PathStaffMe, &me)
		if me.Username != "ana" || me.LastLoginAt.IsZero() {
			t.Errorf("me %+v", me)
		}
	})
	t.Run("ErrWrongPassword", func(t *testing.T) {
		res := e.client("").post(wire.PathStaffLogin, wire.StaffLoginRequest{Username: "rita", Password: "otra-clave-123"})
		wantError(t, res, 401, wire.CodeLoginFailed)
	})
	t.Run("ErrUnknownUser", func(t *testing.T) {
		res := e.client("").post(wire.PathStaffLogin, wire.StaffLoginRequest{Username: "nadie", Password: staffPassword})
		wantError(t, res, 401, wire.CodeLoginFailed)
		var eb wire.ErrorBody
		res.decode(t, &eb)
		if eb.Error.Message != "Usuario o contraseña incorrectos." {
			t.Errorf("message %q tells more than it should", eb.Error.Message)
		}
	})
	t.Run("Audited", func(t *testing.T) {
		got := strings.Join(e.auditActions(), "\n")
		for _, want := range []string{"ana login", "rita login.failed", "(desconocido) login.failed"} {
			if !strings.Contains(got, want) {
				t.Errorf("audit log lacks %q:\n%s", want, got)
			}
		}
		if strings.Contains(got, "nadie") {
			t.Error("the audit log keeps a user name that does not exist")
		}
	})
	t.Run("ErrTooManyAttemptsPerUser", func(t *testing.T) {
		e := newStaffEnv(t)
		for range 5 {
			e.client("").post(wire.PathStaffLogin, wire.StaffLoginRequest{Username: "vera", Password: "mal-mal-mal-mal"})
		}
		// Even the right password waits now.
		res := e.client("").post(wire.PathStaffLogin, wire.StaffLoginRequest{Username: "vera", Password: staffPassword})
		wantError(t, res, 429, wire.CodeTooManyAttempts)
		if res.header.Get("Retry-After") == "" {
			t.Error("429 without Retry-After")
		}
		// Another user from the same address is not blocked yet.
		if res := e.client("").post(wire.PathStaffLogin, wire.StaffLoginRequest{Username: "rita", Password: staffPassword}); res.status != 200 {
			t.Errorf("rita: status %d", res.status)
		}
		// The window passes.
		e.clock = now.Add(16 * time.Minute)
		if res := e.client("").post(wire.PathStaffLogin, wire.StaffLoginRequest{Username: "vera", Password: staffPassword}); res.status != 200 {
			t.Errorf("after the window: status %d", res.status)
		}
	})
	t.Run("ErrTooManyAttemptsPerAddress", func(t *testing.T) {
		e := newStaffEnv(t)
		for i := range 20 {
			e.client("").post(wire.PathStaffLogin, wire.StaffLoginRequest{Username: fmt.Sprintf("u%d", i), Password: "mal-mal-mal-mal"})
		}
		res := e.client("").post(wire.PathStaffLogin, wire.StaffLoginRequest{Username: "ana", Password: staffPassword})
		wantError(t, res, 429, wire.CodeTooManyAttempts)
	})
}

func TestStaffAuth(t *testing.T) {
	e := newStaffEnv(t)
	dev := e.device("Buenos Aires")
	paths := []string{wire.PathStaffMe, wire.PathStaffBatches, wire.PathStaffRecords, wire.PathStaffDevices,
		"/api/v1/staff/people?q=gonzalez", "/api/v1/staff/compliance/2026"}
	t.Run("ErrNoToken", func(t *testing.T) {
		for _, p := range paths {
			res := e.client("").do("GET", p, nil, nil)
			wantError(t, res, 401, wire.CodeTokenMissing)
			if res.header.Get("WWW-Authenticate") == "" {
				t.Errorf("GET %s: 401 without WWW-Authenticate", p)
			}
		}
	})
	t.Run("ErrUnknownToken", func(t *testing.T) {
		wantError(t, e.client("bm90IGEgdG9rZW4").do("GET", wire.PathStaffMe, nil, nil), 401, wire.CodeSessionUnknown)
	})
	t.Run("ErrDeviceToken", func(t *testing.T) {
		for _, p := range paths {
			wantError(t, dev.do("GET", p, nil, nil), 403, wire.CodeStaffOnly)
		}
	})
	t.Run("ErrStaffTokenOnPush", func(t *testing.T) {
		staff := e.login("ana")
		b := batch("b-by-staff")
		b.Sessions = []wire.SessionRecord{session("s-staff", "TA-LENG-01", "2026-03-19")}
		res, _ := staff.push(b)
		wantError(t, res, 401, wire.CodeTokenUnknown)
		for _, p := range []string{wire.PathCatalog, wire.PathRoster} {
			wantError(t, staff.do("GET", p, nil, nil), 401, wire.CodeTokenUnknown)
		}
		if _, err := e.st.BatchDetail(t.Context(), "b-by-staff", wire.StaffScope{}); err == nil {
			t.Error("a batch pushed with a staff token was stored")
		}
	})
	t.Run("ErrExpired", func(t *testing.T) {
		staff := e.login("rita")
		e.clock = now.Add(8*time.Hour - time.Second)
		if res := staff.do("GET", wire.PathStaffMe, nil, nil); res.status != 200 {
			t.Errorf("just before expiry: status %d", res.status)
		}
		e.clock = now.Add(8 * time.Hour)
		defer func() { e.clock = now }()
		wantError(t, staff.do("GET", wire.PathStaffMe, nil, nil), 401, wire.CodeSessionExpired)
	})
	t.Run("ErrLoggedOut", func(t *testing.T) {
		staff := e.login("rita")
		if res := staff.post(wire.PathStaffLogout, struct{}{}); res.status != 200 {
			t.Fatalf("logout: status %d", res.status)
		}
		wantError(t, staff.do("GET", wire.PathStaffMe, nil, nil), 401, wire.CodeSessionUnknown)
	})
	t.Run("ErrDisabled", func(t *testing.T) {
		e.addStaff("temporal", wire.RoleReviewer, "")
		staff := e.login("temporal")
		if _, err := e.st.DisableStaff(t.Context(), "temporal", wire.StaffAction{Actor: registry.ConsoleActor, Reason: "dejó el área"}); err != nil {
			t.Fatal(err)
		}
		// Its open session stops at once, and it cannot log in again.
		if res := staff.do("GET", wire.PathStaffMe, nil, nil); res.status != 401 && res.status != 403 {
			t.Errorf("session of a disabled account: status %d", res.status)
		}
		res := e.client("").post(wire.PathStaffLogin, wire.StaffLoginRequest{Username: "temporal", Password: staffPassword})
		wantError(t, res, 403, wire.CodeAccountDisabled)
	})
	t.Run("ErrRole", func(t *testing.T) {
		viewer, reviewer := e.login("vera"), e.login("rita")
		wantError(t, viewer.post(reviewPath(1), wire.ReviewDecision{Decision: wire.DecisionReject, Reason: "x"}), 403, wire.CodeForbidden)
		wantError(t, viewer.post("/api/v1/staff/certificates/ZZZZ-ZZZZ-ZZ/revoke", wire.ReasonRequest{Reason: "x"}), 403, wire.CodeForbidden)
		wantError(t, reviewer.post(wire.PathStaffEnrollments, wire.EnrollmentRequest{Office: "X", Province: "Salta"}), 403, wire.CodeForbidden)
		wantError(t, reviewer.do("GET", wire.PathStaffAudit, nil, nil), 403, wire.CodeForbidden)
	})
	t.Run("MethodAndPath", func(t *testing.T) {
		staff := e.login("ana")
		wantError(t, staff.do("DELETE", wire.PathStaffBatches, nil, nil), 405, "method_not_allowed")
		wantError(t, e.client("").do("GET", wire.PathStaffLogin, nil, nil), 405, "method_not_allowed")
		wantError(t, staff.do("GET", "/api/v1/staff/batches/nada", nil, nil), 404, wire.CodeNotFound)
	})
}

// seedBatches pushes, from a Buenos Aires device: b-ok (accepted), then
// b-review with a conflict (a-1 sent again as present), a rejected
// attendance (unknown DNI), a session with an unknown activity and its
// attendance; and from a Córdoba device b-cba with a certificate.
func seedBatches(t *testing.T, e *staffEnv) (ba, cba *client) {
	t.Helper()
	ba, cba = e.device("Buenos Aires"), e.device("Córdoba")
	b := batch("b-ok")
	b.Sessions = []wire.SessionRecord{session("s-1", "TA-LENG-01", "2026-03-18")}
	b.Attendances = []wire.AttendanceRecord{att("a-1", "s-1", "20123456", "ausente"), att("a-2", "s-1", "20123459", "presente")}
	ba.mustPush(b)
	e.clock = now.Add(time.Hour)
	b = batch("b-review")
	b.DeviceClock = e.clock
	bad := session("s-bad", "NO-EXISTE", "2026-03-19")
	b.Sessions = []wire.SessionRecord{bad}
	b.Attendances = []wire.AttendanceRecord{
		att("a-1", "s-1", "20123456", "presente"),   // conflict: was ausente
		att("a-3", "s-1", "30999888", "presente"),   // rejected: not on the roster
		att("a-4", "s-bad", "20123456", "presente"), // rejected: its session was rejected
	}
	rc := ba.mustPush(b)
	wantOutcome(t, rc, wire.KindAttendance, "a-1", wire.Conflict, wire.ConflictContent)
	wantOutcome(t, rc, wire.KindAttendance, "a-4", wire.Rejected, wire.RejectSessionRejected)
	e.clock = now.Add(2 * time.Hour)
	b = batch("b-cba")
	b.DeviceClock = e.clock
	s := session("s-cba", "CH-INSP-01", "2026-03-19")
	s.Province, s.Municipality = "Córdoba", "Villa María"
	b.Sessions = []wire.SessionRecord{s}
	b.Attendances = []wire.AttendanceRecord{att("a-cba", "s-cba", "20123457", "presente")}
	b.Certificates = []wire.CertificateRecord{{Code: "7KQ2-M9XD-4F", AttendanceID: "a-cba", Kind: "asistencia", IssuedAt: e.clock}}
	cba.mustPush(b)
	e.clock = now.Add(3 * time.Hour)
	return ba, cba
}

func TestStaffInbox(t *testing.T) {
	e := newStaffEnv(t)
	seedBatches(t, e)
	ana, pablo := e.login("ana"), e.login("pablo")
	t.Run("NewestFirst", func(t *testing.T) {
		var p wire.InboxPage
		ana.get(wire.PathStaffBatches, &p)
		var ids []string
		for _, b := range p.Batches {
			ids = append(ids, b.ID)
		}
		if got, want := strings.Join(ids, ","), "b-cba,b-review,b-ok"; got != want {
			t.Fatalf("batches %s, want %s", got, want)
		}
		r := p.Batches[1]
		if r.Counts != (wire.StaffCounts{Conflict: 1, Rejected: 3}) || r.OpenReview != 4 || r.Records != 4 ||
			r.Office != "Oficina de prueba" || r.Province != "Buenos Aires" || r.DeviceName != "Notebook" {
			t.Errorf("b-review %+v", r)
		}
		if ok := p.Batches[2]; ok.Counts.Accepted != 3 || ok.OpenReview != 0 {
			t.Errorf("b-ok %+v", ok)
		}
	})
	t.Run("Paged", func(t *testing.T) {
		var seen []string
		cursor := ""
		for range 5 {
			var p wire.InboxPage
			ana.get(wire.PathStaffBatches+"?limit=1&cursor="+url.QueryEscape(cursor), &p)
			for _, b := range p.Batches {
				seen = append(seen, b.ID)
			}
			if cursor = p.Next; cursor == "" {
				break
			}
		}
		if got := strings.Join(seen, ","); got != "b-cba,b-review,b-ok" {
			t.Errorf("pages gave %s", got)
		}
		wantError(t, ana.do("GET", wire.PathStaffBatches+"?cursor=@@@", nil, nil), 400, wire.CodeBadRequest)
	})
	t.Run("Filters", func(t *testing.T) {
		var p wire.InboxPage
		ana.get(wire.PathStaffBatches+"?open=1", &p)
		if len(p.Batches) != 1 || p.Batches[0].ID != "b-review" {
			t.Errorf("open: %+v", p.Batches)
		}
		ana.get(wire.PathStaffBatches+"?province=cordoba", &p)
		if len(p.Batches) != 1 || p.Batches[0].ID != "b-cba" {
			t.Errorf("province: %+v", p.Batches)
		}
	})
	t.Run("BatchDetail", func(t *testing.T) {
		var d wire.BatchDetail
		ana.get("/api/v1/staff/batches/b-review", &d)
		if len(d.Records) != 4 {
			t.Fatalf("%d records, want 4", len(d.Records))
		}
		byID := map[string]wire.StaffRecord{}
		for _, r := range d.Records {
			byID[r.Kind+":"+r.ID] = r
		}
		c := byID["attendance:a-1"]
		if c.Result != wire.Conflict || c.ReviewID == 0 || c.Message == "" || !strings.Contains(c.Summary, "GONZÁLEZ, María") ||
			!strings.Contains(c.Summary, "Taller de lenguaje claro") {
			t.Errorf("conflict record %+v", c)
		}
		if r := byID["attendance:a-3"]; r.Code != wire.RejectPersonUnknown || !strings.Contains(r.Summary, "30.999.888") {
			t.Errorf("rejected record %+v", r)
		}
		if r := byID["session:s-bad"]; r.Code != wire.RejectActivityUnknown || !strings.Contains(r.Summary, "NO-EXISTE") {
			t.Errorf("rejected session %+v", r)
		}
	})
	t.Run("Records", func(t *testing.T) {
		var p wire.RecordPage
		ana.get(wire.PathStaffRecords+"?result=rejected", &p)
		if len(p.Records) != 3 {
			t.Errorf("rejected: %d records, want 3: %+v", len(p.Records), p.Records)
		}
		for _, r := range p.Records {
			if r.Result != wire.Rejected || r.N < 0 || r.ReviewID == 0 {
				t.Errorf("record %+v", r)
			}
		}
		ana.get(wire.PathStaffRecords+"?result=accepted&province=Córdoba", &p)
		if len(p.Records) != 3 { // the session, its attendance and the certificate
			t.Errorf("accepted in Córdoba: %+v", p.Records)
		}
		ana.get(wire.PathStaffRecords+"?kind=session&from=2026-03-20&to=2026-03-20", &p)
		if len(p.Records) != 3 {
			t.Errorf("sessions received on 20/03: %+v", p.Records)
		}
		ana.get(wire.PathStaffRecords+"?from=2026-03-21", &p)
		if len(p.Records) != 0 {
			t.Errorf("records received after the day: %+v", p.Records)
		}
		// Paging goes through every record once.
		seen := map[string]bool{}
		cursor := ""
		for range 20 {
			p = wire.RecordPage{}
			ana.get(wire.PathStaffRecords+"?limit=2&cursor="+url.QueryEscape(cursor), &p)
			for _, r := range p.Records {
				k := fmt.Sprintf("%s/%d", r.BatchID, r.N)
				if seen[k] {
					t.Errorf("record %s twice", k)
				}
				seen[k] = true
			}
			if cursor = p.Next; cursor == "" {
				break
			}
		}
		if len(seen) != 3+4+3 {
			t.Errorf("paged through %d records, want 10", len(seen))
		}
		wantError(t, ana.do("GET", wire.PathStaffRecords+"?result=maybe", nil, nil), 400, wire.CodeBadRequest)
	})
	t.Run("OtherProvince", func(t *testing.T) {
		var p wire.InboxPage
		pablo.get(wire.PathStaffBatches, &p)
		if len(p.Batches) != 1 || p.Batches[0].ID != "b-cba" {
			t.Errorf("Córdoba account sees %+v", p.Batches)
		}
		wantError(t, pablo.do("GET", "/api/v1/staff/batches/b-review", nil, nil), 404, wire.CodeNotFound)
		var rp wire.RecordPage
		pablo.get(wire.PathStaffRecords+"?result=rejected", &rp)
		if len(rp.Records) != 0 {
			t.Errorf("Córdoba account sees Buenos Aires records: %+v", rp.Records)
		}
		pablo.get(wire.PathStaffBatches+"?province=Buenos+Aires", &p)
		if len(p.Batches) != 0 {
			t.Errorf("province filter escapes the scope: %+v", p.Batches)
		}
	})
}

// reviewOf returns the review ID of a record in a batch.
func reviewOf(t *testing.T, c *client, batchID, kind, id string) int64 {
	t.Helper()
	var d wire.BatchDetail
	c.get("/api/v1/staff/batches/"+batchID, &d)
	for _, r := range d.Records {
		if r.Kind == kind && r.ID == id {
			return r.ReviewID
		}
	}
	t.Fatalf("no %s %s in %s", kind, id, batchID)
	return 0
}

func TestStaffReview(t *testing.T) {
	e := newStaffEnv(t)
	seedBatches(t, e)
	rita, pablo := e.login("rita"), e.login("pablo")
	ledgerPoints := func(dni string) (int, int) {
		t.Helper()
		l, err := e.st.Ledger(t.Context(), dni, 2026)
		if err != nil {
			t.Fatal(err)
		}
		total := 0
		for _, en := range l {
			total += en.Points
		}
		return total, len(l)
	}
	t.Run("ConflictSideBySide", func(t *testing.T) {
		id := reviewOf(t, rita, "b-review", wire.KindAttendance, "a-1")
		var it wire.ReviewItem
		rita.get(reviewPath(id), &it)
		var in, stored wire.AttendanceRecord
		json.Unmarshal(it.Incoming, &in)
		json.Unmarshal(it.Stored, &stored)
		if in.Status != "presente" || stored.Status != "ausente" || !it.CanAccept || it.Resolution != nil || it.DeviceName != "Notebook" {
			t.Fatalf("item %+v: incoming %+v stored %+v", it, in, stored)
		}
		wantError(t, pablo.do("GET", reviewPath(id), nil, nil), 404, wire.CodeNotFound)
	})
	t.Run("ErrNoReason", func(t *testing.T) {
		id := reviewOf(t, rita, "b-review", wire.KindAttendance, "a-1")
		wantError(t, rita.post(reviewPath(id), wire.ReviewDecision{Decision: wire.DecisionAccept, Reason: " "}), 422, "required")
	})
	t.Run("AcceptConflict", func(t *testing.T) {
		before, n := ledgerPoints("20123456")
		id := reviewOf(t, rita, "b-review", wire.KindAttendance, "a-1")
		res := rita.post(reviewPath(id), wire.ReviewDecision{Decision: wire.DecisionAccept, Reason: "la planilla firmada la muestra presente"})
		var it wire.ReviewItem
		res.decode(t, &it)
		if res.status != 200 || it.Resolution == nil || it.Resolution.Actor != "rita" || len(it.Resolution.Ledger) != 1 {
			t.Fatalf("status %d: %s", res.status, res.body)
		}
		l := it.Resolution.Ledger[0]
		if l.Kind != registry.EntryCredit || l.Points != 6 || l.Actor != "rita" || l.Reason == "" || l.SessionID != "s-1" {
			t.Errorf("entry %+v", l)
		}
		after, m := ledgerPoints("20123456")
		if after != before+6 || m != n+1 {
			t.Errorf("ledger %d (%d entries) → %d (%d), want +6 in one new entry", before, n, after, m)
		}
		// The earlier version is kept.
		var it2 wire.ReviewItem
		rita.get(reviewPath(id), &it2)
		var stored wire.AttendanceRecord
		json.Unmarshal(it2.Stored, &stored)
		if stored.Status != "presente" {
			t.Errorf("stored now %+v", stored)
		}
		wantError(t, rita.post(reviewPath(id), wire.ReviewDecision{Decision: wire.DecisionReject, Reason: "x"}), 409, wire.CodeReviewResolved)
	})
	t.Run("AcceptCorrectedSessionCascades", func(t *testing.T) {
		before, _ := ledgerPoints("20123456")
		id := reviewOf(t, rita, "b-review", wire.KindSession, "s-bad")
		var it wire.ReviewItem
		rita.get(reviewPath(id), &it)
		var s wire.SessionRecord
		json.Unmarshal(it.Incoming, &s)
		// An invalid correction changes nothing.
		s.ActivityCode = "TAMPOCO"
		wantError(t, rita.post(reviewPath(id), wire.ReviewDecision{Decision: wire.DecisionAccept, Reason: "x", Record: jsonBody(t, s)}),
			422, wire.RejectActivityUnknown)
		s.ID = "otro-id"
		wantError(t, rita.post(reviewPath(id), wire.ReviewDecision{Decision: wire.DecisionAccept, Reason: "x", Record: jsonBody(t, s)}),
			422, wire.CodeInvalidRecord)
		s.ID, s.ActivityCode = "s-bad", "CH-ETICA-02"
		res := rita.post(reviewPath(id), wire.ReviewDecision{Decision: wire.DecisionAccept, Reason: "código mal tipeado", Record: jsonBody(t, s)})
		res.decode(t, &it)
		if res.status != 200 || it.Resolution.Cascaded != 1 {
			t.Fatalf("status %d: %s", res.status, res.body)
		}
		after, _ := ledgerPoints("20123456")
		if after != before+2 {
			t.Errorf("points %d → %d, want +2 from the cascaded attendance", before, after)
		}
		a4 := reviewOf(t, rita, "b-review", wire.KindAttendance, "a-4")
		rita.get(reviewPath(a4), &it)
		if it.Resolution == nil || it.Resolution.Decision != wire.DecisionAccept || !strings.Contains(it.Resolution.Reason, "código mal tipeado") {
			t.Errorf("a-4 resolution %+v", it.Resolution)
		}
	})
	t.Run("Reject", func(t *testing.T) {
		id := reviewOf(t, rita, "b-review", wire.KindAttendance, "a-3")
		res := rita.post(reviewPath(id), wire.ReviewDecision{Decision: wire.DecisionReject, Reason: "no es agente público"})
		var it wire.ReviewItem
		res.decode(t, &it)
		if res.status != 200 || it.Resolution.Decision != wire.DecisionReject || len(it.Resolution.Ledger) != 0 {
			t.Errorf("status %d: %s", res.status, res.body)
		}
		var p wire.InboxPage
		rita.get(wire.PathStaffBatches+"?open=1", &p)
		if len(p.Batches) != 0 {
			t.Errorf("open batches after resolving all: %+v", p.Batches)
		}
	})
	t.Run("Audited", func(t *testing.T) {
		got := strings.Join(e.auditActions(), "\n")
		for _, want := range []string{"rita review.accept", "rita review.reject"} {
			if !strings.Contains(got, want) {
				t.Errorf("audit log lacks %q:\n%s", want, got)
			}
		}
	})
}

func TestStaffLedger(t *testing.T) {
	e := newStaffEnv(t)
	seedBatches(t, e)
	rita, pablo := e.login("rita"), e.login("pablo")
	t.Run("FindByName", func(t *testing.T) {
		for _, q := range []string{"gonzalez maria", "GONZÁLEZ", "maria gonz", "ñancucheo", "nancucheo rocio"} {
			var p wire.PeoplePage
			rita.get(wire.PathStaffPeople+"?q="+url.QueryEscape(q), &p)
			if len(p.People) != 1 {
				t.Errorf("%q: %+v, want one person", q, p.People)
			}
		}
	})
	t.Run("FindByDNIOrCUIL", func(t *testing.T) {
		for _, q := range []string{"20.123.456", "27-20123456-0", "20123456"} {
			var p wire.PeoplePage
			rita.get(wire.PathStaffPeople+"?q="+url.QueryEscape(q), &p)
			if len(p.People) != 1 || p.People[0].DNI != "20123456" {
				t.Errorf("%q: %+v", q, p.People)
			}
		}
		var p wire.PeoplePage
		rita.get(wire.PathStaffPeople+"?q=2012345", &p)
		if len(p.People) != 4 {
			t.Errorf("DNI prefix: %d people, want 4", len(p.People))
		}
	})
	t.Run("Ledger", func(t *testing.T) {
		var l wire.PersonLedger
		rita.get("/api/v1/staff/people/20123459/ledger", &l)
		if l.Person.Surname != "ÑANCUCHEO" || len(l.Years) != 1 || l.Years[0].Year != 2026 || l.Years[0].Points != 6 || l.Years[0].Required != 60 {
			t.Fatalf("ledger %+v", l)
		}
		en := l.Years[0].Entries[0]
		if en.DeviceName != "Notebook" || en.Office != "Oficina de prueba" || en.BatchID != "b-ok" || en.Municipality != "Tandil" ||
			en.Activity != "Taller de lenguaje claro" || en.SessionDate != "2026-03-18" {
			t.Errorf("provenance %+v", en)
		}
		if got := e.auditActions(); got[len(got)-1] != "rita ledger.view" {
			t.Errorf("last audit %q, want the lookup", got[len(got)-1])
		}
	})
	t.Run("Reverse", func(t *testing.T) {
		var l wire.PersonLedger
		rita.get("/api/v1/staff/people/20123459/ledger", &l)
		id := l.Years[0].Entries[0].ID
		p := fmt.Sprintf("/api/v1/staff/ledger/%d/reverse", id)
		wantError(t, rita.post(p, wire.ReasonRequest{}), 422, "required")
		var rev wire.LedgerLine
		res := rita.post(p, wire.ReasonRequest{Reason: "sesión duplicada"})
		res.decode(t, &rev)
		if res.status != 200 || rev.Points != -6 || rev.Reverses != id || rev.Actor != "rita" {
			t.Fatalf("status %d: %s", res.status, res.body)
		}
		rita.get("/api/v1/staff/people/20123459/ledger", &l)
		if l.Years[0].Points != 0 || len(l.Years[0].Entries) != 2 || l.Years[0].Entries[0].ReversedBy != rev.ID {
			t.Errorf("after reversal %+v", l.Years[0])
		}
		wantError(t, rita.post(p, wire.ReasonRequest{Reason: "otra vez"}), 422, wire.CodeInvalidRecord)
	})
	t.Run("OtherProvince", func(t *testing.T) {
		wantError(t, pablo.do("GET", "/api/v1/staff/people/20123459/ledger", nil, nil), 404, wire.CodeNotFound)
		var p wire.PeoplePage
		pablo.get(wire.PathStaffPeople+"?q=gonzalez", &p)
		if len(p.People) != 0 {
			t.Errorf("Córdoba account finds %+v", p.People)
		}
		pablo.get(wire.PathStaffPeople+"?q=o'connor", &p)
		if len(p.People) != 1 {
			t.Errorf("Córdoba account does not find its own: %+v", p.People)
		}
	})
}

func TestStaffRevokeCertificate(t *testing.T) {
	e := newStaffEnv(t)
	seedBatches(t, e)
	rita := e.login("rita")
	const path = "/api/v1/staff/certificates/7kq2m9xd4f/revoke"
	wantError(t, rita.post(path, wire.ReasonRequest{Reason: ""}), 422, "required")
	wantError(t, rita.post("/api/v1/staff/certificates/ZZZZ-ZZZZ-ZZ/revoke", wire.ReasonRequest{Reason: "x"}), 404, wire.CodeNotFound)
	var cc wire.CertificateCheck
	res := rita.post(path, wire.ReasonRequest{Reason: "la persona no asistió"})
	res.decode(t, &cc)
	if res.status != 200 || cc.Status != wire.CertRevoked || cc.RevokeReason != "la persona no asistió" {
		t.Fatalf("status %d: %s", res.status, res.body)
	}
	page := string(e.client("").do("GET", "/verify/7KQ2-M9XD-4F", nil, nil).body)
	for _, want := range []string{"revocado", "la persona no asistió", "20/03/2026"} {
		if !strings.Contains(page, want) {
			t.Errorf("verify page lacks %q:\n%s", want, page)
		}
	}
	// A second revocation keeps the first reason.
	rita.post(path, wire.ReasonRequest{Reason: "otro motivo"}).decode(t, &cc)
	if cc.RevokeReason != "la persona no asistió" {
		t.Errorf("reason %q after a second revocation", cc.RevokeReason)
	}
	var l wire.PersonLedger
	rita.get("/api/v1/staff/people/20123457/ledger", &l)
	if len(l.Certificates) != 1 || l.Certificates[0].Status != wire.CertRevoked {
		t.Errorf("person's certificates %+v", l.Certificates)
	}
}

func TestStaffCompliance(t *testing.T) {
	e := newStaffEnv(t)
	seedBatches(t, e)
	rita, pablo := e.login("rita"), e.login("pablo")
	var c wire.Compliance
	rita.get("/api/v1/staff/compliance/2026", &c)
	// Everyone is under 60: four people, two in Buenos Aires (ANSES).
	if c.People != 4 || c.Under != 4 || c.Required != 60 {
		t.Fatalf("totals %+v", c)
	}
	var groups []string
	for _, g := range c.Groups {
		groups = append(groups, fmt.Sprintf("%s/%s %d %d %d", g.Province, g.Agency, g.People, g.Under, g.Points))
	}
	if got, want := strings.Join(groups, "; "), "/Municipalidad 1 1 0; Buenos Aires/ANSES 2 2 6; Córdoba/Ministerio de Salud 1 1 2"; got != want {
		t.Errorf("groups %s, want %s", got, want)
	}
	var places []string
	for _, p := range c.Places {
		places = append(places, fmt.Sprintf("%s/%s %d %d %d", p.Province, p.Municipality, p.Sessions, p.Attendees, p.Points))
	}
	if got, want := strings.Join(places, "; "), "Buenos Aires/Tandil 1 1 6; Córdoba/Villa María 1 1 2"; got != want {
		t.Errorf("places %s, want %s", got, want)
	}
	t.Run("People", func(t *testing.T) {
		var p wire.CompliancePeoplePage
		rita.get("/api/v1/staff/compliance/2026/people?limit=3", &p)
		if p.Total != 4 || len(p.People) != 3 || p.Next != 3 || p.People[0].Surname != "PÉREZ" {
			t.Errorf("page %+v", p)
		}
		rita.get("/api/v1/staff/compliance/2026/people?province=Buenos+Aires&agency=ANSES", &p)
		if p.Total != 2 || p.People[0].Surname != "GONZÁLEZ" || p.People[1].Surname != "ÑANCUCHEO" || p.People[1].Points != 6 {
			t.Errorf("ANSES in Buenos Aires %+v", p)
		}
	})
	t.Run("Scoped", func(t *testing.T) {
		var c wire.Compliance
		pablo.get("/api/v1/staff/compliance/2026", &c)
		if c.Province != "Córdoba" || c.People != 1 || len(c.Places) != 1 {
			t.Errorf("Córdoba account's report %+v", c)
		}
		wantError(t, pablo.do("GET", "/api/v1/staff/compliance/2026?province=Salta", nil, nil), 404, wire.CodeNotFound)
	})
	wantError(t, rita.do("GET", "/api/v1/staff/compliance/26", nil, nil), 400, wire.CodeBadRequest)
}

func TestStaffDevices(t *testing.T) {
	e := newStaffEnv(t)
	ana, pablo := e.login("ana"), e.login("pablo")
	var ec wire.EnrollmentCreated
	res := ana.post(wire.PathStaffEnrollments, wire.EnrollmentRequest{Office: "Delegación Tandil", Province: "bs as"})
	res.decode(t, &ec)
	if res.status != 200 || ec.Province != "Buenos Aires" || !ec.ExpiresAt.Equal(now.Add(server.EnrollCodeTTL)) {
		t.Fatalf("status %d: %s", res.status, res.body)
	}
	// The code enrolls a device.
	dev := e.client("")
	res = dev.post(wire.PathEnroll, wire.EnrollRequest{Code: ec.Code, DeviceName: "Notebook Tandil"})
	var er wire.EnrollResponse
	res.decode(t, &er)
	if res.status != 200 || er.Office != "Delegación Tandil" {
		t.Fatalf("enroll: %d %s", res.status, res.body)
	}
	dev.token = er.Token
	var dp wire.DevicesPage
	ana.get(wire.PathStaffDevices, &dp)
	if len(dp.Devices) != 1 || dp.Devices[0].ID != er.DeviceID || dp.Devices[0].Office != "Delegación Tandil" {
		t.Errorf("devices %+v", dp.Devices)
	}
	pablo.get(wire.PathStaffDevices, &dp)
	if len(dp.Devices) != 0 {
		t.Errorf("Córdoba account sees %+v", dp.Devices)
	}
	wantError(t, e.login("pablo").post(wire.PathStaffEnrollments, wire.EnrollmentRequest{Office: "X", Province: "Salta"}), 403, wire.CodeForbidden)
	revokePath := "/api/v1/staff/devices/" + er.DeviceID + "/revoke"
	wantError(t, ana.post(revokePath, wire.ReasonRequest{}), 422, "required")
	res = ana.post(revokePath, wire.ReasonRequest{Reason: "equipo robado"})
	if res.status != 200 {
		t.Fatalf("revoke: %d %s", res.status, res.body)
	}
	wantError(t, dev.do("GET", wire.PathCatalog, nil, nil), 401, wire.CodeTokenRevoked)
	got := strings.Join(e.auditActions(), "\n")
	for _, want := range []string{"ana enrollment.create", "ana device.revoke"} {
		if !strings.Contains(got, want) {
			t.Errorf("audit log lacks %q:\n%s", want, got)
		}
	}
	var ap wire.AuditPage
	ana.get(wire.PathStaffAudit+"?limit=2", &ap)
	if len(ap.Entries) != 2 || ap.Next == "" || ap.Entries[0].Action != wire.AuditDeviceRevoke || ap.Entries[0].Reason != "equipo robado" {
		t.Errorf("audit page %+v", ap)
	}
}
