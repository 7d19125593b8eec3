package wire_test

import (
	"time"

	"github.com/puntos-ar/puntos/sync/wire"
)

// now is the fuzz seeds' registry time.
var now = time.Date(2026, 3, 20, 15, 0, 0, 0, time.UTC)

// session, att and batch build the seed records.
func session(id, activity, date string) wire.SessionRecord {
	return wire.SessionRecord{ID: id, ActivityCode: activity, Date: date, Start: "09:00", End: "12:00",
		Province: "Buenos Aires", Municipality: "Tandil", Venue: "Centro Cultural", Instructor: "Lic. Benítez",
		Modality: "presencial", ClosedAt: now.Add(-time.Hour)}
}

func att(id, sessionID, dni, status string) wire.AttendanceRecord {
	return wire.AttendanceRecord{ID: id, SessionID: sessionID, DNI: dni, Status: status, Method: "typed", At: now.Add(-2 * time.Hour)}
}

func batch(id string) *wire.Batch {
	return &wire.Batch{Protocol: wire.Protocol, ID: id, DeviceClock: now}
}
