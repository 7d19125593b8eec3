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
