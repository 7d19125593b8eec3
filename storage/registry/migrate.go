package registry

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/puntos-ar/puntos/storage/internal/pgsql"
)

// CopyReport is what CopyFrom copied: every table with its rows in the
// SQLite file and in PostgreSQL after the copy (always equal: a copy
// whose counts differ is rolled back).
type CopyReport struct {
	Tables []TableCopy `json:"tables"`
	// Replaced is set when the destination held data that was not in
	// the SQLite file and CopyOptions.Replace allowed replacing it.
	Replaced bool          `json:"replaced"`
	Elapsed  time.Duration `json:"elapsed_ns"`
}

// TableCopy is one table of a CopyReport.
type TableCopy struct {
	Table  string `json:"table"`
	Source int64  `json:"source"`
	Copied int64  `json:"copied"`
}

// Rows returns how many rows the copy wrote, over every table.
func (r CopyReport) Rows() int64 {
	var n int64
	for _, t := range r.Tables {
		n += t.Copied
	}
	return n
}

// CopyOptions tune CopyFrom.
type CopyOptions struct {
	// Replace lets the copy replace a destination that has been serving
	// (see InUseError).
	Replace bool
	// Progress, when set, is called as each table is copied with the rows
	// written so far and the table's total; at least once per table, when
	// done == total.
	Progress func(table string, done, total int64)
}

// InUseError is CopyFrom's refusal of a destination that has been
// serving: it holds batches, ledger entries, audit entries or a signing
// key that are not in the SQLite file, which the copy would delete.
type InUseError struct {
	Extra map[string]int64 // table → rows not in the SQLite file
}

func (e *InUseError) Error() string {
	var parts []string
	for _, t := range servingTables {
		if n := e.Extra[t.table]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, t.table))
		}
	}
	return "the PostgreSQL registry has rows that are not in the SQLite file (" + strings.Join(parts, ", ") + "): it has been serving"
}

// SchemaError is CopyFrom's refusal of two stores whose schemas differ:
// another version, or a table or column on one side only (a migration
// missing in one dialect).
type SchemaError struct{ Detail string }

func (e *SchemaError) Error() string { return "the schemas differ: " + e.Detail }

// servingTables are the append-only records of a registry's work, with
// their key: a destination holding one of their rows that the SQLite file
// lacks (or holds otherwise) has served, and a copy would lose it. A
// destination whose rows of these are all in the file is empty or an
// earlier copy of it, and may be copied over.
var servingTables = []struct{ table, key string }{{"batches", "id"}, {"ledger", "id"}, {"audit", "id"},
	{"registry_keys", "purpose"}} // a key the file lacks may have signed statements

// copyProgressRows is how often CopyFrom reports progress within a table.
const copyProgressRows = 50_000

