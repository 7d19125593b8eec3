package storage_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/storage/participants"
)

const onlineRoster = "DNI;Apellido;Nombres;Correo\n" +
	"20123456;NÚÑEZ;María José;MJNunez@anses.gob.ar\n" +
	"21000111;MUÑOZ;Pedro;\n" +
	"22000222;FERNÁNDEZ DE LA PEÑA;Ana Inés;\n" +
	"23000333;GÓMEZ;Juan;\n" +
	"23000444;GÓMEZ;Juan;\n" +
	"24000555;PÉREZ;Juan Carlos;\n" +
	"25000666;D'ALESSANDRO;Lucía;\n"

// onlineStore returns a store with onlineRoster and a virtual session on
// 27/11/2026 from 10:00 to 12:00 (90 minutes make 75%).
func onlineStore(t testing.TB) (*storage.Store, storage.SessionInfo) {
	t.Helper()
	st := openStore(t)
	if _, err := st.ImportCatalog(ctx, strings.NewReader(catalogCSV), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := st.ImportRoster(ctx, strings.NewReader(onlineRoster), nil); err != nil {
		t.Fatal(err)
	}
	return st, onlineSession(t, st, domain.Remote)
}

func onlineSession(t testing.TB, st *storage.Store, m domain.Modality) storage.SessionInfo {
	t.Helper()
	s, err := st.CreateSession(ctx, domain.Session{ActivityCode: "CH-1", Date: "2026-11-27", Start: "10:00", End: "12:00",
		Province: "Córdoba", Municipality: map[bool]string{true: "Villa María"}[m == domain.Hybrid], Modality: m, Platform: "Zoom"})
	if err != nil {
		t.Fatal(err)
	}
	info, err := st.Session(ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	return info
}

// zoom builds a Zoom participants export from rows of
// name, email, join and leave ("10:00").
func zoom(rows ...[4]string) string {
	var b strings.Builder
	b.WriteString("\ufeffName (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\r\n")
	for _, r := range rows {
		at := func(c string) string {
			t, _ := time.Parse("15:04", c)
			return time.Date(2026, 11, 27, t.Hour(), t.Minute(), 0, 0, time.UTC).Format("01/02/2006 03:04:05 PM")
		}
		a, _ := time.Parse("15:04", r[2])
		z, _ := time.Parse("15:04", r[3])
		fmt.Fprintf(&b, "%q,%s,%s,%s,%d,No\r\n", r[0], r[1], at(r[2]), at(r[3]), int(z.Sub(a).Minutes()))
	}
	return b.String()
}

func report(t testing.TB, si storage.SessionInfo, data string) *participants.Report {
	t.Helper()
	rep, err := participants.Parse(strings.NewReader(data), storage.ParticipantsDay(si.Session))
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func line(t *testing.T, res *storage.ParticipantsResult, name string) storage.ParticipantLine {
	t.Helper()
	for _, l := range res.Lines {
		if l.Name == name {
			return l
		}
	}
	t.Fatalf("no line %q", name)
	return storage.ParticipantLine{}
}

func attendance(t *testing.T, st *storage.Store, sessionID string) map[string]string {
	t.Helper()
	list, err := st.Attendees(ctx, sessionID)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, a := range list {
		m := -1
		if a.Minutes != nil {
			m = *a.Minutes
		}
		out[a.DNI] = fmt.Sprintf("%s %d %s", a.Status, m, a.Method)
	}
	return out
}

var firstReport = zoom(
	[4]string{"María José Núñez", "mjnunez@ANSES.gob.ar", "09:58", "11:00"},
	[4]string{"María José Núñez", "mjnunez@anses.gob.ar", "10:50", "11:59"}, // overlaps the first: 121 min, not 131
	[4]string{"Pedro (Pedro Muñoz)", "", "10:00", "11:35"},
	[4]string{"Lucía - 25.000.666", "", "10:00", "10:30"},
	[4]string{"Juan Gómez", "", "10:00", "12:00"},
	[4]string{"Juan Pérez", "", "10:00", "12:00"},
	[4]string{"iPad de Juan", "", "10:00", "12:00"},
	[4]string{"Ana F.", "ana.fernandez@gmail.com", "10:00", "12:00"},
)

func TestParticipantsMatching(t *testing.T) {
	st, si := onlineStore(t)
	rep := report(t, si, firstReport)

	prev, err := st.PreviewParticipants(ctx, si.ID, rep, storage.ParticipantOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(attendance(t, st, si.ID)); n != 0 {
		t.Fatalf("the preview stored %d attendances", n)
	}
	for name, want := range map[string]storage.MatchKind{
		"María José Núñez": storage.ByEmail, "Pedro": storage.ByName, "Lucía - 25.000.666": storage.ByDNI,
	} {
		if l := line(t, prev, name); l.By != want {
			t.Errorf("%s matched by %q, want %q", name, l.By, want)
		}
	}
	if l := line(t, prev, "Juan Gómez"); l.Person != nil || len(l.Candidates) != 2 || l.Candidates[0].Confidence >= 1 {
		t.Errorf("shared name: %+v", l)
	}
	if l := line(t, prev, "Juan Pérez"); l.Person != nil || len(l.Candidates) != 1 || l.Candidates[0].Person.DNI != "24000555" ||
		l.Candidates[0].Confidence >= 1 {
		t.Errorf("partial name: %+v", l)
	}
	if l := line(t, prev, "iPad de Juan"); l.Person != nil || len(l.Candidates) != 0 {
		t.Errorf("device name: %+v", l)
	}
	if prev.Required != 90 || prev.Matched != 3 || prev.Present != 2 || prev.BelowThreshold != 1 || len(prev.Unmatched()) != 4 {
		t.Errorf("preview: required %d, matched %d, present %d, below %d, unmatched %d",
			prev.Required, prev.Matched, prev.Present, prev.BelowThreshold, len(prev.Unmatched()))
	}

	res, err := st.ImportParticipants(ctx, si.ID, rep, storage.ParticipantOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"20123456": "presente 121 import", "21000111": "presente 95 import", "25000666": "ausente 30 import"}
	if got := attendance(t, st, si.ID); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("attendance = %v, want %v", got, want)
	}
	if len(res.Changes) != 3 {
		t.Errorf("changes %+v", res.Changes)
	}

	t.Run("SameReportAgain", func(t *testing.T) {
		res, err := st.ImportParticipants(ctx, si.ID, report(t, si, firstReport), storage.ParticipantOptions{})
		if err != nil || len(res.Changes) != 0 {
			t.Fatalf("changes %+v, %v", res.Changes, err)
		}
	})

	t.Run("SettledByHand", func(t *testing.T) {
		opt := storage.ParticipantOptions{
			Assign:  map[string]string{"Juan Pérez": "24.000.555", "ana.fernandez@gmail.com": "22000222"},
			Ignore:  []string{"ipad de juan"},
			WalkIns: map[string]domain.Person{"Juan Gómez": {DNI: "30111222", Surname: "Gómez", GivenNames: "Juan Ignacio"}},
		}
		res, err := st.ImportParticipants(ctx, si.ID, report(t, si, firstReport), opt)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Unmatched()) != 0 || len(res.Changes) != 3 {
			t.Errorf("unmatched %d, changes %+v", len(res.Unmatched()), res.Changes)
		}
		got := attendance(t, st, si.ID)
		if got["30111222"] != "presente 120 walk-in" || got["24000555"] != "presente 120 import" || got["22000222"] != "presente 120 import" {
			t.Errorf("attendance = %v", got)
		}
	})

	t.Run("BadSettlements", func(t *testing.T) {
		for name, opt := range map[string]storage.ParticipantOptions{
			"UnknownParticipant": {Ignore: []string{"Nadie"}},
			"UnknownDNI":         {Assign: map[string]string{"Juan Pérez": "99888777"}},
			"BadDNI":             {Assign: map[string]string{"Juan Pérez": "12"}},
			"BothThresholds":     {MinShare: 0.5, MinMinutes: 30},
		} {
			before := attendance(t, st, si.ID)
			if _, err := st.ImportParticipants(ctx, si.ID, rep, opt); err == nil {
				t.Errorf("%s: no error", name)
			}
			if after := attendance(t, st, si.ID); fmt.Sprint(after) != fmt.Sprint(before) {
				t.Errorf("%s changed the attendance: %v", name, after)
			}
		}
	})

	t.Run("RememberedEmail", func(t *testing.T) {
		other := onlineSession(t, st, domain.Hybrid)
		res, err := st.PreviewParticipants(ctx, other.ID, report(t, other, zoom(
			[4]string{"Ana (celular)", "Ana.Fernandez@gmail.com", "10:00", "12:00"})), storage.ParticipantOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if l := res.Lines[0]; l.By != storage.ByRemembered || l.Person.DNI != "22000222" {
			t.Errorf("line %+v", l)
		}
	})

	t.Run("CorrectedReport", func(t *testing.T) {
		corrected := zoom(
			[4]string{"María José Núñez", "mjnunez@anses.gob.ar", "10:00", "11:00"},
			[4]string{"Lucía - 25.000.666", "", "10:00", "11:45"},
		)
		res, err := st.ImportParticipants(ctx, si.ID, report(t, si, corrected), storage.ParticipantOptions{MinMinutes: 60})
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[string]string{}
		for _, c := range res.Changes {
			kinds[c.Person.DNI] = fmt.Sprintf("%s %s→%s %d→%d", c.Kind, c.OldStatus, c.Status, c.OldMinutes, c.Minutes)
		}
		want := map[string]string{
			"20123456": "updated presente→presente 121→60",
			"25000666": "updated ausente→presente 30→105",
			"21000111": "dropped presente→ausente 95→0",
			"24000555": "dropped presente→ausente 120→0",
			"22000222": "dropped presente→ausente 120→0",
			"30111222": "dropped presente→ausente 120→0",
		}
		if fmt.Sprint(kinds) != fmt.Sprint(want) {
			t.Errorf("changes:\n got %v\nwant %v", kinds, want)
		}
	})

	t.Run("ClosedOrPresencial", func(t *testing.T) {
		if _, err := st.CloseSession(ctx, si.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := st.ImportParticipants(ctx, si.ID, rep, storage.ParticipantOptions{}); !errors.Is(err, domain.ErrClosed) {
			t.Errorf("closed session: %v", err)
		}
		room := newSession(t, st, "CH-1")
		_, err := st.PreviewParticipants(ctx, room.ID, rep, storage.ParticipantOptions{})
		if de, ok := errors.AsType[*domain.Error](err); !ok || de.Code != "session_presencial" {
			t.Errorf("presencial session: %v", err)
		}
	})
}

// TestParticipantsHybridInRoom: in a hybrid session a person checked in in
// the room is left as checked in.
func TestParticipantsHybridInRoom(t *testing.T) {
	st, _ := onlineStore(t)
	si := onlineSession(t, st, domain.Hybrid)
	if _, err := st.CheckIn(ctx, si.ID, "21000111", storage.CheckInOptions{}); err != nil {
		t.Fatal(err)
	}
	res, err := st.ImportParticipants(ctx, si.ID, report(t, si, zoom([4]string{"Pedro Muñoz", "", "10:00", "10:10"})), storage.ParticipantOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Changes) != 1 || res.Changes[0].Kind != storage.ChangeInRoom {
		t.Errorf("changes %+v", res.Changes)
	}
	if got := attendance(t, st, si.ID); got["21000111"] != "presente -1 typed" {
		t.Errorf("attendance %v", got)
	}
}

// TestParticipantsPlainCSV: a plain CSV's DNI column and email match.
func TestParticipantsPlainCSV(t *testing.T) {
	st, si := onlineStore(t)
	rep := report(t, si, "DNI;Correo;Minutos\n23.000.444;;100\n;mjnunez@anses.gob.ar;60\n99888777;;120\n")
	res, err := st.ImportParticipants(ctx, si.ID, rep, storage.ParticipantOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"23000444": "presente 100 import", "20123456": "ausente 60 import"}
	if got := attendance(t, st, si.ID); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("attendance %v, want %v", got, want)
	}
	if un := res.Unmatched(); len(un) != 1 || un[0].FoundDNI != "99888777" || un[0].Name != "99888777" {
		t.Errorf("unmatched %+v", un)
	}
}
