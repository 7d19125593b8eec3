package registry

import "context"

// Exec runs raw SQL on the store, for tests that check the schema's own
// guards.
func (s *Store) Exec(ctx context.Context, query string) error {
	_, err := s.db.ExecContext(ctx, query)
	return err
}

// SetLookupPeople sets, until the test ends, the size under which a
// province's compliance report looks each person up.
func SetLookupPeople(tb interface{ Cleanup(func()) }, n int) {
	old := lookupPeople
	lookupPeople = n
	tb.Cleanup(func() { lookupPeople = old })
}

// IndexDefs returns the definitions of table's indexes, sorted.
func (s *Store) IndexDefs(ctx context.Context, table string) ([]string, error) {
	q := `SELECT coalesce(sql, name) FROM sqlite_master WHERE type = 'index' AND tbl_name = ? ORDER BY 1`
	if s.pg {
		q = `SELECT indexdef FROM pg_indexes WHERE tablename = ? ORDER BY 1`
	}
	return queryStrings(ctx, s.db, q, table)
}

// Engine names the store's database engine: "sqlite" or "postgres".
func (s *Store) Engine() string {
	if s.pg {
		return "postgres"
	}
	return "sqlite"
}
