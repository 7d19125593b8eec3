// Package registry is the central points registry's SQLite store: devices,
// catalog and roster with change cursors, batches and receipts, the
// ledger and certificates. It implements sync.RegistryStore.
package registry

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/sync"
)

//go:embed migrations/*.sql
var migrations embed.FS

// FileName is the name of the registry database inside its data directory.
const FileName = "registry.db"

// Store is the registry's SQLite store. Its methods are safe for
// concurrent use; writes are serialised by SQLite.
type Store struct {
	db *sql.DB
	// Now returns the current time for the store's own stamps (imports,
	// revocations); tests replace it. Ingest uses the request's time.
	Now func() time.Time
}

var _ sync.RegistryStore = (*Store)(nil)

// DefaultDir returns the registry's data directory: $PUNTOS_REGISTRY_DATA
// when set, else a "PuntosRegistry" folder under the OS user config dir.
func DefaultDir() (string, error) {
	if d := os.Getenv("PUNTOS_REGISTRY_DATA"); d != "" {
		return d, nil
	}
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find user config dir: %w", err)
	}
	return filepath.Join(base, "PuntosRegistry"), nil
}

// Open opens the registry in dir (its file FileName), creating the
// directory and the database as needed and applying migrations.
func Open(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create data dir: %w", err)
	}
	db, err := storage.OpenDB(filepath.Join(dir, FileName))
	if err != nil {
		return nil, err
	}
	sub, _ := fs.Sub(migrations, "migrations")
	if err := storage.Migrate(context.Background(), db, sub); err != nil {
		db.Close()
		return nil, err
	}
	return &Store{db: db, Now: time.Now}, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

func (s *Store) now() time.Time { return s.Now().UTC() }

// tx runs fn in a transaction, committing when fn returns nil.
func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func parseStamp(v string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, v)
	return t
}

// nullStamp parses a nullable stamp column.
func nullStamp(v sql.NullString) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return parseStamp(v.String)
}

// notFound wraps domain.ErrNotFound with what was missing.
func notFound(what string) error { return fmt.Errorf("%s: %w", what, domain.ErrNotFound) }

// noRows maps sql.ErrNoRows to a not-found error.
func noRows(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return notFound(what)
	}
	return err
}

// nextSeq returns the next change sequence value of table (activities or
// people) inside tx; SQLite's single writer makes it monotonic.
func nextSeq(ctx context.Context, tx *sql.Tx, table string) (int64, error) {
	var seq int64
	err := tx.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM `+table).Scan(&seq)
	return seq + 1, err
}
