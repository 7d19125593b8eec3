package cli_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/puntos-ar/puntos/storage/demo"
	"github.com/puntos-ar/puntos/sync/wire"
)

// zoomRow is one join as Zoom's participants export writes it.
func zoomRow(name, email string, day time.Time, from, to string) string {
	at := func(clock string) string {
		t, err := time.Parse("15:04", clock)
		if err != nil {
			panic(err)
		}
		return time.Date(day.Year(), day.Month(), day.Day(), t.Hour(), t.Minute(), 0, 0, time.UTC).Format("01/02/2006 03:04:05 PM")
	}
	a, _ := time.Parse("15:04", from)
	b, _ := time.Parse("15:04", to)
	guest := "Yes"
	if email != "" {
		guest = "No"
	}
	return fmt.Sprintf("%s,%s,%s,%s,%d,%s\r\n", name, email, at(from), at(to), int(b.Sub(a).Minutes()), guest)
}

// TestVirtualSessionEarnsPoints runs a virtual session from creation to
// the registry's ledger: the attendance comes from a Zoom report, and
// the session closes, issues certificates and syncs like one in a room.
func TestVirtualSessionEarnsPoints(t *testing.T) {
	dir, url, code, reg := cliRegistry(t, 50)
	mustRun(t, dir, "enroll", url, code(), "--name", "Notebook Salta")

	yesterday := time.Now().AddDate(0, 0, -1)
	date := yesterday.Format("2006-01-02")
	t.Run("BadSessions", func(t *testing.T) {
		for _, tc := range []struct {
			args []string
			want string
		}{
			{[]string{"--activity", "VI-CIBER-01", "--date", date, "--province", "Salta"}, "hora de inicio y de fin"},
			{[]string{"--activity", "CH-INSP-01", "--date", date, "--province", "Salta", "--start", "10:00", "--end", "12:00"}, "Falta el municipio"},
			{[]string{"--activity", "CH-INSP-01", "--date", date, "--province", "Salta", "--municipality", "Cafayate", "--platform", "Zoom"}, "virtuales o híbridas"},
			{[]string{"--activity", "VI-CIBER-01", "--date", date, "--province", "Salta", "--start", "10:00", "--end", "13:00", "--modality", "remota"}, "--modality"},
			{[]string{"--activity", "VI-CIBER-01", "--date", date, "--province", "Salta", "--start", "10:00", "--end", "13:00", "--link", "zoom.us/j/1"}, "https://"},
		} {
			if c, _, errs := run(t, dir, append([]string{"session", "new"}, tc.args...)...); c == 0 || !strings.Contains(errs, tc.want) {
				t.Errorf("session new %v: exit %d, stderr %q, want %q", tc.args, c, errs, tc.want)
			}
		}
	})

	// A virtual catalog activity makes a virtual session: no municipality.
	id := strings.TrimSpace(mustRun(t, dir, "session", "new", "--activity", "VI-CIBER-01", "--date", date,
		"--start", "10:00", "--end", "13:00", "--province", "Salta", "--platform", "Zoom", "--link", "https://zoom.us/j/85123456789"))
	var shown struct {
		Session struct {
			Modality string `json:"modality"`
			Platform string `json:"platform"`
		} `json:"session"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, dir, "session", "show", id, "--json")), &shown); err != nil {
		t.Fatal(err)
	}
	if shown.Session.Modality != "virtual" || shown.Session.Platform != "Zoom" {
		t.Fatalf("session = %+v, want virtual on Zoom", shown.Session)
	}

	p0, p1, p2 := demo.Person(0, 1), demo.Person(1, 1), demo.Person(2, 1)
	report := "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\r\n" +
		// by email, with a reconnect: 150 minutes of 180
		zoomRow(p0.GivenNames+" "+p0.Surname, strings.ToUpper(p0.Email), yesterday, "09:55", "11:00") +
		zoomRow(p0.GivenNames+" "+p0.Surname, p0.Email, yesterday, "11:05", "12:30") +
		// by the DNI written in the name, 140 minutes
		zoomRow("Celu - "+p1.DNI, "", yesterday, "10:00", "12:20") +
		// below 75% of 180 minutes: ausente with 60
		zoomRow(p2.GivenNames+" "+p2.Surname+" - "+p2.DNI, "", yesterday, "10:00", "11:00") +
		zoomRow("iPad de Juan", "", yesterday, "10:05", "10:20")
	file := write(t, "participants_85123456789.csv", []byte("\ufeff"+report))

	var got struct {
		Format         string `json:"format"`
		Participants   int    `json:"participants"`
		Matched        int    `json:"matched"`
		Present        int    `json:"present"`
		BelowThreshold int    `json:"below_threshold"`
		Unmatched      []struct {
			Name    string `json:"name"`
			Email   string `json:"email"`
			Minutes int    `json:"minutes"`
		} `json:"unmatched"`
	}
	out := mustRun(t, dir, "session", "participants", id, file, "--json")
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if got.Format != "zoom" || got.Participants != 4 || got.Matched != 3 || got.Present != 2 || got.BelowThreshold != 1 ||
		len(got.Unmatched) != 1 || got.Unmatched[0].Name != "iPad de Juan" || got.Unmatched[0].Minutes != 15 {
		t.Fatalf("participants --json = %+v", got)
	}
	if out := mustRun(t, dir, "session", "participants", id, file); !strings.Contains(out, "Nada cambió") ||
		!strings.Contains(out, "Zoom") || !strings.Contains(out, "iPad de Juan") {
		t.Errorf("second import: %s", out)
	}
	if out := mustRun(t, dir, "session", "participants", id, file, "--ignore", "iPad de Juan"); strings.Contains(out, "Sin identificar") {
		t.Errorf("ignored device still listed: %s", out)
	}
	if c, _, errs := run(t, dir, "session", "participants", id, write(t, "catalogo.csv", []byte(demo.Catalog))); c == 0 || !strings.Contains(errs, "No se reconoce el informe") {
		t.Errorf("a catalog as a report: exit %d, %q", c, errs)
	}

	mustRun(t, dir, "session", "close", id)
	mustRun(t, dir, "office", "set", "--name", "Capacitación", "--verify-url", "https://puntos.example.gob.ar", "--signatory", "Lic. Ana Pérez|Directora")
	certs := filepath.Join(t.TempDir(), "certificados")
	if out := mustRun(t, dir, "certificates", id, "--out", certs); !strings.Contains(out, "2 certificados") {
		t.Errorf("certificates: %s", out)
	}
	if files, _ := os.ReadDir(certs); len(files) < 2 {
		t.Errorf("%d files in %s", len(files), certs)
	}

	var res struct {
		Accepted int `json:"accepted"`
		Rejected int `json:"rejected"`
		Conflict int `json:"conflict"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, dir, "sync", "--json")), &res); err != nil {
		t.Fatal(err)
	}
	// the session, 3 attendances, 2 certificates
	if res.Accepted != 6 || res.Rejected+res.Conflict != 0 {
		t.Fatalf("sync = %+v, want 6 accepted", res)
	}
	ctx := context.Background()
	for _, tc := range []struct {
		dni    string
		points int
	}{{p0.DNI, 4}, {p1.DNI, 4}, {p2.DNI, 0}} {
		entries, err := reg.Ledger(ctx, tc.dni, yesterday.Year())
		if err != nil {
			t.Fatal(err)
		}
		sum := 0
		for _, e := range entries {
			sum += e.Points
		}
		if sum != tc.points {
			t.Errorf("ledger of %s: %d points, want %d (%+v)", tc.dni, sum, tc.points, entries)
		}
	}
	// Compliance counts the virtual session under its province, with no
	// municipality.
	c, err := reg.Compliance(ctx, yesterday.Year(), "Salta", wire.StaffScope{})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range c.Places {
		if p.Municipality == "" {
			found = true
			if p.Sessions != 1 || p.Attendees != 2 || p.Points != 8 {
				t.Errorf("compliance place of the virtual session: %+v", p)
			}
		}
	}
	if !found {
		t.Errorf("the virtual session is not in the compliance report: %+v", c.Places)
	}
}
