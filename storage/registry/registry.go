// Package registry is the central points registry's store: devices
// and enrollment codes, catalog and roster with change cursors, batches
// and receipts, the ledger and certificates, and what the central staff
// work with (accounts and sessions, the audit log, the inbox, review,
// compliance). It implements server.Store and server.StaffStore. Each
// change made for someone (a staff member, or the command line as
// ConsoleActor) writes its audit entry in the same transaction.
//
// The store runs on two engines with one schema history (migrations/sqlite
// and migrations/postgres, numbered alike): an SQLite file, the default
// (Open), and PostgreSQL for the whole country (OpenURL), where several
// registry instances share one database. The queries are common (written
// with ? placeholders, which storage/internal/pgsql rewrites for
// PostgreSQL); what differs is in a few places chosen by the store's
// engine: the locks that serialise change sequences, batches and
// decisions across instances (lock, retryTx), bulk loads with COPY
// (copyRoster, CopyFrom), batched ingest statements, and how the
// compliance groups are counted. CopyFrom moves an SQLite registry into
// PostgreSQL.
package registry

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/puntos-ar/puntos/storage/csvin"
	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/storage/internal/pgsql"
	"github.com/puntos-ar/puntos/storage/internal/sqlitex"
)

//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrations embed.FS

// FileName is the name of the registry database inside its data directory.
const FileName = "registry.db"

// Store is the registry's store. Its methods are safe for concurrent
// use, also from several processes on one PostgreSQL database.
type Store struct {
	db *sql.DB
	pg bool // PostgreSQL, else SQLite
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
	db, err := sqlitex.OpenDir(dir, FileName, migrations, "migrations/sqlite")
	if err != nil {
		return nil, err
	}
	return &Store{db: db, Now: time.Now}, nil
}

// poolSize is how many connections a store keeps to PostgreSQL.
const poolSize = 16

// OpenURL opens the registry in the PostgreSQL database dbURL names
// (postgres://user:password@host:port/db?sslmode=…) and applies
// migrations; the database must exist.
func OpenURL(ctx context.Context, dbURL string) (*Store, error) {
	db, err := pgsql.Open(ctx, dbURL, poolSize)
	if err != nil {
		return nil, err
	}
	sub, err := fs.Sub(migrations, "migrations/postgres")
	if err == nil {
		err = pgsql.Migrate(ctx, db, sub)
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	return &Store{db: db, pg: true, Now: time.Now}, nil
}

// OpenAt opens the registry in the PostgreSQL database dbURL names or,
// when dbURL is empty, in the SQLite file under dir.
func OpenAt(ctx context.Context, dir, dbURL string) (*Store, error) {
	if dbURL == "" {
		return Open(dir)
	}
	if !pgsql.IsURL(dbURL) {
		return nil, errors.New("la dirección de la base no es de PostgreSQL: escribila como postgres://usuario:clave@servidor:5432/base?sslmode=require, o no la pongas para usar el archivo de la carpeta de datos")
	}
	return OpenURL(ctx, dbURL)
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
// people) inside tx. It must be monotonic in commit order, since devices
// pull the rows above their cursor: SQLite has a single writer, and on
// PostgreSQL the writers of a table's sequence take its lock until they
// commit.
func (s *Store) nextSeq(ctx context.Context, tx *sql.Tx, table string) (int64, error) {
	if err := s.lock(ctx, tx, "seq", table); err != nil {
		return 0, err
	}
	var seq int64
	err := tx.QueryRowContext(ctx, nextSeqSQL(table)).Scan(&seq)
	return seq, err
}

// nextSeqSQL is the query of the next change sequence value of table.
func nextSeqSQL(table string) string { return `SELECT coalesce(max(seq), 0) + 1 FROM ` + table }

// lockSQL takes the transaction-scoped advisory lock of lockKey(kind, key)
// on PostgreSQL.
const lockSQL = `SELECT pg_advisory_xact_lock(hashtextextended(?, 0))`

// lockKey is the text the advisory lock of kind and key hashes.
func lockKey(kind, key string) string { return kind + ":" + key }

// lock takes, on PostgreSQL, the transaction-scoped advisory lock of
// kind and key, which another instance's transaction on the same kind and
// key then waits for until tx ends. On SQLite it does nothing: a write
// transaction already excludes every other writer.
func (s *Store) lock(ctx context.Context, tx *sql.Tx, kind, key string) error {
	if !s.pg {
		return nil
	}
	_, err := tx.ExecContext(ctx, lockSQL, lockKey(kind, key))
	return err
}

// retryTx runs fn in a transaction like tx and, on PostgreSQL, runs it
// again from the start when it lost a race with another instance's
// transaction (a unique key taken meanwhile, a deadlock or a
// serialization failure); fn must start from scratch each time.
func (s *Store) retryTx(ctx context.Context, fn func(*sql.Tx) error) error {
	for attempt := 1; ; attempt++ {
		err := s.tx(ctx, fn)
		if !s.pg || attempt == 5 || !pgsql.Retryable(err) {
			return err
		}
	}
}

// RedactURL returns a database URL without its password, for messages.
func RedactURL(dbURL string) string { return pgsql.Redact(dbURL) }
