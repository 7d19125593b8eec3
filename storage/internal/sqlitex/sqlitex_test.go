package sqlitex_test

import (
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"

	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/storage/internal/sqlitex"
)

func open(t *testing.T) *sql.DB {
	t.Helper()
	fsys := fstest.MapFS{"migrations/0001_init.sql": {Data: []byte(`CREATE TABLE activities(code TEXT PRIMARY KEY,
		title TEXT, type TEXT, hours REAL, points INTEGER, sessions INTEGER, threshold REAL, rule_version TEXT, seq INTEGER)`)}}
	db, err := sqlitex.OpenDir(filepath.Join(t.TempDir(), "data"), "x.db", fsys, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestActivitySaver(t *testing.T) {
	db := open(t)
	ctx := t.Context()
	saver := sqlitex.NewActivitySaver("seq")
	a := domain.Activity{Code: "X-1", Title: "Charla", Type: domain.Charla, Hours: 2, Points: 5, Sessions: 1, Threshold: 1, RuleVersion: "1"}
	save := func(a domain.Activity, seq int) (added, changed bool) {
		t.Helper()
		err := sqlitex.InTx(ctx, db, func(tx *sql.Tx) error {
			var err error
			added, changed, err = saver.Save(ctx, tx, a, seq)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return added, changed
	}
	if added, changed := save(a, 1); !added || !changed {
		t.Errorf("first save: added %v changed %v, want both", added, changed)
	}
	if added, changed := save(a, 2); added || changed {
		t.Errorf("same again: added %v changed %v, want neither", added, changed)
	}
	a.Points = 6
	if added, changed := save(a, 3); added || !changed {
		t.Errorf("changed: added %v changed %v, want changed only", added, changed)
	}
	got, err := sqlitex.Collect(ctx, db, nil, func(sc sqlitex.Scanner) (int, error) {
		var seq int
		err := sc.Scan(&seq)
		return seq, err
	}, `SELECT seq FROM activities`)
	if err != nil || len(got) != 1 || got[0] != 3 {
		t.Errorf("seq %v %v, want [3]", got, err)
	}
	stored, err := sqlitex.ScanActivity(db.QueryRowContext(ctx, `SELECT `+sqlitex.ActivityColumns+` FROM activities`))
	if err != nil || stored != a {
		t.Errorf("stored %+v %v, want %+v", stored, err, a)
	}
}

func TestStamp(t *testing.T) {
	at := time.Date(2026, 3, 19, 9, 30, 0, 123, time.FixedZone("ART", -3*3600))
	if got := sqlitex.ParseStamp(sqlitex.Stamp(at)); !got.Equal(at) || got.Location() != time.UTC {
		t.Errorf("round trip: got %v, want %v in UTC", got, at)
	}
	if got := sqlitex.NullStamp(sql.NullString{}); !got.IsZero() {
		t.Errorf("NULL: got %v, want the zero time", got)
	}
}

func TestOpenDBEmptyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := sqlitex.OpenDB(path)
	if e, ok := errors.AsType[*domain.Error](err); !ok || e.Code != domain.CodeDataFileEmpty || e.Field != path {
		t.Fatalf("got %v, want %s naming the file", err, domain.CodeDataFileEmpty)
	}
	if fi, err := os.Stat(path); err != nil || fi.Size() != 0 {
		t.Errorf("the file was touched: %v, %v", fi, err)
	}
	// A file SQLite wrote opens again.
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	db, err := sqlitex.OpenDB(path)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if db, err = sqlitex.OpenDB(path); err != nil {
		t.Fatalf("reopen: %v", err)
	}
	db.Close()
}
