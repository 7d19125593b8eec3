package registry_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/puntos-ar/puntos/storage/demo"
	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/storage/registry"
	"github.com/puntos-ar/puntos/storage/registry/pgtest"
	"github.com/puntos-ar/puntos/storage/registry/registrytest"
	"github.com/puntos-ar/puntos/sync/wire"
)

// needPostgres skips a test that copies into PostgreSQL when the tests run
// on SQLite only; with PUNTOS_TEST_DB=postgres it always runs.
func needPostgres(t *testing.T) {
	t.Helper()
	if !pgtest.Enabled() {
		t.Skip("migrate copies into PostgreSQL: run with PUNTOS_TEST_DB=postgres")
	}
}

// fullRegistry fills an SQLite registry in dir through the store's own
// flows so that every table has rows: catalog and roster, an unused
// enrollment code, a device with a signing key, batches with sessions,
// attendances, a certificate, a survey, a rejected walk-in and a
// conflict, a staff account with a session, the conflict accepted (a
// decision, a replaced version, a reversal), a reversal by staff, a
// rate-limit counter and the folded names of a search.
func fullRegistry(t *testing.T, dir string) *registry.Store {
	t.Helper()
	ctx := t.Context()
	st, err := registry.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	st.Now = func() time.Time { return now }
	if _, err := st.ImportCatalog(ctx, strings.NewReader(demo.Catalog)); err != nil {
		t.Fatal(err)
	}
	if _, err := st.ImportRoster(ctx, strings.NewReader(registrytest.RosterCSV)); err != nil {
		t.Fatal(err)
	}
	registrytest.Code(t, st, "Oficina sin usar", "Salta", now)
	if _, _, err := st.SigningKey(ctx, nil); err != nil { // the registry's own, as serve makes it
		t.Fatal(err)
	}
	dev := registrytest.Device(t, st, "dev-1", "Notebook", "Delegación Tandil", "Buenos Aires", now)
	if err := st.SetSigningKey(ctx, dev.ID, "kid-dev-1", make([]byte, 32)); err != nil {
		t.Fatal(err)
	}
	b1 := registrytest.Batch("b-1")
	b1.Sessions = []wire.SessionRecord{registrytest.Session("s-1", "TA-LENG-01", "2026-03-19")}
	b1.Attendances = []wire.AttendanceRecord{
		registrytest.Attendance("a-1", "s-1", "20123456", "presente"),
		registrytest.Attendance("a-2", "s-1", "20123457", "presente"),
	}
	b1.Certificates = []wire.CertificateRecord{{Code: domain.NewCode(), AttendanceID: "a-1", Kind: domain.KindAttendance, IssuedAt: now}}
	b1.Surveys = []wire.SurveyRecord{{SessionID: "s-1", Value: domain.SurveyCounts{0, 0, 0, 1, 1}, Use: domain.SurveyCounts{0, 0, 1, 1, 0},
		Comments: []string{"Muy clara"}}}
	b1.People = []wire.PersonRecord{{DNI: "1234", Surname: "FERREYRA", GivenNames: "Noemí"}} // rejected: not a DNI
	ingestAt(t, st, dev, b1)
	b2 := registrytest.Batch("b-2")
	b2.Attendances = []wire.AttendanceRecord{registrytest.Attendance("a-1", "s-1", "20123456", "ausente")} // a conflict
	ingestAt(t, st, dev, b2)
	d, err := st.BatchDetail(ctx, "b-2", wire.StaffScope{})
	if err != nil || len(d.Records) != 1 || d.Records[0].ReviewID == 0 {
		t.Fatalf("detail %+v %v", d, err)
	}
	if _, err := st.ResolveReview(ctx, d.Records[0].ReviewID, wire.ReviewDecision{Decision: wire.DecisionAccept, Reason: "estaba ausente"},
		wire.StaffScope{}, wire.StaffAction{Actor: "rita"}); err != nil {
		t.Fatal(err)
	}
	l, err := st.Ledger(ctx, "20123457", 2026)
	if err != nil || len(l) != 1 {
		t.Fatalf("ledger %+v %v", l, err)
	}
	if _, err := st.ReverseEntry(ctx, l[0].ID, wire.StaffScope{}, wire.StaffAction{Actor: "rita", Reason: "error de carga"}); err != nil {
		t.Fatal(err)
	}
	addStaff(t, st, "rita", wire.RoleReviewer, "")
	if err := st.StartStaffSession(ctx, wire.StaffSessionRecord{TokenHash: []byte("token-hash-0123456789012345678901"), Username: "rita",
		CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if err := st.CountFailure(ctx, "login:abc", time.Minute, now); err != nil {
		t.Fatal(err)
	}
	if ps, err := st.FindPeople(ctx, "gonzalez", 2026, 10, wire.StaffScope{}); err != nil || len(ps) != 1 {
		t.Fatalf("find %+v %v", ps, err)
	}
	return st
}

func ingestAt(t *testing.T, st *registry.Store, dev wire.EnrolledDevice, b *wire.Batch) {
	t.Helper()
	if _, err := st.Ingest(t.Context(), wire.IngestRequest{Batch: b, Device: dev, Source: wire.SourceHTTP, ReceivedAt: now}); err != nil {
		t.Fatal(err)
	}
}

// tableDigests reads every table of the database at dsn (driver "sqlite"
// or "pgx"; PostgreSQL's schema_version left out) and returns, per table,
// its row count and a digest of its rows rendered as text and sorted, so
// that both engines compare alike.
func tableDigests(t *testing.T, driver, dsn string) map[string]string {
	t.Helper()
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := t.Context()
	listQuery := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'`
	colQuery := `SELECT name, type FROM pragma_table_info(?) ORDER BY cid`
	if driver == "pgx" {
		listQuery = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name <> 'schema_version'`
		colQuery = `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY column_name`
	}
	tables := strs(t, db, listQuery)
	out := map[string]string{}
	for _, table := range tables {
		rows, err := db.QueryContext(ctx, colQuery, table)
		if err != nil {
			t.Fatal(err)
		}
		var cols []string
		for rows.Next() {
			var name, typ string
			if err := rows.Scan(&name, &typ); err != nil {
				t.Fatal(err)
			}
			if typ == "json" {
				name += "::text"
			}
			cols = append(cols, name)
		}
		rows.Close()
		slices.Sort(cols) // the same order on both sides
		lines := rowsText(t, db, `SELECT `+strings.Join(cols, ", ")+` FROM `+table)
		slices.Sort(lines)
		sum := sha256.Sum256([]byte(strings.Join(lines, "\n")))
		out[table] = fmt.Sprintf("%d rows %x", len(lines), sum[:8])
	}
	return out
}

func strs(t *testing.T, db *sql.DB, query string) []string {
	t.Helper()
	var out []string
	for _, l := range rowsText(t, db, query) {
		s, err := strconv.Unquote(l)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// rowsText returns the rows of query, each as its values in text.
func rowsText(t *testing.T, db *sql.DB, query string) []string {
	t.Helper()
	rows, err := db.QueryContext(t.Context(), query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var out []string
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		parts := make([]string, len(vals))
		for i, v := range vals {
			switch x := v.(type) {
			case nil:
				parts[i] = "NULL"
			case int64:
				parts[i] = strconv.FormatInt(x, 10)
			case float64:
				parts[i] = strconv.FormatFloat(x, 'g', -1, 64)
			case string:
				parts[i] = strconv.Quote(x)
			case []byte:
				parts[i] = "x" + hex.EncodeToString(x)
			default:
				t.Fatalf("%s: a %T value", query, v)
			}
		}
		out = append(out, strings.Join(parts, ","))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestCopyFromSQLite(t *testing.T) {
	needPostgres(t)
	ctx := t.Context()
	srcDir := t.TempDir()
	src := fullRegistry(t, srcDir)
	srcPath := filepath.Join(srcDir, registry.FileName)
	want := tableDigests(t, "sqlite", srcPath)
	for table, d := range want {
		if strings.HasPrefix(d, "0 rows") {
			t.Errorf("table %s is empty in the fixture: give fullRegistry a flow that fills it", table)
		}
	}
	if len(want) < 20 {
		t.Fatalf("only %d tables in the SQLite file: %v", len(want), want)
	}
	url := pgtest.DB(t, t.TempDir())
	dst, err := registry.OpenURL(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	dst.Now = func() time.Time { return now }

	var progress []string
	copyAll := func(opt registry.CopyOptions) (registry.CopyReport, error) {
		progress = nil
		opt.Progress = func(table string, done, total int64) {
			progress = append(progress, fmt.Sprintf("%s %d/%d", table, done, total))
		}
		return dst.CopyFrom(ctx, src, opt)
	}
	check := func(rep registry.CopyReport) {
		t.Helper()
		if got := tableDigests(t, "pgx", url); !reflect.DeepEqual(got, want) {
			for table := range want {
				if got[table] != want[table] {
					t.Errorf("%s: PostgreSQL %s, SQLite %s", table, got[table], want[table])
				}
			}
			for table := range got {
				if _, ok := want[table]; !ok {
					t.Errorf("%s: in PostgreSQL only", table)
				}
			}
		}
		if len(rep.Tables) != len(want) {
			t.Errorf("report has %d tables, want %d", len(rep.Tables), len(want))
		}
		for _, tc := range rep.Tables {
			if d := fmt.Sprintf("%d rows", tc.Source); tc.Source != tc.Copied || !strings.HasPrefix(want[tc.Table], d+" ") {
				t.Errorf("report %+v, SQLite has %s", tc, want[tc.Table])
			}
			if last := fmt.Sprintf("%s %d/%d", tc.Table, tc.Source, tc.Source); !slices.Contains(progress, last) {
				t.Errorf("no progress %q in %v", last, progress)
			}
		}
	}
	rep, err := copyAll(registry.CopyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	check(rep)
	if rep.Replaced {
		t.Error("an empty database reported replaced")
	}
	// A rerun copies the same again.
	if rep, err = copyAll(registry.CopyOptions{}); err != nil {
		t.Fatalf("rerun: %v", err)
	}
	check(rep)

	// The copy works: the same ledger, and new batches, reviews, decisions
	// and audit entries get new IDs.
	for _, dni := range []string{"20123456", "20123457"} {
		a, err1 := src.Ledger(ctx, dni, 0)
		b, err2 := dst.Ledger(ctx, dni, 0)
		if err1 != nil || err2 != nil || len(a) == 0 || !reflect.DeepEqual(a, b) {
			t.Errorf("ledger of %s: SQLite %+v %v, PostgreSQL %+v %v", dni, a, err1, b, err2)
		}
	}
	dev, err := dst.Device(ctx, "dev-1")
	if err != nil {
		t.Fatal(err)
	}
	b3 := registrytest.Batch("b-3")
	b3.Sessions = []wire.SessionRecord{registrytest.Session("s-2", "TA-EXCEL-02", "2026-03-19")}
	b3.Attendances = []wire.AttendanceRecord{registrytest.Attendance("a-3", "s-2", "20123458", "presente"),
		registrytest.Attendance("a-4", "s-2", "30999888", "presente")} // unknown DNI: rejected
	ingestAt(t, dst, dev, b3)
	b4 := registrytest.Batch("b-4")
	b4.Attendances = []wire.AttendanceRecord{registrytest.Attendance("a-3", "s-2", "20123458", "ausente")}
	ingestAt(t, dst, dev, b4)
	d, err := dst.BatchDetail(ctx, "b-4", wire.StaffScope{})
	if err != nil || len(d.Records) != 1 {
		t.Fatalf("detail %+v %v", d, err)
	}
	if _, err := dst.ResolveReview(ctx, d.Records[0].ReviewID, wire.ReviewDecision{Decision: wire.DecisionAccept, Reason: "ausente"},
		wire.StaffScope{}, wire.StaffAction{Actor: "rita"}); err != nil {
		t.Fatalf("resolve after the copy: %v", err)
	}
	if l, err := dst.Ledger(ctx, "20123458", 2026); err != nil || len(l) != 2 || l[0].ID <= maxLedgerID(t, src) {
		t.Errorf("new ledger entries %+v %v", l, err)
	}
	addStaff(t, dst, "nuevo", wire.RoleViewer, "")

	// Now PostgreSQL has served: a copy is refused and changes nothing,
	// unless told to replace.
	served := tableDigests(t, "pgx", url)
	_, err = copyAll(registry.CopyOptions{})
	var inUse *registry.InUseError
	if !errors.As(err, &inUse) || inUse.Extra["batches"] != 2 || inUse.Extra["ledger"] != 2 || inUse.Extra["audit"] == 0 {
		t.Fatalf("copy over a serving registry: %v, want InUseError with 2 batches and 2 ledger entries", err)
	}
	if got := tableDigests(t, "pgx", url); !reflect.DeepEqual(got, served) {
		t.Errorf("the refused copy changed PostgreSQL")
	}
	// A copy cut short (here after the ledger) leaves it as it was too.
	cut, cancel := context.WithCancel(ctx)
	_, err = dst.CopyFrom(cut, src, registry.CopyOptions{Replace: true, Progress: func(table string, _, _ int64) {
		if table == "ledger" {
			cancel()
		}
	}})
	cancel()
	if err == nil {
		t.Fatal("a canceled copy succeeded")
	}
	if got := tableDigests(t, "pgx", url); !reflect.DeepEqual(got, served) {
		t.Errorf("the canceled copy changed PostgreSQL")
	}
	rep, err = copyAll(registry.CopyOptions{Replace: true})
	if err != nil || !rep.Replaced {
		t.Fatalf("replace: %+v %v", rep, err)
	}
	check(rep)
}

func maxLedgerID(t *testing.T, st *registry.Store) int64 {
	t.Helper()
	var id int64
	for _, dni := range []string{"20123456", "20123457"} {
		l, err := st.Ledger(t.Context(), dni, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range l {
			id = max(id, e.ID)
		}
	}
	return id
}

// TestCopyFromSchemaMismatch checks that a table or column on one side
// only, or another schema version, is refused before PostgreSQL is
// touched.
func TestCopyFromSchemaMismatch(t *testing.T) {
	needPostgres(t)
	ctx := t.Context()
	srcDir := t.TempDir()
	src, err := registry.Open(srcDir)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if _, err := src.ImportCatalog(ctx, strings.NewReader(demo.Catalog)); err != nil {
		t.Fatal(err)
	}
	if err := src.Exec(ctx, `CREATE TABLE only_here (x TEXT)`); err != nil {
		t.Fatal(err)
	}
	url := pgtest.DB(t, t.TempDir())
	dst, err := registry.OpenURL(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	refused := func(want string) {
		t.Helper()
		_, err := dst.CopyFrom(ctx, src, registry.CopyOptions{})
		var se *registry.SchemaError
		if !errors.As(err, &se) || !strings.Contains(se.Detail, want) {
			t.Errorf("got %v, want a SchemaError saying %q", err, want)
		}
		if _, err := dst.Activity(ctx, "TA-LENG-01"); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("PostgreSQL was touched: %v", err)
		}
	}
	refused("table only_here is in the SQLite file but not in PostgreSQL")
	if err := src.Exec(ctx, `DROP TABLE only_here`); err != nil {
		t.Fatal(err)
	}
	pg, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	for _, c := range []struct{ change, undo, want string }{
		{`ALTER TABLE staff ADD COLUMN phone text`, `ALTER TABLE staff DROP COLUMN phone`,
			"columns in the SQLite file and"}, // one more in PostgreSQL
		{`ALTER TABLE staff RENAME COLUMN name TO full_name`, `ALTER TABLE staff RENAME COLUMN full_name TO name`,
			"column staff.name is in the SQLite file but not in PostgreSQL"},
		{`CREATE TABLE only_there (x text)`, `DROP TABLE only_there`, "table only_there is in PostgreSQL but not in the SQLite file"},
		{`UPDATE schema_version SET version = version + 1`, `UPDATE schema_version SET version = version - 1`,
			"the SQLite file is at schema version"},
	} {
		if _, err := pg.ExecContext(ctx, c.change); err != nil {
			t.Fatal(err)
		}
		refused(c.want)
		if _, err := pg.ExecContext(ctx, c.undo); err != nil {
			t.Fatal(err)
		}
	}
	// Undone, the copy goes.
	if _, err := dst.CopyFrom(ctx, src, registry.CopyOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := dst.Activity(ctx, "TA-LENG-01"); err != nil {
		t.Errorf("after the copy: %v", err)
	}
}

// BenchmarkMigrate copies an SQLite registry of 200,000 people and
// 1,000,000 ledger entries (with their sessions, attendances, outcomes and
// batches: BulkFill) into PostgreSQL; -short uses a tenth. The first
// iteration copies into an empty database, the next ones are reruns over
// the copy (which also compare the batches, ledger and audit first).
func BenchmarkMigrate(b *testing.B) {
	if !pgtest.Enabled() {
		b.Skip("migrate copies into PostgreSQL: run with PUNTOS_TEST_DB=postgres")
	}
	z := registry.BulkSizes{People: 200_000, Entries: 1_000_000, PerSess: 40, PerBatch: 4}
	if testing.Short() {
		z.People, z.Entries = 20_000, 100_000
	}
	src, err := registry.Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	start := time.Now()
	if err := src.BulkFill(b.Context(), z); err != nil {
		b.Fatal(err)
	}
	b.Logf("made the SQLite registry in %v", time.Since(start).Round(time.Second))
	dst, err := registry.OpenURL(b.Context(), pgtest.DB(b, b.TempDir()))
	if err != nil {
		b.Fatal(err)
	}
	defer dst.Close()
	var rows int64
	var times []string // how long each table took, in the first copy
	last := time.Now()
	progress := func(table string, done, total int64) {
		if done == total && rows == 0 {
			times = append(times, fmt.Sprintf("%s %d rows %v", table, total, time.Since(last).Round(time.Millisecond)))
			last = time.Now()
		}
	}
	b.ResetTimer()
	for b.Loop() {
		rep, err := dst.CopyFrom(b.Context(), src, registry.CopyOptions{Progress: progress})
		if err != nil {
			b.Fatal(err)
		}
		rows += rep.Rows()
	}
	b.Logf("first copy: %s", strings.Join(times, ", "))
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(rows)/float64(b.N), "rows/op")
}
