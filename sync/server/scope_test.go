package server_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"testing"

	"github.com/puntos-ar/puntos/sync/wire"
)

// scopeEnv is a staff registry with reviewers scoped to Salta (sal) and
// Buenos Aires (bea) beside newStaffEnv's, and devices enrolled in Salta
// and Córdoba.
type scopeEnv struct {
	*staffEnv
	salta, cba *client
}

func newScopeEnv(t *testing.T) *scopeEnv {
	t.Helper()
	e := &scopeEnv{staffEnv: newStaffEnv(t)}
	e.addStaff("sal", wire.RoleReviewer, "Salta")
	e.addStaff("bea", wire.RoleReviewer, "Buenos Aires")
	e.salta, e.cba = e.device("Salta"), e.device("Córdoba")
	return e
}

// in returns a session in a province's municipality.
func in(s wire.SessionRecord, province, municipality string) wire.SessionRecord {
	s.Province, s.Municipality = province, municipality
	return s
}

// corrected is an accept decision with a corrected record.
func corrected(t *testing.T, r any) wire.ReviewDecision {
	t.Helper()
	raw, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return wire.ReviewDecision{Decision: wire.DecisionAccept, Reason: "corregido", Record: raw}
}

// places returns where the registry holds the year's sessions, as
// "[Province/Municipality ...]".
func (e *scopeEnv) places() string {
	e.t.Helper()
	c, err := e.st.Compliance(e.t.Context(), 2026, "", wire.StaffScope{})
	if err != nil {
		e.t.Fatal(err)
	}
	var out []string
	for _, p := range c.Places {
		out = append(out, p.Province+"/"+p.Municipality)
	}
	return fmt.Sprint(out)
}

