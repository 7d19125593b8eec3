// Package storage is the device's SQLite store: people, the activity
// catalog, sessions, attendances, the event log and sync bookkeeping. It is
// the only package of the device that speaks SQL.
package storage

import (
	"context"
	"database/sql"
	"embed"
	"errors"
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

//go:embed migrations/*.sql
var migrations embed.FS

// FileName is the name of the device database inside the data directory.
const FileName = "puntos.db"

// Store is the device's SQLite store. Its methods are safe for concurrent use.
type Store struct {
	db  *sql.DB
	dir string

	// Now returns the current time; tests replace it.
	Now func() time.Time
	// Actor names who makes changes, for the event log.
	Actor string
}

// DefaultDir returns the data directory: $PUNTOS_DATA when set, else a
// "Puntos" folder under the OS user config dir (%AppData%\Puntos on Windows,
// $XDG_CONFIG_HOME/Puntos or ~/.config/Puntos on Linux).
func DefaultDir() (string, error) { return ConfigDir("PUNTOS_DATA", "Puntos") }

// ConfigDir returns the directory the environment variable env names
// when set, else the folder name under the OS user config dir; the
// registry finds its data directory with it too.
func ConfigDir(env, name string) (string, error) {
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
// and a busy timeout, and checks WAL took effect. The registry uses it too.
func OpenDB(path string) (*sql.DB, error) {
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
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for i, name := range names {
		if want := fmt.Sprintf("%04d_", i+1); !strings.HasPrefix(name, want) {
			return fmt.Errorf("migration %s: want a name starting with %s (numbers must run without gaps)", name, want)
		}
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

// OpenDir opens the database file in dir (see OpenDB), creating the
// directory as needed, and applies the migrations of the folder
// "migrations" in fsys (see Migrate). The registry opens its own with it.
func OpenDir(dir, file string, fsys fs.FS) (*sql.DB, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create data dir: %w", err)
	}
	db, err := OpenDB(filepath.Join(dir, file))
	if err != nil {
		return nil, err
	}
	sub, err := fs.Sub(fsys, "migrations")
	if err == nil {
		err = Migrate(context.Background(), db, sub)
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Open opens the device store in dir, creating the directory and the
// database as needed and applying migrations.
func Open(dir string) (*Store, error) {
	db, err := OpenDir(dir, FileName, migrations)
	if err != nil {
		return nil, err
	}
	actor := os.Getenv("USER")
	if actor == "" {
		actor = os.Getenv("USERNAME")
	}
	if actor == "" {
		actor = "device"
	}
	return &Store{db: db, dir: dir, Now: time.Now, Actor: actor}, nil
}

// Dir returns the data directory the store lives in.
func (s *Store) Dir() string { return s.dir }

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// SchemaVersion returns PRAGMA user_version.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v)
	return v, err
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

func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	return InTx(ctx, s.db, fn)
}

func (s *Store) now() time.Time { return s.Now().UTC() }

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func parseStamp(v string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, v)
	return t
}

// logEvent appends to the event log inside tx. detail must hold no DNI.
func (s *Store) logEvent(ctx context.Context, tx *sql.Tx, kind, entity, id, detail string) error {
	_, err := tx.ExecContext(ctx,
		`INSERT INTO events(at, actor, kind, entity, entity_id, detail) VALUES (?,?,?,?,?,?)`,
		stamp(s.now()), s.Actor, kind, entity, id, detail)
	return err
}

// Event is one entry of the append-only event log.
type Event struct {
	Seq      int64     `json:"seq"`
	At       time.Time `json:"at"`
	Actor    string    `json:"actor"`
	Kind     string    `json:"kind"`
	Entity   string    `json:"entity"`
	EntityID string    `json:"entity_id"`
	Detail   string    `json:"detail"`
}

// Events returns the newest limit events, newest first.
func (s *Store) Events(ctx context.Context, limit int) ([]Event, error) {
	rows, err := s.db.QueryContext(ctx,
		`SELECT seq, at, actor, kind, entity, entity_id, detail FROM events ORDER BY seq DESC LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		var at string
		if err := rows.Scan(&e.Seq, &at, &e.Actor, &e.Kind, &e.Entity, &e.EntityID, &e.Detail); err != nil {
			return nil, err
		}
		e.At = parseStamp(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// Setting returns a stored setting, or def when unset.
func (s *Store) Setting(ctx context.Context, key, def string) (string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return def, nil
	}
	return v, err
}

// SetSetting stores a setting.
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx,
			`INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
			key, value); err != nil {
			return err
		}
		return s.logEvent(ctx, tx, "setting.set", "setting", key, "")
	})
}

// notFound is a person-readable "not found" that errors.Is matches to
// domain.ErrNotFound.
type notFound string

func (e notFound) Error() string        { return string(e) }
func (e notFound) Is(target error) bool { return target == domain.ErrNotFound }

// likeEscape escapes s for use as a LIKE prefix with ESCAPE '\'.
func likeEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}
