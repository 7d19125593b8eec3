package server_test

import (
	"strings"
	"testing"

	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/sync/wire"
)

// rosterHas reports whether the roster feed a device pulls holds a
// person whose surname contains s.
func rosterHas(t *testing.T, dev *client, s string) bool {
	t.Helper()
	since := ""
	for range 100 {
		var p wire.RosterPage
		dev.do("GET", wire.PathRoster+"?since="+since, nil, nil).decode(t, &p)
		for _, person := range p.People {
			if strings.Contains(person.Surname, s) {
				return true
			}
		}
		if !p.More {
			return false
		}
		since = p.Next
	}
	t.Fatal("the roster feed does not end")
	return false
}

// TestTooLongFields pushes records with fields over their maxima over
// real HTTP: each is rejected with too_long naming the field, nothing of
// it is stored, and the roster feed never carries it.
func TestTooLongFields(t *testing.T) {
	e := newRegistry(t)
	dev := e.device("Buenos Aires")
	long := strings.Repeat("Ñ", domain.MaxSurname+1)

	b := batch("b-long")
	b.People = []wire.PersonRecord{
		{DNI: "30111222", Surname: long, GivenNames: "Lucía", Province: "Buenos Aires"},
		{DNI: "30111333", Surname: "RÍOS", GivenNames: "Ana", Agency: strings.Repeat("a", domain.MaxAgency+1)},
		{DNI: "30111444", Surname: "PAZ", GivenNames: "Luis", Province: "Buenos Aires"},
	}
	venue := session("s-venue", "TA-LENG-01", "2026-03-18")
	venue.Venue = strings.Repeat("v", domain.MaxVenue+1)
	instructor := session("s-instructor", "TA-LENG-01", "2026-03-18")
	instructor.Instructor = strings.Repeat("i", domain.MaxInstructor+1)
	b.Sessions = []wire.SessionRecord{venue, instructor, session("s-ok", "TA-LENG-01", "2026-03-18")}
	b.Attendances = []wire.AttendanceRecord{att("a-long", "s-ok", "20123456", strings.Repeat("p", 100))}
	rc := dev.mustPush(b)
	for _, w := range []struct{ kind, id, result, code string }{
		{wire.KindPerson, "30111222", wire.Rejected, wire.RejectTooLong},
		{wire.KindPerson, "30111333", wire.Rejected, wire.RejectTooLong},
		{wire.KindPerson, "30111444", wire.Accepted, ""},
		{wire.KindSession, "s-venue", wire.Rejected, wire.RejectTooLong},
		{wire.KindSession, "s-instructor", wire.Rejected, wire.RejectTooLong},
		{wire.KindSession, "s-ok", wire.Accepted, ""},
		{wire.KindAttendance, "a-long", wire.Rejected, wire.RejectTooLong},
	} {
		wantOutcome(t, rc, w.kind, w.id, w.result, w.code)
	}
	out := outcomes(rc)
	for id, words := range map[string][]string{
		"person:30111222":      {"100 caracteres", "apellido"},
		"person:30111333":      {"200 caracteres", "organismo"},
		"session:s-venue":      {"200 caracteres", "lugar"},
		"session:s-instructor": {"200 caracteres"},
	} {
		for _, w := range words {
			if !strings.Contains(out[id].Message, w) {
				t.Errorf("%s: message %q lacks %q", id, out[id].Message, w)
			}
		}
	}
	if rosterHas(t, dev, "ÑÑÑ") {
		t.Error("the roster feed carries the too-long surname")
	}
	if !rosterHas(t, dev, "PAZ") {
		t.Error("the roster feed lacks the valid walk-in")
	}

	// A 10 MB surname cannot even arrive: the body is over its limit.
	huge := batch("b-huge")
	huge.People = []wire.PersonRecord{{DNI: "30111555", Surname: strings.Repeat("X", 10<<20), GivenNames: "Ana"}}
	res, _ := dev.push(huge)
	if res.status != 413 || res.errorCode(t) != wire.CodeBodyTooLarge {
		t.Errorf("10 MB surname: status %d, want 413 %s: %s", res.status, wire.CodeBodyTooLarge, res.body)
	}

	// The registry's own roster import applies the same table.
	rep, err := e.st.ImportRoster(t.Context(), strings.NewReader("DNI;Apellido;Nombres;Provincia\n30111666;"+strings.Repeat("Z", 10<<20)+";Ana;Buenos Aires\n"))
	if err != nil || len(rep.Rejects) != 1 || rep.Rejects[0].Line != 2 || rep.Rejects[0].Field != "Apellido" {
		t.Fatalf("import: %+v, %v; want line 2, Apellido rejected", rep.Rejects, err)
	}
	if rosterHas(t, dev, "ZZZ") {
		t.Error("the roster feed carries the 10 MB surname")
	}
}
