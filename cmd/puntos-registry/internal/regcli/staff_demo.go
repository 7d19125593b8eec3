package regcli

import (
	"errors"
	"fmt"
	"time"

	"github.com/puntos-ar/puntos/cmd/internal/cmdline"
	"github.com/puntos-ar/puntos/storage/demo"
	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/storage/registry"
	"github.com/puntos-ar/puntos/sync/server"
	"github.com/puntos-ar/puntos/sync/wire"
)

// The demo's staff account. Its password is fixed so a README can give
// it: it is for demonstrations only, and a real registry must not have
// it (staff disable central).
const (
	DemoStaffUser     = "central"
	DemoStaffPassword = "demo-central"
)

// demoDeviceID is the registry-side device that "sent" the demo batches.
const demoDeviceID = "0190demo-0000-7000-8000-00000000ba7c"

// demoStaff adds the demo staff account unless it is there.
func demoStaff(e *env, st *registry.Store) error {
	_, _, err := st.StaffAccount(e.ctx, DemoStaffUser)
	switch {
	case errors.Is(err, domain.ErrNotFound):
		hash, err := server.HashPassword(DemoStaffPassword)
		if err != nil {
			return err
		}
		if _, err := st.AddStaff(e.ctx, registry.NewStaff{Username: DemoStaffUser, Name: "Equipo central (demostración)",
			Role: wire.RoleAdmin, PasswordHash: hash}, consoleAction("demo")); err != nil {
			return fmt.Errorf("cuenta de demostración: %w", err)
		}
		fmt.Fprintf(e.stdout, "Cuenta del equipo central de demostración: usuario %s, contraseña %s (rol admin).\n", DemoStaffUser, DemoStaffPassword)
		fmt.Fprintf(e.stdout, "  SOLO PARA DEMOSTRACIÓN: en un registro real deshabilitala con «puntos-registry staff disable %s».\n", DemoStaffUser)
	case err != nil:
		return err
	default:
		fmt.Fprintf(e.stdout, "La cuenta de demostración %s ya existe (contraseña %s si no se cambió).\n", DemoStaffUser, DemoStaffPassword)
	}
	return nil
}

// staffDemo loads the example batches (after "demo", which loads the
// catalog and roster they use).
func staffDemo(e *env, st *registry.Store, args []string) error {
	if len(args) > 0 {
		return cmdline.Usagef("staff demo no lleva argumentos")
	}
	if _, err := st.Activity(e.ctx, "TA-LENG-01"); errors.Is(err, domain.ErrNotFound) {
		return errors.New("primero cargá el catálogo y el padrón de demostración con «puntos-registry demo»")
	}
	n, err := demoBatches(e, st)
	if err != nil {
		return fmt.Errorf("lotes de ejemplo: %w", err)
	}
	if n == 0 {
		fmt.Fprintln(e.stdout, "Los lotes de ejemplo ya estaban cargados.")
		return nil
	}
	fmt.Fprintf(e.stdout, "Lotes de ejemplo: %d, con registros rechazados y en conflicto para revisar en Ajustes → Central.\n", n)
	return nil
}

