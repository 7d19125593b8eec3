// Package pgsql holds the PostgreSQL plumbing of the registry store: it
// opens a database/sql pool over pgx whose connections take the stores'
// SQLite-style "?" placeholders (rewritten to $1, $2, … once per query
// text), applies migrations under an advisory lock so that instances
// starting together apply each one once, and gives the raw pgx connection
// for COPY. It is internal to storage, so SQL stays in the stores.
package pgsql

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"strings"
	gosync "sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/puntos-ar/puntos/storage/internal/sqlitex"
)

// IsURL reports whether s names a PostgreSQL database (a postgres:// or
// postgresql:// URL).
func IsURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// Redact returns the URL u without its password, for messages and logs.
func Redact(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "postgres://…"
	}
	if p.User != nil {
		if _, ok := p.User.Password(); ok {
			p.User = url.UserPassword(p.User.Username(), "xxxxx")
		}
	}
	return p.String()
}

// Open opens a pool on the database the URL names and checks it answers.
// maxConns bounds the pool (PostgreSQL's max_connections is shared by
// every instance).
func Open(ctx context.Context, dbURL string, maxConns int) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(dbURL)
	if err != nil {
		return nil, fmt.Errorf("la dirección de la base no es válida (%w): escribila como postgres://usuario:clave@servidor:5432/base?sslmode=require", err)
	}
	// Defaults measured at national scale (docs/BENCHMARKS.md), which a
	// URL may override (?jit=on&max_parallel_workers_per_gather=2): the
	// registry's queries are short or walk indexes, so compiling them
	// (JIT) cost more than it saved; and its long reports already run
	// their parts at once on several connections, which parallel workers
	// within each query only slowed down.
	for name, value := range map[string]string{"jit": "off", "max_parallel_workers_per_gather": "0"} {
		if _, set := cfg.RuntimeParams[name]; !set {
			cfg.RuntimeParams[name] = value
		}
	}
	db := sql.OpenDB(connector{stdlib.GetConnector(*cfg)})
	db.SetMaxOpenConns(maxConns)
	db.SetMaxIdleConns(maxConns)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("no se pudo conectar con PostgreSQL; revisá que el servidor ande y que la dirección, el usuario y la clave sean los correctos: %w", err)
	}
	return db, nil
}

// connector makes the connections of the pool: pgx's, with placeholders
// rewritten.
type connector struct{ driver.Connector }

func (c connector) Connect(ctx context.Context) (driver.Conn, error) {
	dc, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &Conn{dc.(*stdlib.Conn)}, nil
}

// Conn is a pool connection; Raw gives it to sql.Conn.Raw callers.
type Conn struct{ *stdlib.Conn }

// Pgx returns the connection's pgx connection (for COPY).
func (c *Conn) Pgx() *pgx.Conn { return c.Conn.Conn() }

func (c *Conn) Prepare(query string) (driver.Stmt, error) {
	return c.Conn.Prepare(Rebind(query))
}

func (c *Conn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.Conn.PrepareContext(ctx, Rebind(query))
}

func (c *Conn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	return c.Conn.ExecContext(ctx, Rebind(query), args)
}

func (c *Conn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	return c.Conn.QueryContext(ctx, Rebind(query), args)
}

// Raw runs fn with the pgx connection of one connection of db's pool,
// outside any database/sql transaction (fn begins its own).
func Raw(ctx context.Context, db *sql.DB, fn func(*pgx.Conn) error) error {
	c, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	return c.Raw(func(dc any) error {
		pc, ok := dc.(*Conn)
		if !ok {
			return errors.New("pgsql: not a PostgreSQL connection")
		}
		return fn(pc.Pgx())
	})
}

var rebound gosync.Map // query text → rewritten text

// Rebind rewrites the "?" placeholders of query to $1, $2, …, leaving
// string literals, quoted identifiers and comments alone.
func Rebind(query string) string {
	if !strings.Contains(query, "?") {
		return query
	}
	if q, ok := rebound.Load(query); ok {
		return q.(string)
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'' || c == '"':
			j := i + 1
			for j < len(query) && query[j] != c {
				j++
			}
			b.WriteString(query[i:min(j+1, len(query))])
			i = j
		case c == '-' && i+1 < len(query) && query[i+1] == '-':
			j := strings.IndexByte(query[i:], '\n')
			if j < 0 {
				j = len(query) - i
			}
			b.WriteString(query[i : i+j])
			i += j - 1
		case c == '?':
			n++
			fmt.Fprintf(&b, "$%d", n)
		default:
			b.WriteByte(c)
		}
	}
	q := b.String()
	if len(query) < 4096 {
		rebound.Store(query, q)
	}
	return q
}

// Migrate applies the migrations in fsys (0001_name.sql, … without gaps)
// newer than the version in schema_version, each in its own transaction
// with the new version, holding an advisory lock so that instances that
// start together apply each one once.
func Migrate(ctx context.Context, db *sql.DB, fsys fs.FS) error {
	names, err := sqlitex.MigrationSteps(fsys)
	if err != nil {
		return err
	}
	for {
		done, err := migrateNext(ctx, db, fsys, names)
		if err != nil || done {
			return err
		}
	}
}

// migrateLock is the advisory lock key migrations hold.
const migrateLock = 0x70756e746f73 // "puntos"

// migrateNext applies the next pending migration, reporting done when
// there was none.
func migrateNext(ctx context.Context, db *sql.DB, fsys fs.FS, names []string) (done bool, err error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?)`, int64(migrateLock)); err != nil {
		return false, fmt.Errorf("lock the schema: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version bigint NOT NULL)`); err != nil {
		return false, fmt.Errorf("read schema version: %w", err)
	}
	var current int
	err = tx.QueryRowContext(ctx, `SELECT version FROM schema_version`).Scan(&current)
	if errors.Is(err, sql.ErrNoRows) {
		_, err = tx.ExecContext(ctx, `INSERT INTO schema_version(version) VALUES (0)`)
	}
	if err != nil {
		return false, fmt.Errorf("read schema version: %w", err)
	}
	if current > len(names) {
		return false, fmt.Errorf("the database has schema version %d but this program knows only %d: update Puntos", current, len(names))
	}
	if current == len(names) {
		return true, tx.Commit()
	}
	name := names[current]
	body, err := fs.ReadFile(fsys, name)
	if err != nil {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return false, fmt.Errorf("migration %s: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE schema_version SET version = ?`, current+1); err != nil {
		return false, fmt.Errorf("migration %s: %w", name, err)
	}
	return false, tx.Commit()
}

// Retryable reports whether err is PostgreSQL's answer to a transaction
// that lost a race and may succeed when run again: a unique key another
// transaction took meanwhile, a deadlock, a serialization failure.
func Retryable(err error) bool {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return false
	}
	switch pe.Code {
	case "23505", "40001", "40P01":
		return true
	}
	return false
}
