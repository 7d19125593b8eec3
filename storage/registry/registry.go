// Package registry is the central points registry's SQLite store: devices
// and enrollment codes, catalog and roster with change cursors, batches
// and receipts, the ledger and certificates, and what the central staff
// work with (accounts and sessions, the audit log, the inbox, review,
// compliance). It implements server.Store and server.StaffStore. Each
// change made for someone (a staff member, or the command line as
// ConsoleActor) writes its audit entry in the same transaction.
package registry

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"time"

	"github.com/puntos-ar/puntos/storage/csvin"
	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/storage/internal/sqlitex"
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
	// Workbook, when set, lets the roster and catalog imports read Excel
	// workbooks (csvin.Workbooks); when nil a workbook is refused.
	Workbook csvin.Workbook
}

// DefaultDir returns the registry's data directory: $PUNTOS_REGISTRY_DATA
// when set, else a "PuntosRegistry" folder under the OS user config dir.
func DefaultDir() (string, error) {
	return sqlitex.DataDir("PUNTOS_REGISTRY_DATA", "PuntosRegistry")
}

// Open opens the registry in dir (its file FileName), creating the
// directory and the database as needed and applying migrations.
func Open(dir string) (*Store, error) {
	db, err := sqlitex.OpenDir(dir, FileName, migrations)
	if err != nil {
		return nil, err
	}
	return &Store{db: db, Now: time.Now}, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

func (s *Store) now() time.Time { return s.Now().UTC() }

// tx runs fn in a transaction, committing when fn returns nil.
func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	return sqlitex.InTx(ctx, s.db, fn)
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

// queryStrings returns the one text column of the rows query returns.
func queryStrings(ctx context.Context, q queryer, query string, args ...any) ([]string, error) {
	return sqlitex.Collect(ctx, q, nil, sqlitex.ScanString, query, args...)
}

// nextSeq returns the next change sequence value of table (activities or
// people) inside tx; SQLite's single writer makes it monotonic.
func nextSeq(ctx context.Context, tx *sql.Tx, table string) (int64, error) {
	var seq int64
	err := tx.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM `+table).Scan(&seq)
	return seq + 1, err
}
