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
