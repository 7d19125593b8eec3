package registry_test

import (
	"database/sql"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"github.com/puntos-ar/puntos/storage/registry"
	"github.com/puntos-ar/puntos/storage/registry/pgtest"
)

// TestMigrationsAlike: both dialects have one history: the same numbered
// steps, each with the same name.
func TestMigrationsAlike(t *testing.T) {
	names := func(dir string) []string {
		files, err := filepath.Glob(filepath.Join("migrations", dir, "*.sql"))
		if err != nil || len(files) == 0 {
			t.Fatalf("%s migrations: %v %v", dir, files, err)
		}
		for i := range files {
			files[i] = filepath.Base(files[i])
		}
		return files
	}
	if lite, pg := names("sqlite"), names("postgres"); !slices.Equal(lite, pg) {
		t.Fatalf("migrations differ:\nsqlite   %v\npostgres %v", lite, pg)
	}
}

// TestSchemasAlike: after the migrations, PostgreSQL has the same tables
// with the same columns as SQLite (a step written for one dialect only
// fails here). It needs PostgreSQL (make test runs it there).
func TestSchemasAlike(t *testing.T) {
	if !pgtest.Enabled() {
		t.Skip("needs PostgreSQL: run with " + pgtest.EnvEngine + "=postgres (make test does)")
	}
	dir := t.TempDir()
	lite, err := registry.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	lite.Close()
	pgURL := pgtest.DB(t, dir)
	pgStore, err := registry.OpenURL(t.Context(), pgURL)
	if err != nil {
		t.Fatal(err)
	}
	pgStore.Close()

	columns := func(db *sql.DB, query string) map[string]string {
		rows, err := db.Query(query)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		cols := map[string][]string{}
		for rows.Next() {
			var table, col string
			if err := rows.Scan(&table, &col); err != nil {
				t.Fatal(err)
			}
			cols[table] = append(cols[table], col)
		}
		out := map[string]string{}
		for table, c := range cols {
			slices.Sort(c)
			out[table] = strings.Join(c, ",")
		}
		return out
	}
	ldb, err := sql.Open("sqlite", filepath.Join(dir, registry.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer ldb.Close()
	want := columns(ldb, `SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`)
	pdb, err := sql.Open("pgx", pgURL)
	if err != nil {
		t.Fatal(err)
	}
	defer pdb.Close()
	got := columns(pdb, `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = 'public' AND table_name <> 'schema_version'`)
	for table, cols := range want {
		if got[table] != cols {
			t.Errorf("table %s: postgres has columns %q, sqlite %q", table, got[table], cols)
		}
	}
	for table := range got {
		if _, ok := want[table]; !ok {
			t.Errorf("table %s is in postgres only", table)
		}
	}
	if len(want) < 20 {
		t.Errorf("only %d tables in sqlite: %v", len(want), want)
	}
}

// TestMigrateTogether: instances that start together on an empty
// PostgreSQL database each apply the schema once (under the migrations'
// advisory lock), and a database newer than the program is refused.
func TestMigrateTogether(t *testing.T) {
	if !pgtest.Enabled() {
		t.Skip("needs PostgreSQL: run with " + pgtest.EnvEngine + "=postgres (make test does)")
	}
	u := pgtest.DB(t, t.TempDir())
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			st, err := registry.OpenURL(t.Context(), u)
			if err == nil {
				err = st.Close()
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	db, err := sql.Open("pgx", u)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var version int
	if err := db.QueryRow(`SELECT version FROM schema_version`).Scan(&version); err != nil {
		t.Fatal(err)
	}
	steps, _ := filepath.Glob(filepath.Join("migrations", "postgres", "*.sql"))
	if version != len(steps) {
		t.Errorf("schema version %d, want %d", version, len(steps))
	}
	if _, err := db.Exec(`UPDATE schema_version SET version = version + 1`); err != nil {
		t.Fatal(err)
	}
	if _, err := registry.OpenURL(t.Context(), u); err == nil || !strings.Contains(err.Error(), "update Puntos") {
		t.Errorf("a newer database: %v", err)
	}
}