func TestScopeReviewByRecordProvince(t *testing.T) {
	e := newScopeEnv(t)
	rita, sal, pablo := e.login("rita"), e.login("sal"), e.login("pablo")

	// A Salta device reports a session held in Córdoba, then a change
	// that would move it to Salta: the conflict touches both provinces.
	b := batch("b-sx")
	b.Sessions = []wire.SessionRecord{in(session("s-x", "CH-INSP-01", "2026-03-18"), "Córdoba", "Villa María")}
	b.Attendances = []wire.AttendanceRecord{att("a-x", "s-x", "20123457", "presente")}
	e.salta.mustPush(b)
	b = batch("b-sx-moved")
	b.Sessions = []wire.SessionRecord{in(session("s-x", "CH-INSP-01", "2026-03-18"), "Salta", "Cafayate")}
	wantOutcome(t, e.salta.mustPush(b), wire.KindSession, "s-x", wire.Conflict, wire.ConflictContent)
	moved := reviewOf(t, rita, "b-sx-moved", wire.KindSession, "s-x")

	t.Run("ErrMoveSeenByNoScopedReviewer", func(t *testing.T) {
		for _, c := range []*client{sal, pablo} {
			wantError(t, c.do("GET", reviewPath(moved), nil, nil), 404, wire.CodeNotFound)
			wantError(t, c.post(reviewPath(moved), wire.ReviewDecision{Decision: wire.DecisionAccept, Reason: "ok"}), 404, wire.CodeNotFound)
		}
		if got := e.places(); got != "[Córdoba/Villa María]" {
			t.Errorf("places %s: the session moved", got)
		}
	})
	t.Run("RecordsListedByRecordProvince", func(t *testing.T) {
		var p wire.RecordPage
		sal.get(wire.PathStaffRecords+"?limit=200", &p)
		for _, r := range p.Records {
			if r.ID == "s-x" || r.ID == "a-x" {
				t.Errorf("Salta reviewer lists %s %s (%s), held in Córdoba", r.Kind, r.ID, r.Result)
			}
		}
		pablo.get(wire.PathStaffRecords+"?limit=200", &p)
		var ids []string
		for _, r := range p.Records {
			ids = append(ids, r.Kind+" "+r.ID+" "+r.Result)
		}
		for _, want := range []string{"session s-x accepted", "attendance a-x accepted"} {
			if !slices.Contains(ids, want) {
				t.Errorf("Córdoba reviewer's records %v lack %q", ids, want)
			}
		}
		var d wire.BatchDetail
		sal.get("/api/v1/staff/batches/b-sx", &d)
		if len(d.Records) != 0 {
			t.Errorf("Salta reviewer sees the Córdoba records of a Salta batch: %+v", d.Records)
		}
	})

	// A Salta device's session with an unknown activity, held in Salta.
	b = batch("b-salta-bad")
	b.Sessions = []wire.SessionRecord{in(session("s-sal", "NO-EXISTE", "2026-03-18"), "Salta", "Cafayate")}
	wantOutcome(t, e.salta.mustPush(b), wire.KindSession, "s-sal", wire.Rejected, wire.RejectActivityUnknown)
	salBad := reviewOf(t, rita, "b-salta-bad", wire.KindSession, "s-sal")
	t.Run("ErrMoveOutOfScope", func(t *testing.T) {
		var it wire.ReviewItem
		sal.get(reviewPath(salBad), &it)
		fix := in(session("s-sal", "CH-INSP-01", "2026-03-18"), "Córdoba", "Villa María")
		wantError(t, sal.post(reviewPath(salBad), corrected(t, fix)), 403, wire.CodeOutOfScope)
		sal.get(reviewPath(salBad), &it)
		if it.Resolution != nil {
			t.Fatalf("refused move resolved the item: %+v", it.Resolution)
		}
		fix = in(session("s-sal", "CH-INSP-01", "2026-03-18"), "Salta", "Cafayate")
		if res := sal.post(reviewPath(salBad), corrected(t, fix)); res.status != 200 {
			t.Errorf("a correction inside Salta: %d %s", res.status, res.body)
		}
	})

	// A Salta device's session held in Córdoba, with an unknown activity:
	// Córdoba's reviewer decides it, Salta's does not see it.
	b = batch("b-cba-bad")
	b.Sessions = []wire.SessionRecord{in(session("s-cba-bad", "NO-EXISTE", "2026-03-18"), "Córdoba", "Villa María")}
	e.salta.mustPush(b)
	cbaBad := reviewOf(t, rita, "b-cba-bad", wire.KindSession, "s-cba-bad")
	t.Run("DecidedByRecordProvince", func(t *testing.T) {
		var p wire.RecordPage
		pablo.get(wire.PathStaffRecords+"?result=rejected&limit=200", &p)
		if len(p.Records) != 1 || p.Records[0].ID != "s-cba-bad" {
			t.Errorf("Córdoba reviewer's rejections %+v, want the Córdoba session sent from Salta", p.Records)
		}
		sal.get(wire.PathStaffRecords+"?result=rejected&limit=200", &p)
		for _, r := range p.Records {
			if r.ID == "s-cba-bad" {
				t.Error("Salta reviewer lists the rejected Córdoba session")
			}
		}
		wantError(t, sal.do("GET", reviewPath(cbaBad), nil, nil), 404, wire.CodeNotFound)
		var it wire.ReviewItem
		pablo.get(reviewPath(cbaBad), &it)
		fix := in(session("s-cba-bad", "CH-INSP-01", "2026-03-18"), "Córdoba", "Villa María")
		if res := pablo.post(reviewPath(cbaBad), corrected(t, fix)); res.status != 200 {
			t.Errorf("Córdoba reviewer on a Córdoba session: %d %s", res.status, res.body)
		}
		wantError(t, pablo.post(reviewPath(salBad), wire.ReviewDecision{Decision: wire.DecisionReject, Reason: "x"}), 404, wire.CodeNotFound)
	})
	t.Run("PagesSkipOtherProvinces", func(t *testing.T) {
		// One record per page, with other provinces' rows in between: the
		// pages hold every visible record once, in order.
		var all wire.RecordPage
		sal.get(wire.PathStaffRecords+"?limit=200", &all)
		var paged []string
		cursor := ""
		for range 50 {
			var p wire.RecordPage
			sal.get(wire.PathStaffRecords+"?limit=1&cursor="+url.QueryEscape(cursor), &p)
			for _, r := range p.Records {
				paged = append(paged, r.BatchID+" "+r.ID)
			}
			if cursor = p.Next; cursor == "" {
				break
			}
		}
		var want []string
		for _, r := range all.Records {
			want = append(want, r.BatchID+" "+r.ID)
		}
		if len(want) == 0 || fmt.Sprint(paged) != fmt.Sprint(want) {
			t.Errorf("pages %v, want %v", paged, want)
		}
	})
}

