package wire_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/sync/wire"
)

// FuzzDecodeBatch feeds arbitrary bodies to the batch decoder and the
// record checks: they never panic, they fail only with an API error code,
// and what they accept keeps the batch invariants and survives a round
// trip. Seeds that found bugs live in testdata/fuzz/FuzzDecodeBatch.
func FuzzDecodeBatch(f *testing.F) {
	full := batch("b-seed")
	full.People = []wire.PersonRecord{{DNI: "30111222", CUIL: "20-30111222-1", Surname: "RÍOS", GivenNames: "Lucía", Birth: "01/02/1990", Sex: "f"}}
	full.Sessions = []wire.SessionRecord{session("s-1", "TA-LENG-01", "2026-03-18")}
	full.Attendances = []wire.AttendanceRecord{att("a-1", "s-1", "30.111.222", "presente")}
	full.Certificates = []wire.CertificateRecord{{Code: "7kq2-m9xd-4f", AttendanceID: "a-1", Kind: "asistencia", IssuedAt: now}}
	seed, _ := json.Marshal(full)
	for _, s := range []string{
		string(seed),
		`{"protocol":"puntos/1","id":"b"}`,
		`{"protocol":"puntos/1","id":"b","sessions":[{"id":"s","date":"31/02/2026","start":"25:00","closed_at":"2026-03-18T10:00:00Z"}]}`,
		`{"protocol":"puntos/1","id":"b","attendances":[{"id":"a","dni":"00000000","status":"","at":"x"}]}`,
		`{"protocol":"puntos/1","id":"b","people":[{"dni":"","cuil":"20-00000000-0"}]}`,
		`{"protocol":"puntos/1","id":"b","certificates":[{"code":"OOOO-IIII-LL","attendance":"a"}]}`,
		`{"protocol":"puntos/1","id":"b","device_clock":"0000-01-01T00:00:00Z"}`,
		`{"protocol":"puntos/1","id":"\u0000"}`,
		`[]`, `null`, `""`, `{}`, `{"id":1}`, `<html>`, "\xff\xfe",
	} {
		f.Add([]byte(s))
	}
	codes := map[string]bool{wire.CodeBadRequest: true, wire.CodeProtocolVersion: true, wire.CodeBatchTooLarge: true,
		wire.CodeBodyTooLarge: true, wire.CodeEmptyBatch: true}
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := wire.DecodeBatch(data)
		if err != nil {
			e, ok := errors.AsType[*domain.Error](err)
			if !ok || !codes[e.Code] || e.Text == "" {
				t.Fatalf("error %#v is not an API error", err)
			}
			return
		}
		if b.Protocol != wire.Protocol || !wire.ValidRecordID(b.ID) || b.Records() > wire.MaxBatchRecords || b.Records() == 0 {
			t.Fatalf("accepted a batch that breaks the invariants: %+v", b)
		}
		received := time.Date(2026, 3, 20, 15, 0, 0, 0, time.UTC)
		for _, r := range b.People {
			if p, err := wire.CheckPerson(r); err == nil {
				if _, err := domain.NormalizeDNI(p.DNI); err != nil {
					t.Fatalf("accepted person with DNI %q", p.DNI)
				}
			}
		}
		for _, r := range b.Sessions {
			if s, _, err := wire.CheckSession(r, received); err == nil && (s.ClosedAt.IsZero() || !wire.ValidRecordID(s.ID)) {
				t.Fatalf("accepted session %+v", s)
			}
		}
		for _, r := range b.Attendances {
			if a, err := wire.CheckAttendance(r); err == nil && !domain.Status(a.Status).Valid() {
				t.Fatalf("accepted attendance %+v", a)
			}
		}
		for _, r := range b.Certificates {
			if c, err := wire.CheckCertificate(r); err == nil {
				if again, err := domain.NormalizeCode(c.Code); err != nil || again != c.Code {
					t.Fatalf("accepted certificate code %q", c.Code)
				}
			}
		}
		out, err := json.Marshal(b)
		if err != nil {
			t.Fatalf("re-encode an accepted batch: %v", err)
		}
		if len(out) <= wire.MaxBatchBytes {
			again, err := wire.DecodeBatch(out)
			if err != nil {
				t.Fatalf("round trip: %v\n%s", err, out)
			}
			// A retry of the same batch must not read as a conflict.
			if !bytes.Equal(again.Digest(), b.Digest()) {
				t.Fatalf("round trip changes the digest:\n%s", out)
			}
		}
	})
}
