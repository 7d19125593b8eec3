// Package storage is the device's SQLite store: people, the activity
// catalog, sessions, attendances, certificates and the office that issues
// them, the event log, and sync bookkeeping (batches and receipts in
// sync_push.go, pulled pages in sync_pull.go, status and problems in
// sync_status.go). It is the only package of the device that speaks SQL;
// what it shares with the registry's store is in storage/internal/sqlitex.
package storage

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"os"
	"strings"
	"time"

	"github.com/puntos-ar/puntos/storage/csvin"
	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/storage/internal/sqlitex"
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
	// Workbook, when set, lets the roster and catalog imports read Excel
	// workbooks (csvin.Workbooks); when nil a workbook is refused.
	Workbook csvin.Workbook
}

// DefaultDir returns the data directory: $PUNTOS_DATA when set, else a
// "Puntos" folder under the OS user config dir (%AppData%\Puntos on Windows,
// $XDG_CONFIG_HOME/Puntos or ~/.config/Puntos on Linux).
func DefaultDir() (string, error) { return sqlitex.DataDir("PUNTOS_DATA", "Puntos") }

// Open opens the device store in dir, creating the directory and the
// database as needed and applying migrations.
func Open(dir string) (*Store, error) {
	db, err := sqlitex.OpenDir(dir, FileName, migrations, "migrations")
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

func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	return sqlitex.InTx(ctx, s.db, fn)
}

func (s *Store) now() time.Time { return s.Now().UTC() }

// logEvent appends to the event log inside tx. detail must hold no DNI.
func (s *Store) logEvent(ctx context.Context, tx *sql.Tx, kind, entity, id, detail string) error {
	_, err := tx.ExecContext(ctx,
		`INSERT INTO events(at, actor, kind, entity, entity_id, detail) VALUES (?,?,?,?,?,?)`,
		sqlitex.Stamp(s.now()), s.Actor, kind, entity, id, detail)
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
		e.At = sqlitex.ParseStamp(at)
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