// CopyFrom copies every table of the SQLite registry src into this
// PostgreSQL store, in one PostgreSQL transaction: it locks and empties
// the tables, streams each with COPY (foreign keys and plain indexes
// dropped meanwhile and made again after: see dropForLoad), moves the
// identity sequences past the copied IDs and compares every table's count
// with the file's before committing, so that a copy that fails or is
// interrupted leaves PostgreSQL as it was and can be run again. The tables
// and columns are the file's (sqlite_master and PRAGMA table_info); both
// stores must be at the same schema version, with the same tables and
// columns (else a SchemaError). src is read in one read transaction, so it
// is copied as of one moment. A destination that has been serving (see
// InUseError) is refused unless opt.Replace.
func (s *Store) CopyFrom(ctx context.Context, src *Store, opt CopyOptions) (CopyReport, error) {
	start := time.Now()
	if !s.pg || src.pg {
		return CopyReport{}, errors.New("CopyFrom copies an SQLite registry into a PostgreSQL one")
	}
	// A read transaction: one snapshot of the file, which does not stop a
	// registry still serving from it (what it stores meanwhile is not
	// copied).
	stx, err := src.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return CopyReport{}, err
	}
	defer stx.Rollback()
	tables, err := sqliteTables(ctx, stx)
	if err != nil {
		return CopyReport{}, fmt.Errorf("read the SQLite schema: %w", err)
	}
	var rep CopyReport
	err = pgsql.Raw(ctx, s.db, func(conn *pgx.Conn) error {
		tx, err := conn.Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx)
		if err := checkSchema(ctx, stx, tx, tables); err != nil {
			return err
		}
		names := make([]string, len(tables))
		for i, t := range tables {
			names[i] = pgx.Identifier{t.name}.Sanitize()
		}
		list := strings.Join(names, ", ")
		// Instances still serving wait for the copy, and it sees no write
		// of theirs half done.
		if _, err := tx.Exec(ctx, `LOCK TABLE `+list+` IN ACCESS EXCLUSIVE MODE`); err != nil {
			return fmt.Errorf("lock the tables: %w", err)
		}
		extra, err := servedRows(ctx, stx, tx, tables)
		if err != nil {
			return err
		}
		if len(extra) > 0 {
			if !opt.Replace {
				return &InUseError{Extra: extra}
			}
			rep.Replaced = true
		}
		restore, err := dropForLoad(ctx, tx, "")
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `TRUNCATE `+list+` RESTART IDENTITY`); err != nil {
			return fmt.Errorf("empty the tables: %w", err)
		}
		for _, t := range tables {
			n, err := copyTable(ctx, stx, tx, t, opt.Progress)
			if err != nil {
				return fmt.Errorf("copy %s: %w", t.name, err)
			}
			rep.Tables = append(rep.Tables, TableCopy{Table: t.name, Source: t.rows, Copied: n})
		}
		for _, q := range restore {
			if _, err := tx.Exec(ctx, q); err != nil {
				return fmt.Errorf("%s: %w", q, err)
			}
		}
		if err := resetIdentities(ctx, tx); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `ANALYZE `+list); err != nil {
			return err
		}
		for i, t := range rep.Tables {
			var n int64
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM `+names[i]).Scan(&n); err != nil {
				return err
			}
			if n != t.Source || t.Copied != t.Source {
				return fmt.Errorf("table %s: %d rows in the SQLite file, %d copied, %d in PostgreSQL: nothing was changed", t.Table, t.Source, t.Copied, n)
			}
		}
		return tx.Commit(ctx)
	})
	if err != nil {
		return CopyReport{}, err
	}
	rep.Elapsed = time.Since(start)
	return rep, nil
}

// copyTableInfo is a table of the SQLite file: its columns in order, their
// PostgreSQL types (filled by checkSchema) and its row count.
type copyTableInfo struct {
	name    string
	cols    []string
	pgTypes []string
	rows    int64
}

// sqliteTables returns the file's tables (not SQLite's own) with their
// columns and counts, ordered so that every table comes after the tables
// its foreign keys reference.
func sqliteTables(ctx context.Context, tx *sql.Tx) ([]copyTableInfo, error) {
	names, err := queryStrings(ctx, tx, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`)
	if err != nil {
		return nil, err
	}
	refs := map[string][]string{}
	byName := map[string]copyTableInfo{}
	for _, name := range names {
		t := copyTableInfo{name: name}
		if t.cols, err = queryStrings(ctx, tx, `SELECT name FROM pragma_table_info(?) ORDER BY cid`, name); err != nil {
			return nil, err
		}
		if refs[name], err = queryStrings(ctx, tx, `SELECT DISTINCT "table" FROM pragma_foreign_key_list(?)`, name); err != nil {
			return nil, err
		}
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM "`+name+`"`).Scan(&t.rows); err != nil {
			return nil, err
		}
		byName[name] = t
	}
	// Depth-first: referenced tables first (a table referencing itself,
	// as the ledger does, is satisfied within its own COPY).
	var out []copyTableInfo
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(string) error
	visit = func(name string) error {
		switch state[name] {
		case 1:
			return fmt.Errorf("the foreign keys of %s form a cycle", name)
		case 2:
			return nil
		}
		state[name] = 1
		for _, r := range refs[name] {
			if _, ok := byName[r]; ok && r != name {
				if err := visit(r); err != nil {
					return err
				}
			}
		}
		state[name] = 2
		out = append(out, byName[name])
		return nil
	}
	for _, name := range names {
		if err := visit(name); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// checkSchema compares the schema version and the tables and columns of
// both sides, and fills the tables' PostgreSQL column types.
func checkSchema(ctx context.Context, stx *sql.Tx, tx pgx.Tx, tables []copyTableInfo) error {
	var sv, pv int
	if err := stx.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&sv); err != nil {
		return err
	}
	if err := tx.QueryRow(ctx, `SELECT version FROM schema_version`).Scan(&pv); err != nil {
		return fmt.Errorf("read the PostgreSQL schema version: %w", err)
	}
	if sv != pv {
		return &SchemaError{Detail: fmt.Sprintf("the SQLite file is at schema version %d and PostgreSQL at %d", sv, pv)}
	}
	rows, err := tx.Query(ctx, `SELECT table_name, column_name, data_type FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name <> 'schema_version'`)
	if err != nil {
		return err
	}
	pgCols := map[string]map[string]string{} // table → column → type
	for rows.Next() {
		var t, c, typ string
		if err := rows.Scan(&t, &c, &typ); err != nil {
			rows.Close()
			return err
		}
		if pgCols[t] == nil {
			pgCols[t] = map[string]string{}
		}
		pgCols[t][c] = typ
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for i, t := range tables {
		cols, ok := pgCols[t.name]
		if !ok {
			return &SchemaError{Detail: fmt.Sprintf("table %s is in the SQLite file but not in PostgreSQL", t.name)}
		}
		delete(pgCols, t.name)
		if len(cols) != len(t.cols) {
			return &SchemaError{Detail: fmt.Sprintf("table %s has %d columns in the SQLite file and %d in PostgreSQL", t.name, len(t.cols), len(cols))}
		}
		tables[i].pgTypes = make([]string, len(t.cols))
		for j, c := range t.cols {
			typ, ok := cols[c]
			if !ok {
				return &SchemaError{Detail: fmt.Sprintf("column %s.%s is in the SQLite file but not in PostgreSQL", t.name, c)}
			}
			if _, err := convertFor(typ, nil); err != nil {
				return &SchemaError{Detail: fmt.Sprintf("column %s.%s: %v", t.name, c, err)}
			}
			tables[i].pgTypes[j] = typ
		}
	}
	if len(pgCols) > 0 {
		only := slices.Sorted(maps.Keys(pgCols))
		return &SchemaError{Detail: fmt.Sprintf("table %s is in PostgreSQL but not in the SQLite file", strings.Join(only, ", "))}
	}
	return nil
}

// servedRows counts, per table of servingTables, the destination's rows
// that the file does not hold alike, by merging both sides in key order
// (PostgreSQL ordering text bytewise, as SQLite does).
func servedRows(ctx context.Context, stx *sql.Tx, tx pgx.Tx, tables []copyTableInfo) (map[string]int64, error) {
	extra := map[string]int64{}
	for _, st := range servingTables {
		i := slices.IndexFunc(tables, func(t copyTableInfo) bool { return t.name == st.table })
		if i < 0 {
			return nil, &SchemaError{Detail: "table " + st.table + " is missing"}
		}
		t := tables[i]
		cols := `"` + strings.Join(t.cols, `", "`) + `"`
		key := slices.Index(t.cols, st.key)
		order := `"` + st.key + `"`
		if t.pgTypes[key] == "text" {
			order += ` COLLATE "C"`
		}
		prow, err := tx.Query(ctx, `SELECT `+cols+` FROM "`+t.name+`" ORDER BY `+order)
		if err != nil {
			return nil, err
		}
		srows, err := stx.QueryContext(ctx, `SELECT `+cols+` FROM "`+t.name+`" ORDER BY "`+st.key+`"`)
		if err != nil {
			prow.Close()
			return nil, err
		}
		src := newSourceRows(srows, t, nil)
		n, err := countExtra(prow, src, key)
		prow.Close()
		srows.Close()
		if err != nil {
			return nil, fmt.Errorf("compare %s: %w", t.name, err)
		}
		if n > 0 {
			extra[t.name] = n
		}
	}
	return extra, nil
}

// countExtra counts the rows of dst (ordered by column key) that src
// (ordered alike) lacks or holds with other values.
func countExtra(dst pgx.Rows, src *sourceRows, key int) (int64, error) {
	var n int64
	var cur []any
	more := src.Next()
	if more {
		cur, _ = src.Values()
	}
	for dst.Next() {
		row, err := dst.Values()
		if err != nil {
			return 0, err
		}
		for more && compareKey(cur[key], row[key]) < 0 {
			if more = src.Next(); more {
				cur, _ = src.Values()
			}
		}
		if !more || !sameRow(cur, row) {
			n++
		}
	}
	if err := dst.Err(); err != nil {
		return 0, err
	}
	return n, src.Err()
}

// sameRow reports whether two rows hold the same values.
func sameRow(a, b []any) bool {
	if len(a) != len(b) {
		return false
	}
	for i, x := range a {
		switch x := x.(type) {
		case []byte:
			y, ok := b[i].([]byte)
			if !ok || !bytes.Equal(x, y) {
				return false
			}
		default:
			if x != b[i] { // comparable: nil, int64, float64, string
				return false
			}
		}
	}
	return true
}

// compareKey orders two keys of the same column: integers by value, text
// bytewise.
func compareKey(a, b any) int {
	if x, ok := a.(int64); ok {
		if y, ok := b.(int64); ok {
			return cmpInt(x, y)
		}
	}
	return strings.Compare(fmt.Sprint(a), fmt.Sprint(b))
}

func cmpInt(x, y int64) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// copyTable streams table t from the file into PostgreSQL with COPY and
// returns how many rows it wrote.
func copyTable(ctx context.Context, stx *sql.Tx, tx pgx.Tx, t copyTableInfo, progress func(string, int64, int64)) (int64, error) {
	report := func(done int64) {
		if progress != nil {
			progress(t.name, done, t.rows)
		}
	}
	rows, err := stx.QueryContext(ctx, `SELECT "`+strings.Join(t.cols, `", "`)+`" FROM "`+t.name+`"`)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n, err := tx.CopyFrom(ctx, pgx.Identifier{t.name}, t.cols, newSourceRows(rows, t, func(done int64) {
		if done < t.rows {
			report(done)
		}
	}))
	if err != nil {
		return n, err
	}
	report(n)
	return n, nil
}

// sourceRows reads a table's rows from the file as COPY wants them: each
// value converted to its PostgreSQL column's Go type.
type sourceRows struct {
	rows     *sql.Rows
	conv     []func(any) (any, error)
	raw, out []any
	ptrs     []any
	done     int64
	report   func(int64)
	err      error
}

func newSourceRows(rows *sql.Rows, t copyTableInfo, report func(int64)) *sourceRows {
	r := &sourceRows{rows: rows, report: report, raw: make([]any, len(t.cols)), out: make([]any, len(t.cols)), ptrs: make([]any, len(t.cols))}
	for i, typ := range t.pgTypes {
		r.conv = append(r.conv, func(v any) (any, error) { return convertFor(typ, v) })
		r.ptrs[i] = &r.raw[i]
	}
	return r
}

// Next implements pgx.CopyFromSource.
func (r *sourceRows) Next() bool {
	if r.err != nil || !r.rows.Next() {
		return false
	}
	if r.err = r.rows.Scan(r.ptrs...); r.err != nil {
		return false
	}
	for i, v := range r.raw {
		if r.out[i], r.err = r.conv[i](v); r.err != nil {
			return false
		}
	}
	r.done++
	if r.report != nil && r.done%copyProgressRows == 0 {
		r.report(r.done)
	}
	return true
}

// Values implements pgx.CopyFromSource.
func (r *sourceRows) Values() ([]any, error) { return r.out, r.err }

// Err implements pgx.CopyFromSource.
func (r *sourceRows) Err() error {
	if r.err != nil {
		return r.err
	}
	return r.rows.Err()
}

// convertFor converts v, a value SQLite returned (int64, float64, string,
// []byte or nil), to the Go type of a PostgreSQL column of type typ; with
// v nil it only checks that typ is one it knows. NULL stays NULL.
func convertFor(typ string, v any) (any, error) {
	switch typ {
	case "bigint", "integer", "smallint", "double precision", "real", "text", "json", "bytea":
	default:
		return nil, fmt.Errorf("the PostgreSQL type %s is not one the copy knows", typ)
	}
	if v == nil {
		return nil, nil
	}
	if b, ok := v.([]byte); ok && typ != "bytea" {
		v = strings.TrimSpace(string(b)) // a number or text stored as a blob
	}
	switch x := v.(type) {
	case int64:
		switch typ {
		case "bigint", "integer", "smallint":
			return x, nil
		case "double precision", "real":
			return float64(x), nil
		case "text", "json":
			return strconv.FormatInt(x, 10), nil
		}
	case float64:
		switch typ {
		case "bigint", "integer", "smallint":
			if x == float64(int64(x)) {
				return int64(x), nil
			}
		case "double precision", "real":
			return x, nil
		case "text", "json":
			return strconv.FormatFloat(x, 'g', -1, 64), nil
		}
	case string:
		switch typ {
		case "bigint", "integer", "smallint":
			return strconv.ParseInt(strings.TrimSpace(x), 10, 64)
		case "double precision", "real":
			return strconv.ParseFloat(strings.TrimSpace(x), 64)
		case "text", "json": // pgx sends a string to a json column as the JSON text it is
			return x, nil
		case "bytea":
			return []byte(x), nil
		}
	case []byte:
		return x, nil // typ is bytea
	}
	return nil, fmt.Errorf("a %T value (%v) does not fit a %s column", v, v, typ)
}

// dropForLoad drops, inside tx, the foreign keys and the indexes that no
// constraint owns, of table (of every table when ""), and returns the
// statements that make them again: PostgreSQL then builds each index once
// and checks each foreign key with one join after the load, instead of
// row by row. Primary keys and unique constraints stay, so a duplicate
// still fails the load. Until tx ends the tables are locked.
func dropForLoad(ctx context.Context, tx pgx.Tx, table string) ([]string, error) {
	var drop, restore []string
	rows, err := tx.Query(ctx, `SELECT conrelid::regclass::text, quote_ident(conname), pg_get_constraintdef(oid)
		FROM pg_constraint WHERE contype = 'f' AND connamespace = current_schema()::regnamespace
		AND ($1 = '' OR conrelid::regclass::text = $1) ORDER BY 1, 2`, table)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var table, name, def string
		if err := rows.Scan(&table, &name, &def); err != nil {
			rows.Close()
			return nil, err
		}
		drop = append(drop, `ALTER TABLE `+table+` DROP CONSTRAINT `+name)
		restore = append(restore, `ALTER TABLE `+table+` ADD CONSTRAINT `+name+` `+def)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = tx.Query(ctx, `SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
		FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
		WHERE c.relnamespace = current_schema()::regnamespace AND ($1 = '' OR c.relname = $1)
		AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid) ORDER BY 1`, table)
	if err != nil {
		return nil, err
	}
	var indexes []string
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			rows.Close()
			return nil, err
		}
		drop = append(drop, `DROP INDEX `+name)
		indexes = append(indexes, def)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, q := range drop {
		if _, err := tx.Exec(ctx, q); err != nil {
			return nil, fmt.Errorf("%s: %w", q, err)
		}
	}
	return append(indexes, restore...), nil
}

// resetIdentities moves every identity column's sequence past the
// highest copied value, so that the next row gets a new ID.
func resetIdentities(ctx context.Context, tx pgx.Tx) error {
	rows, err := tx.Query(ctx, `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND is_identity = 'YES'`)
	if err != nil {
		return err
	}
	var idents [][2]string
	for rows.Next() {
		var t, c string
		if err := rows.Scan(&t, &c); err != nil {
			rows.Close()
			return err
		}
		idents = append(idents, [2]string{t, c})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, tc := range idents {
		table, col := pgx.Identifier{tc[0]}.Sanitize(), pgx.Identifier{tc[1]}.Sanitize()
		if _, err := tx.Exec(ctx, `SELECT setval(pg_get_serial_sequence($1, $2), coalesce((SELECT max(`+col+`) FROM `+table+`), 0) + 1, false)`,
			table, tc[1]); err != nil {
			return fmt.Errorf("reset the sequence of %s.%s: %w", tc[0], tc[1], err)
		}
	}
	return nil
}
