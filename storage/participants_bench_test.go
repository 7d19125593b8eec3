package storage_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/storage/demo"
	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/storage/participants"
)

// benchReport is a 5,000-row Zoom export for people of the 500,000-person
// bench roster: a fifth with their email, a fifth with a DNI in the name,
// a fifth by full name only, a fifth rejoining from another device, and a
// fifth nobody on the roster. The demo roster's emails (given.surname@)
// and names repeat among 500,000 people, so many rows end as candidates:
// the slower path, as each then also tries the DNI and the name lookups.
func benchReport(rows int) []byte {
	var b bytes.Buffer
	b.WriteString("\ufeffName (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\r\n")
	at := func(min int) string {
		return time.Date(2026, 11, 27, 10, min, 0, 0, time.UTC).Format("01/02/2006 03:04:05 PM")
	}
	for i := range rows {
		p := demo.Person((i*97)%benchPeople, 7)
		name, email := p.GivenNames+" "+p.Surname, ""
		switch i % 5 {
		case 0:
			email = p.Email
		case 3: // the person of two rows up again, from another device
			p = demo.Person(((i-3)*97)%benchPeople, 7)
			name, email = p.GivenNames+" "+p.Surname, p.Email
		case 1:
			name += " - " + p.DNI
		case 4:
			name = fmt.Sprintf("Invitado %d", i)
		}
		fmt.Fprintf(&b, "%s,%s,%s,%s,%d,No\r\n", name, email, at(i%20), at(40+i%19), 40)
	}
	return b.Bytes()
}

// BenchmarkParticipants5000 reads a 5,000-row report and matches it
// against the 500,000-person roster (the preview the app shows).
func BenchmarkParticipants5000(b *testing.B) {
	st := bigStore(b)
	s, err := st.CreateSession(ctx, domain.Session{ActivityCode: "VI-CIBER-01", Date: "2026-11-27", Start: "10:00",
		End: "11:00", Province: "Salta", Modality: domain.Remote})
	if err != nil {
		b.Fatal(err)
	}
	data := benchReport(5000)
	day := storage.ParticipantsDay(s)
	var res *storage.ParticipantsResult
	for b.Loop() {
		rep, err := participants.Parse(bytes.NewReader(data), day)
		if err != nil {
			b.Fatal(err)
		}
		if res, err = st.PreviewParticipants(ctx, s.ID, rep, storage.ParticipantOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(res.Matched), "matched")
	b.ReportMetric(float64(len(res.Unmatched())), "unmatched")
}
