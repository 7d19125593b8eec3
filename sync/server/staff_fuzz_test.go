package server_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/puntos-ar/puntos/storage/demo"
	"github.com/puntos-ar/puntos/storage/registry"
	"github.com/puntos-ar/puntos/storage/registry/registrytest"
	"github.com/puntos-ar/puntos/sync/server"
	"github.com/puntos-ar/puntos/sync/wire"
)

// staffFuzzPaths are the staff endpoints that read a JSON body.
var staffFuzzPaths = []string{
	wire.PathStaffLogin,
	"/api/v1/staff/review/1",
	"/api/v1/staff/review/2",
	"/api/v1/staff/ledger/1/reverse",
	"/api/v1/staff/certificates/7KQ2-M9XD-4F/revoke",
	wire.PathStaffEnrollments,
	"/api/v1/staff/devices/x/revoke",
}

// FuzzStaffJSON posts arbitrary bodies to the staff API's JSON endpoints
// as an admin, on a registry with review items, a credit and a
// certificate: the registry never panics nor answers 5xx, every error is
// the API's JSON error shape with a code and a message, and whatever it
// accepts leaves the ledger append-only (no credit vanishes).
func FuzzStaffJSON(f *testing.F) {
	st := registrytest.Open(f, f.TempDir())
	clock := now
	st.Now = func() time.Time { return clock }
	ctx := f.Context()
	if _, err := st.ImportCatalog(ctx, strings.NewReader(demo.Catalog)); err != nil {
		f.Fatal(err)
	}
	if _, err := st.ImportRoster(ctx, strings.NewReader(registrytest.RosterCSV)); err != nil {
		f.Fatal(err)
	}
	hash, err := server.HashPassword(staffPassword)
	if err != nil {
		f.Fatal(err)
	}
	if _, err := st.AddStaff(ctx, registry.NewStaff{Username: "ana", Role: wire.RoleAdmin, PasswordHash: hash},
		wire.StaffAction{Actor: registry.ConsoleActor}); err != nil {
		f.Fatal(err)
	}
	srv := server.NewServer(st, slog.New(slog.DiscardHandler))
	srv.Now = func() time.Time { return clock }
	_, enr, err := server.NewEnrollment("Oficina", "Córdoba", clock)
	if err != nil {
		f.Fatal(err)
	}
	enr.CodeHash = wire.HashSecret("fuzz")
	if err := st.CreateEnrollmentBy(ctx, enr, wire.StaffAction{Actor: registry.ConsoleActor}); err != nil {
		f.Fatal(err)
	}
	dev, err := st.RedeemEnrollment(ctx, enr.CodeHash, wire.EnrolledDevice{ID: "dev-fuzz", Name: "Notebook", TokenHash: []byte("t")}, clock)
	if err != nil {
		f.Fatal(err)
	}
	b := batch("b-fuzz")
	s := session("s-1", "CH-INSP-01", "2026-03-18")
	s.Province = "Córdoba"
	b.Sessions = []wire.SessionRecord{s, session("s-bad", "NO-EXISTE", "2026-03-18")}
	b.Attendances = []wire.AttendanceRecord{att("a-1", "s-1", "20123457", "presente"), att("a-2", "s-1", "30999888", "presente")}
	b.Certificates = []wire.CertificateRecord{{Code: "7KQ2-M9XD-4F", AttendanceID: "a-1", Kind: "asistencia", IssuedAt: now}}
	if _, err := st.Ingest(ctx, wire.IngestRequest{Batch: b, Device: dev, Source: wire.SourceHTTP, ReceivedAt: clock}); err != nil {
		f.Fatal(err)
	}
	login := httptest.NewRecorder()
	srv.ServeHTTP(login, jsonRequest(wire.PathStaffLogin, "", []byte(`{"username":"ana","password":"`+staffPassword+`"}`)))
	var sess wire.StaffSession
	if err := json.Unmarshal(login.Body.Bytes(), &sess); err != nil || sess.Token == "" {
		f.Fatalf("login: %d %s", login.Code, login.Body)
	}

	for i, seed := range []string{
		`{"username":"ana","password":"x"}`,
		`{"decision":"accept","reason":"ok","record":{"id":"s-bad","activity":"CH-INSP-01","date":"2026-03-18","province":"Salta","municipality":"Cafayate","modality":"presencial","closed_at":"2026-03-20T10:00:00Z"}}`,
		`{"decision":"accept","reason":"ok","record":{"id":"a-2","session":"s-1","dni":"20.123.456","status":"presente","method":"typed","at":"2026-03-18T12:00:00Z"}}`,
		`{"reason":"no asistió"}`,
		`{"reason":"` + strings.Repeat("ñ", 600) + `"}`,
		`{"office":"Delegación","province":"bs as"}`,
		`{"reason":"robada"}`,
		`{"decision":"reject","reason":"x","record":null}`,
		`{"decision":"accept","reason":"x","record":{"id":"a-2","extra":1}}`,
		`[]`, `null`, `{`, "\x00", `{"decision":"accept","reason":"x","record":"\u0000"}`,
	} {
		f.Add(uint8(i%len(staffFuzzPaths)), []byte(seed))
	}
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		before, err := st.Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		path := staffFuzzPaths[int(which)%len(staffFuzzPaths)]
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, jsonRequest(path, sess.Token, body))
		if rec.Code >= 500 {
			t.Fatalf("POST %s %q: %d %s", path, body, rec.Code, rec.Body)
		}
		if rec.Code != http.StatusOK {
			var eb wire.ErrorBody
			if err := json.Unmarshal(rec.Body.Bytes(), &eb); err != nil || eb.Error.Code == "" || eb.Error.Message == "" {
				t.Fatalf("POST %s %q: %d answer is not an API error: %s", path, body, rec.Code, rec.Body)
			}
		}
		after, err := st.Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if after.Entries < before.Entries {
			t.Fatalf("POST %s %q: ledger entries went from %d to %d", path, body, before.Entries, after.Entries)
		}
	})
}

// jsonRequest is a POST of a JSON body to path, with a bearer token when
// token is not "".
func jsonRequest(path, token string, body []byte) *http.Request {
	req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return req
}
