// Package sqlitex holds the SQLite plumbing the device store (storage) and
// the registry store (storage/registry) share: opening a data file with
// the house pragmas, migrations, transactions, time stamps and the
// activity rows both schemas have. It is internal to storage, so SQL
// stays in the stores.
package sqlitex

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/puntos-ar/puntos/storage/domain"
)

// DataDir returns the directory the environment variable env names when
// set, else the folder name under the OS user config dir.
func DataDir(env, name string) (string, error) {
	if d := os.Getenv(env); d != "" {
		return d, nil
	}
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find user config dir: %w", err)
	}
	return filepath.Join(base, name), nil
}

// OpenDB opens (creating if needed) an SQLite file with WAL, foreign keys
// and a busy timeout, and checks WAL took effect. A file that exists with
// zero bytes (a failed copy, a truncated backup) is refused with a
// domain.CodeDataFileEmpty error and left as it is: SQLite would take it
// for a new, empty database.
func OpenDB(path string) (*sql.DB, error) {
	if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() && fi.Size() == 0 {
		return nil, &domain.Error{Code: domain.CodeDataFileEmpty, Field: path}
	}
	dsn := "file:" + filepath.ToSlash(path) +
		"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)" +
		"&_pragma=synchronous(NORMAL)&_pragma=cache_size(-8192)&_pragma=temp_store(MEMORY)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	// A few connections serve the UI's concurrent reads; each holds its own
	// page cache, so the pool is kept small to bound memory.
	db.SetMaxOpenConns(4)
	db.SetMaxIdleConns(2)
	var mode string
	if err := db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if mode != "wal" {
		db.Close()
		return nil, fmt.Errorf("open %s: journal mode is %q, want wal (is the folder on a network drive?)", path, mode)
	}
	var fk int
	if err := db.QueryRow("PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
		db.Close()
		return nil, fmt.Errorf("open %s: foreign keys not enabled", path)
	}
	return db, nil
}

// Migrate applies the migrations in fsys (files 0001_name.sql, 0002_…,
// numbered without gaps) that are newer than PRAGMA user_version, each in
// its own transaction together with the new user_version.
func Migrate(ctx context.Context, db *sql.DB, fsys fs.FS) error {
	names, err := MigrationSteps(fsys)
	if err != nil {
		return err
	}
	var current int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&current); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if current > len(names) {
		return fmt.Errorf("the data file has schema version %d but this program knows only %d: update Puntos", current, len(names))
	}
	for i, name := range names[current:] {
		version := current + i + 1
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		if err := InTx(ctx, db, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", version))
			return err
		}); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	return nil
}

// MigrationSteps returns the names of the migrations in fsys in order,
// checking they are numbered 0001_…, 0002_… without gaps. The PostgreSQL
// migrations (storage/internal/pgsql) follow the same rule.
func MigrationSteps(fsys fs.FS) ([]string, error) {
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	for i, name := range names {
		if want := fmt.Sprintf("%04d_", i+1); !strings.HasPrefix(name, want) {
			return nil, fmt.Errorf("migration %s: want a name starting with %s (numbers must run without gaps)", name, want)
		}
	}
	return names, nil
}

// OpenDir opens the database file in dir (see OpenDB), creating the
// directory as needed, and applies the migrations of the folder folder
// in fsys (see Migrate).
func OpenDir(dir, file string, fsys fs.FS, folder string) (*sql.DB, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create data dir: %w", err)
	}
	db, err := OpenDB(filepath.Join(dir, file))
	if err != nil {
		return nil, err
	}
	sub, err := fs.Sub(fsys, folder)
	if err == nil {
		err = Migrate(context.Background(), db, sub)
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// InTx runs fn in a transaction of db, committing when fn returns nil
// and rolling back otherwise.
func InTx(ctx context.Context, db *sql.DB, fn func(*sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// Stamp formats t as the stores keep times: UTC, RFC 3339 with
// nanoseconds.
func Stamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// ParseStamp parses a Stamp; it returns the zero time for text that is
// not one.
func ParseStamp(v string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, v)
	return t
}

// NullStamp parses a nullable stamp column; NULL is the zero time.
func NullStamp(v sql.NullString) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return ParseStamp(v.String)
}

// Scanner is a row to scan: *sql.Row or *sql.Rows.
type Scanner = interface{ Scan(dest ...any) error }

// Querier runs queries: a *sql.DB or a *sql.Tx.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Collect runs query on q and returns out with each row, as scan reads
// it, appended. The caller picks out: nil, or an empty slice where a list
// with no rows must still encode as [] in JSON.
func Collect[T any](ctx context.Context, q Querier, out []T, scan func(Scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// ScanString scans a row of one text column.
func ScanString(sc Scanner) (string, error) {
	var v string
	err := sc.Scan(&v)
	return v, err
}