// demoBatches stores three example batches from a demo device, as if
// sent in the last two days: accepted attendances with certificates, a
// rejected walk-in and an unknown DNI, a session with a mistyped activity
// code and its attendances, a late report, and a conflict. It returns how
// many batches were new.
func demoBatches(e *env, st *registry.Store) (int, error) {
	now := st.Now().UTC()
	dev, err := st.Device(e.ctx, demoDeviceID)
	if errors.Is(err, domain.ErrNotFound) {
		code, enr, err := server.NewEnrollment("Delegación Tandil (lotes de ejemplo)", "Buenos Aires", now)
		if err != nil {
			return 0, err
		}
		if err := st.CreateEnrollmentBy(e.ctx, enr, consoleAction("demo")); err != nil {
			return 0, err
		}
		_, hash := server.NewToken() // nobody holds this token: the device only shows in the inbox
		if dev, err = st.RedeemEnrollment(e.ctx, wire.HashSecret(code),
			wire.EnrolledDevice{ID: demoDeviceID, Name: "Notebook de ejemplo", TokenHash: hash}, now); err != nil {
			return 0, err
		}
	} else if err != nil {
		return 0, err
	}
	day := func(t time.Time, days int) string { return wire.LocalDate(t).AddDate(0, 0, days).Format("2006-01-02") }
	person := func(i int) string { return demo.Person(i, demoSeed).DNI }
	statuses := []string{"presente", "presente", "tarde", "presente", "ausente", "presente", "justificado"}
	session := func(id, activity, date string, closed time.Time) wire.SessionRecord {
		return wire.SessionRecord{ID: id, ActivityCode: activity, Date: date, Start: "09:00", End: "12:00", Province: "Buenos Aires",
			Municipality: "Tandil", Venue: "Centro Cultural Municipal", Instructor: "Lic. Benítez", Modality: "presencial", ClosedAt: closed}
	}
	att := func(id, sessionID, dni, status string, at time.Time) wire.AttendanceRecord {
		return wire.AttendanceRecord{ID: id, SessionID: sessionID, DNI: dni, Status: status, Method: "typed", At: at}
	}

	t1 := now.Add(-48 * time.Hour)
	b1 := &wire.Batch{Protocol: wire.Protocol, ID: "demo-lote-1", DeviceClock: t1}
	b1.Sessions = []wire.SessionRecord{session("demo-s-1", "TA-LENG-01", day(t1, -1), t1.Add(-20*time.Hour))}
	for i := range 20 {
		b1.Attendances = append(b1.Attendances, att(fmt.Sprintf("demo-a-1-%02d", i), "demo-s-1", person(i), statuses[i%len(statuses)], t1.Add(-23*time.Hour)))
	}
	for i := range 3 {
		b1.Certificates = append(b1.Certificates, wire.CertificateRecord{Code: domain.NewCode(), AttendanceID: fmt.Sprintf("demo-a-1-%02d", i),
			Kind: domain.KindAttendance, IssuedAt: t1.Add(-19 * time.Hour)})
	}
	b1.People = []wire.PersonRecord{{DNI: "1234", Surname: "FERREYRA", GivenNames: "Noemí", Agency: "Municipalidad"}}
	b1.Attendances = append(b1.Attendances, att("demo-a-1-nr", "demo-s-1", "30999888", "presente", t1.Add(-23*time.Hour)))

	t2 := now.Add(-24 * time.Hour)
	b2 := &wire.Batch{Protocol: wire.Protocol, ID: "demo-lote-2", DeviceClock: t2}
	b2.Sessions = []wire.SessionRecord{
		session("demo-s-2", "TA-LENGUAJE-01", day(t2, -1), t2.Add(-20*time.Hour)),  // mistyped code: rejected
		session("demo-s-3", "CH-ETICA-02", day(t2, -15), t2.Add(-15*24*time.Hour)), // reported late
	}
	for i := range 8 {
		b2.Attendances = append(b2.Attendances, att(fmt.Sprintf("demo-a-2-%02d", i), "demo-s-2", person(20+i), "presente", t2.Add(-23*time.Hour)))
	}
	for i := range 10 {
		b2.Attendances = append(b2.Attendances, att(fmt.Sprintf("demo-a-3-%02d", i), "demo-s-3", person(30+i), statuses[i%len(statuses)],
			t2.Add(-15*24*time.Hour)))
	}

	b3 := &wire.Batch{Protocol: wire.Protocol, ID: "demo-lote-3", DeviceClock: now}
	// demo-a-1-04 arrived "ausente"; sent again "presente": a conflict.
	b3.Attendances = []wire.AttendanceRecord{
		att("demo-a-1-04", "demo-s-1", person(4), "presente", t1.Add(-23*time.Hour)),
		att("demo-a-1-05", "demo-s-1", person(5), statuses[5], t1.Add(-23*time.Hour)), // the same again: a duplicate
	}

	n := 0
	for _, in := range []struct {
		b  *wire.Batch
		at time.Time
	}{{b1, t1}, {b2, t2}, {b3, now}} {
		if _, err := st.Receipt(e.ctx, dev.ID, in.b.ID); err == nil {
			continue
		}
		if _, err := st.Ingest(e.ctx, wire.IngestRequest{Batch: in.b, Device: dev, Source: wire.SourceHTTP, ReceivedAt: in.at}); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
