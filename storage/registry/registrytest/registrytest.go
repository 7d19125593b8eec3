// Package registrytest holds what the tests of several packages need
// from a real registry store: enrollment codes and enrolled devices made
// straight in the store, as the console would, and the audit log's
// actions. Only tests import it.
package registrytest

import (
	"context"
	"testing"
	"time"

	"github.com/puntos-ar/puntos/storage/registry"
	"github.com/puntos-ar/puntos/storage/registry/pgtest"
	"github.com/puntos-ar/puntos/sync/server"
	"github.com/puntos-ar/puntos/sync/wire"
)

// RosterCSV is a roster for staff tests: people in two provinces (one
// spelled "Bs. As."), one with no province, and markup in a name.
const RosterCSV = `DNI;CUIL;Apellido;Nombres;Organismo;Correo;Provincia
20123456;27201234560;GONZÁLEZ;María;ANSES;;Buenos Aires
20123457;;O'CONNOR;Juan <b>Pablo</b>;Ministerio de Salud;;Córdoba
20123458;;PÉREZ;Ana;Municipalidad;;
20123459;;ÑANCUCHEO;Rocío;ANSES;;Bs. As.
`

// Now is the registry's clock in the sync tests: 20 March 2026, 12:00 in
// Argentina.
var Now = time.Date(2026, 3, 20, 15, 0, 0, 0, time.UTC)

// Session is a closed in-person session record of activity on date, in
// Tandil, closed an hour before Now.
func Session(id, activity, date string) wire.SessionRecord {
	return wire.SessionRecord{ID: id, ActivityCode: activity, Date: date, Start: "09:00", End: "12:00",
		Province: "Buenos Aires", Municipality: "Tandil", Venue: "Centro Cultural", Instructor: "Lic. Benítez",
		Modality: "presencial", ClosedAt: Now.Add(-time.Hour)}
}

// Attendance is a typed attendance record, taken two hours before Now.
func Attendance(id, sessionID, dni, status string) wire.AttendanceRecord {
	return wire.AttendanceRecord{ID: id, SessionID: sessionID, DNI: dni, Status: status, Method: "typed", At: Now.Add(-2 * time.Hour)}
}

// Batch is an empty batch with the device clock at Now.
func Batch(id string) *wire.Batch {
	return &wire.Batch{Protocol: wire.Protocol, ID: id, DeviceClock: Now}
}

// console is the actor of what these helpers store.
var console = wire.StaffAction{Actor: registry.ConsoleActor}

// Code stores a one-time enrollment code for an office of province,
// created at now by the console, and returns the code.
func Code(tb testing.TB, st *registry.Store, office, province string, now time.Time) string {
	tb.Helper()
	code, enr, err := server.NewEnrollment(office, province, now)
	if err != nil {
		tb.Fatal(err)
	}
	if err := st.CreateEnrollmentBy(context.Background(), enr, console); err != nil {
		tb.Fatal(err)
	}
	return code
}

// Device enrolls a device with ID id and name, of an office of province,
// straight in the store at now, with a fresh token.
func Device(tb testing.TB, st *registry.Store, id, name, office, province string, now time.Time) wire.EnrolledDevice {
	tb.Helper()
	code := Code(tb, st, office, province, now)
	_, hash := server.NewToken()
	dev, err := st.RedeemEnrollment(context.Background(), wire.HashSecret(code), wire.EnrolledDevice{ID: id, Name: name, TokenHash: hash}, now)
	if err != nil {
		tb.Fatal(err)
	}
	return dev
}

// AuditActions returns the audit log's entries as "actor action", oldest
// first.
func AuditActions(tb testing.TB, st *registry.Store) []string {
	tb.Helper()
	p, err := st.AuditLog(context.Background(), "", 1000)
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	for i := len(p.Entries) - 1; i >= 0; i-- {
		out = append(out, p.Entries[i].Actor+" "+p.Entries[i].Action)
	}
	return out
}

// Open opens the registry whose data folder is dir on the engine the
// tests run on (see pgtest): the SQLite file in dir, or a PostgreSQL
// database kept for dir, so that opening dir again reopens the same
// registry. The store is closed when the test ends.
func Open(tb testing.TB, dir string) *registry.Store {
	tb.Helper()
	var st *registry.Store
	var err error
	if pgtest.Enabled() {
		st, err = registry.OpenURL(context.Background(), pgtest.DB(tb, dir))
	} else {
		st, err = registry.Open(dir)
	}
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return st
}
