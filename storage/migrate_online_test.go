package storage_test

import (
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/storage/internal/sqlitex"
)

// TestMigrateOnline upgrades a data file of schema 3 with a closed
// session, its attendance and certificate: migration 4 rebuilds the
// sessions table and everything still points at its session.
func TestMigrateOnline(t *testing.T) {
	dir := t.TempDir()
	db, err := sqlitex.OpenDB(filepath.Join(dir, storage.FileName))
	if err != nil {
		t.Fatal(err)
	}
	old := fstest.MapFS{}
	for _, name := range []string{"0001_init.sql", "0002_sync.sql", "0003_certificates.sql"} {
		body, err := os.ReadFile(filepath.Join("migrations", name))
		if err != nil {
			t.Fatal(err)
		}
		old[name] = &fstest.MapFile{Data: body}
	}
	if err := sqlitex.Migrate(ctx, db, old); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO activities(code, title, type, hours, points, rule_version, search_key, updated_at) VALUES ('CH-1','Charla','charla',2,2,'2026.1','charla','2026-11-01T00:00:00Z')`,
		`INSERT INTO people(dni, surname, given_names, name_key, given_key, updated_at) VALUES ('20123456','NÚÑEZ','María','nunez maria','maria nunez','2026-11-01T00:00:00Z')`,
		`INSERT INTO sessions(id, activity_code, date, province, municipality, modality, state, closed_at, created_at, sync_state)
			VALUES ('sess-0001','CH-1','2026-11-20','Salta','Cafayate','virtual','closed','2026-11-20T15:00:00Z','2026-11-20T12:00:00Z','accepted')`,
		`INSERT INTO attendances(id, session_id, dni, status, at, method) VALUES ('a-1','sess-0001','20123456','presente','2026-11-20T12:10:00Z','typed')`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()

	st, err := storage.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if v, _ := st.SchemaVersion(ctx); v < 4 {
		t.Fatalf("schema version %d", v)
	}
	si, err := st.Session(ctx, "sess-0001")
	if err != nil || si.Modality != domain.Remote || si.State != domain.Closed || si.SyncState != "accepted" || si.Attendees != 1 {
		t.Fatalf("session after migration: %+v, %v", si, err)
	}
	if err := st.ExecForTest(ctx, `INSERT INTO sessions(id, activity_code, date, province, municipality, modality, created_at)
		VALUES ('s-2','CH-1','2026-11-21','Salta','Cafayate','hibrida','2026-11-21T12:00:00Z')`); err != nil {
		t.Errorf("a hybrid session: %v", err)
	}
	if err := st.ExecForTest(ctx, `INSERT INTO sessions(id, activity_code, date, province, municipality, modality, created_at)
		VALUES ('s-3','CH-1','2026-11-21','Salta','Cafayate','remota','2026-11-21T12:00:00Z')`); err == nil {
		t.Error("the modality check is gone")
	}
	if err := st.ExecForTest(ctx, `INSERT INTO attendances(id, session_id, dni, status, at, method) VALUES ('a-2','nope','20123456','presente','2026-11-20T12:10:00Z','typed')`); err == nil {
		t.Error("the attendances' foreign key is gone")
	}
}
