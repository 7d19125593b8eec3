package storage_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/storage/domain"
)

func certSession(t *testing.T, st *storage.Store, code, date string, checkins map[string]domain.Status) string {
	t.Helper()
	s, err := st.CreateSession(ctx, domain.Session{ActivityCode: code, Date: date, Province: "Salta", Municipality: "Cafayate"})
	if err != nil {
		t.Fatal(err)
	}
	for dni, status := range checkins {
		if _, err := st.Mark(ctx, s.ID, dni, status, domain.Typed); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.CloseSession(ctx, s.ID); err != nil {
		t.Fatal(err)
	}
	return s.ID
}

func TestIssueCertificates(t *testing.T) {
	st := seeded(t)
	if err := st.SetOffice(ctx, storage.Office{Name: "Dirección de Capacitación", VerifyBaseURL: "https://puntos.example/",
		Signatories: []storage.Signatory{{Name: "Ana Pérez", Role: "Directora", Image: []byte("png-bytes")}}}); err != nil {
		t.Fatal(err)
	}
	id := certSession(t, st, "CH-1", "2026-11-20", map[string]domain.Status{
		"20123456": domain.Presente, "21000111": domain.Tarde, "22000222": domain.Ausente, "23000333": domain.Justificado})
	first, err := st.IssueCertificates(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Certificates) != 2 || first.New != 2 || len(first.NotEligible) != 2 {
		t.Fatalf("issue = %d certs (%d new), %d not eligible; want 2, 2, 2", len(first.Certificates), first.New, len(first.NotEligible))
	}
	c := first.Certificates[0] // MUNOZ sorts before NÚÑEZ
	if c.Surname != "MUNOZ" || c.Kind != "asistencia" || c.Points != 2 || c.Dates != "20 de noviembre de 2026" ||
		c.Place != "Cafayate, Salta" || c.Office.VerifyBaseURL != "https://puntos.example" || string(c.Office.Signatories[0].Image) != "png-bytes" {
		t.Errorf("certificate = %+v", c)
	}
	if _, err := domain.NormalizeCode(c.Code); err != nil {
		t.Errorf("code %q: %v", c.Code, err)
	}
	// Later changes do not touch what was issued.
	if _, err := st.SavePerson(ctx, domain.Person{DNI: "21000111", Surname: "MUÑOZ", GivenNames: "Pedro Pablo"}); err != nil {
		t.Fatal(err)
	}
	if err := st.SetOffice(ctx, storage.Office{Name: "Otra oficina"}); err != nil {
		t.Fatal(err)
	}
	st.Now = func() time.Time { return time.Date(2027, 1, 5, 0, 0, 0, 0, time.UTC) }
	again, err := st.IssueCertificates(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if again.New != 0 || len(again.Certificates) != 2 {
		t.Fatalf("reprint issued %d new", again.New)
	}
	for i := range first.Certificates {
		a, b := first.Certificates[i], again.Certificates[i]
		if a.CertificateText != b.CertificateText || a.Office.Name != b.Office.Name {
			t.Errorf("reprint changed:\n%+v\n%+v", a, b)
		}
	}
}

// readyOffice sets an office that can issue certificates.
func readyOffice(t *testing.T, st *storage.Store) {
	t.Helper()
	if err := st.SetOffice(ctx, storage.Office{Name: "Dirección de Capacitación", VerifyBaseURL: "https://puntos.example",
		Signatories: []storage.Signatory{{Name: "Ana Pérez", Role: "Directora"}}}); err != nil {
		t.Fatal(err)
	}
}

func TestIssueCertificatesCourse(t *testing.T) {
	st := seeded(t) // CU-1: 4 sessions, 75% → 3 needed
	readyOffice(t, st)
	present := map[string]domain.Status{"20123456": domain.Presente, "21000111": domain.Presente}
	var last string
	for i, date := range []string{"2026-03-02", "2026-03-09", "2026-03-16"} {
		marks := present
		if i == 2 {
			marks = map[string]domain.Status{"20123456": domain.Tarde, "21000111": domain.Ausente}
		}
		last = certSession(t, st, "CU-1", date, marks)
	}
	iss, err := st.IssueCertificates(ctx, last)
	if err != nil {
		t.Fatal(err)
	}
	if len(iss.Certificates) != 1 || iss.Certificates[0].DNI != "20123456" || iss.Certificates[0].Kind != "aprobacion" {
		t.Fatalf("course certificates = %+v", iss.Certificates)
	}
	if got := iss.Certificates[0].Dates; got != "del 2 de marzo al 16 de marzo de 2026" {
		t.Errorf("dates = %q", got)
	}
	if len(iss.NotEligible) != 1 || !strings.Contains(iss.NotEligible[0].Message, "2 de los 3") {
		t.Errorf("not eligible = %+v", iss.NotEligible)
	}
	// Once per activity and year: a fourth session reprints the same one.
	more := certSession(t, st, "CU-1", "2026-03-23", map[string]domain.Status{"20123456": domain.Presente})
	iss2, err := st.IssueCertificates(ctx, more)
	if err != nil || iss2.New != 0 || iss2.Certificates[0].Code != iss.Certificates[0].Code {
		t.Fatalf("fourth session: %+v, %v", iss2, err)
	}
}

func TestIssueCertificatesOpenSession(t *testing.T) {
	st := seeded(t)
	s := newSession(t, st, "CH-1")
	if _, err := st.IssueCertificates(ctx, s.ID); !errors.Is(err, domain.ErrInvalid) || !strings.Contains(err.Error(), "cerrala") {
		t.Errorf("open session: %v", err)
	}
}

func TestOfficeValidation(t *testing.T) {
	st := openStore(t)
	o, err := st.Office(ctx)
	if err != nil || o.Name == "" || o.VerifyBaseURL != "" {
		t.Fatalf("default office = %+v, %v; want a name and no address", o, err)
	}
	for name, bad := range map[string]storage.Office{
		"ErrName":        {Name: " "},
		"ErrURL":         {Name: "x", VerifyBaseURL: "puntos.gob.ar"},
		"ErrHTTP":        {Name: "x", VerifyBaseURL: "http://puntos.gob.ar"},
		"ErrLoopback":    {Name: "x", VerifyBaseURL: "https://127.0.0.1:8080"},
		"ErrLocalhost":   {Name: "x", VerifyBaseURL: "https://localhost"},
		"ErrPrivate":     {Name: "x", VerifyBaseURL: "https://192.168.0.10/puntos"},
		"ErrSignatories": {Name: "x", Signatories: make([]storage.Signatory, 3)},
		"ErrSignatory":   {Name: "x", Signatories: []storage.Signatory{{Role: "Directora"}}},
	} {
		if err := st.SetOffice(ctx, bad); !errors.Is(err, domain.ErrInvalid) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

// TestIssueNeedsSetup checks that no certificate goes out without a
// signatory and a public address, that a demo folder may print its
// loopback registry and is marked, and that certificates issued before
// reprint as they were.
func TestIssueNeedsSetup(t *testing.T) {
	st := seeded(t)
	id := certSession(t, st, "CH-1", "2026-11-20", map[string]domain.Status{"20123456": domain.Presente})
	refused := func(want string) {
		t.Helper()
		iss, err := st.IssueCertificates(ctx, id)
		if !errors.Is(err, domain.ErrInvalid) || !strings.Contains(err.Error(), want) {
			t.Errorf("issue: %v, want a sentence mentioning %q", err, want)
		}
		states, err := st.SyncStates(ctx)
		if err != nil || len(iss.Certificates) > 0 || len(states["certificate"]) != 0 {
			t.Errorf("issue refused but gave %+v, stored %v (%v)", iss, states["certificate"], err)
		}
	}
	refused("firmante con su cargo") // never set
	if err := st.SetOffice(ctx, storage.Office{Name: "Dirección", VerifyBaseURL: "https://puntos.example",
		Signatories: []storage.Signatory{{Name: "Ana Pérez"}}}); err != nil {
		t.Fatal(err)
	}
	refused("firmante con su cargo") // a signatory without a role
	if err := st.SetOffice(ctx, storage.Office{Name: "Dirección", Signatories: []storage.Signatory{{Name: "Ana Pérez", Role: "Directora"}}}); err != nil {
		t.Fatal(err)
	}
	refused("--verify-url") // no address
	if base, err := st.VerifyBase(ctx); err != nil || base != "" {
		t.Errorf("VerifyBase without an address = %q, %v", base, err)
	}
	// An address stored before private ones were refused does not print.
	if err := st.SetSetting(ctx, "office", `{"name":"Dirección","verify_url":"http://127.0.0.1:8080","signatories":[{"name":"Ana Pérez","role":"Directora"}]}`); err != nil {
		t.Fatal(err)
	}
	refused("https://")

	readyOffice(t, st)
	iss, err := st.IssueCertificates(ctx, id)
	if err != nil || iss.New != 1 || iss.Certificates[0].Office.VerifyBaseURL != "https://puntos.example" || iss.Certificates[0].Office.Demo {
		t.Fatalf("issue with the office set: %+v, %v", iss, err)
	}
	// Certificates already issued reprint as they were, whatever the office
	// now says.
	if err := st.SetOffice(ctx, storage.Office{Name: "Otra"}); err != nil {
		t.Fatal(err)
	}
	again, err := st.IssueCertificates(ctx, id)
	if err != nil || again.New != 0 || again.Certificates[0].Code != iss.Certificates[0].Code ||
		again.Certificates[0].Office.Name != "Dirección de Capacitación" {
		t.Errorf("reprint: %+v, %v", again, err)
	}

	t.Run("Demo", func(t *testing.T) {
		st := seeded(t)
		if demo, err := st.Demo(ctx); err != nil || demo {
			t.Fatalf("a new folder is a demo's: %v, %v", demo, err)
		}
		if err := st.MarkDemo(ctx); err != nil {
			t.Fatal(err)
		}
		if err := st.SetOffice(ctx, storage.Office{Name: "Demo", VerifyBaseURL: "http://127.0.0.1:9090",
			Signatories: []storage.Signatory{{Name: "Ana Pérez", Role: "Directora"}}}); err != nil {
			t.Fatalf("a demo refused its loopback registry: %v", err)
		}
		id := certSession(t, st, "CH-1", "2026-11-20", map[string]domain.Status{"20123456": domain.Presente})
		iss, err := st.IssueCertificates(ctx, id)
		if err != nil || iss.New != 1 || !iss.Certificates[0].Office.Demo || iss.Certificates[0].Office.VerifyBaseURL != "http://127.0.0.1:9090" {
			t.Fatalf("demo issue: %+v, %v", iss, err)
		}
	})
	t.Run("OldDemoFolder", func(t *testing.T) {
		// A demo folder made before the mark is known by its CSVs; with no
		// address it prints the loopback registry.
		st := seeded(t)
		if err := os.MkdirAll(filepath.Join(st.Dir(), "demo"), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(st.Dir(), "demo", "catalogo.csv"), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		if base, err := st.VerifyBase(ctx); err != nil || base != storage.DefaultVerifyURL {
			t.Errorf("VerifyBase of a demo = %q, %v", base, err)
		}
	})
}

func TestPersonYear(t *testing.T) {
	st := seeded(t)
	certSession(t, st, "CH-1", "2026-05-02", map[string]domain.Status{"20123456": domain.Presente})
	certSession(t, st, "CH-1", "2026-06-02", map[string]domain.Status{"20123456": domain.Presente}) // same talk again: once
	certSession(t, st, "CU-1", "2026-07-02", map[string]domain.Status{"20123456": domain.Presente})
	certSession(t, st, "CH-1", "2025-07-02", map[string]domain.Status{"20123456": domain.Presente}) // other year
	p, entries, err := st.PersonYear(ctx, "20123456", 2026)
	if err != nil || p.Surname != "NÚÑEZ" {
		t.Fatal(p, err)
	}
	if len(entries) != 2 || entries[0].Points != 2 || entries[1].Points != 0 || entries[1].Status != "1 de 3 encuentros" {
		t.Errorf("entries = %+v", entries)
	}
}