func TestScopeLedgerAndCertificates(t *testing.T) {
	e := newScopeEnv(t)
	rita, sal, pablo, bea := e.login("rita"), e.login("sal"), e.login("pablo"), e.login("bea")

	// A Córdoba session credits a person of Buenos Aires.
	b := batch("b-cba")
	b.Sessions = []wire.SessionRecord{in(session("s-cba", "CH-INSP-01", "2026-03-18"), "Córdoba", "Villa María")}
	b.Attendances = []wire.AttendanceRecord{att("a-ba", "s-cba", "20123456", "presente")}
	e.cba.mustPush(b)
	var l wire.PersonLedger
	bea.get("/api/v1/staff/people/20123456/ledger", &l)
	if len(l.Years) != 1 || len(l.Years[0].Entries) != 1 {
		t.Fatalf("ledger %+v", l)
	}
	reverse := fmt.Sprintf("/api/v1/staff/ledger/%d/reverse", l.Years[0].Entries[0].ID)
	t.Run("ErrReverseOtherProvincesSession", func(t *testing.T) {
		wantError(t, bea.post(reverse, wire.ReasonRequest{Reason: "no asistió"}), 403, wire.CodeOutOfScope)
		wantError(t, pablo.post(reverse, wire.ReasonRequest{Reason: "no asistió"}), 404, wire.CodeNotFound)
		if got := e.credits("20123456"); got != 2 {
			t.Errorf("points %d after refused reversals, want 2", got)
		}
		if res := rita.post(reverse, wire.ReasonRequest{Reason: "no asistió"}); res.status != 200 {
			t.Errorf("unscoped reversal: %d %s", res.status, res.body)
		}
	})

	// A Salta device issues a certificate at a session held in Córdoba.
	b = batch("b-salta-cert")
	b.Sessions = []wire.SessionRecord{in(session("s-sc", "CH-INSP-01", "2026-03-18"), "Córdoba", "Villa María")}
	b.Attendances = []wire.AttendanceRecord{att("a-sc", "s-sc", "20123457", "presente")}
	b.Certificates = []wire.CertificateRecord{{Code: "7KQ2-M9XD-4F", AttendanceID: "a-sc", Kind: "asistencia", IssuedAt: now}}
	e.salta.mustPush(b)
	t.Run("RevokeByRecordProvince", func(t *testing.T) {
		const path = "/api/v1/staff/certificates/7KQ2-M9XD-4F/revoke"
		wantError(t, sal.post(path, wire.ReasonRequest{Reason: "error"}), 404, wire.CodeNotFound)
		var cc wire.CertificateCheck
		res := pablo.post(path, wire.ReasonRequest{Reason: "no asistió"})
		res.decode(t, &cc)
		if res.status != 200 || cc.Status != wire.CertRevoked {
			t.Errorf("Córdoba reviewer revoking a Córdoba certificate: %d %s", res.status, res.body)
		}
	})
	t.Run("Compliance", func(t *testing.T) {
		var c wire.Compliance
		pablo.get("/api/v1/staff/compliance/2026", &c)
		var places []string
		for _, p := range c.Places {
			places = append(places, p.Province+"/"+p.Municipality)
		}
		if fmt.Sprint(places) != "[Córdoba/Villa María]" {
			t.Errorf("Córdoba report places %v", places)
		}
		wantError(t, pablo.do("GET", "/api/v1/staff/compliance/2026?province="+url.QueryEscape("Salta"), nil, nil), 404, wire.CodeNotFound)
		wantError(t, sal.do("GET", "/api/v1/staff/compliance/2026/people?province=C%C3%B3rdoba", nil, nil), 404, wire.CodeNotFound)
	})
}
