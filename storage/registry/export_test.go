package registry

import "context"

// Exec runs raw SQL on the store, for tests that check the schema's own
// guards.
func (s *Store) Exec(ctx context.Context, query string) error {
	_, err := s.db.ExecContext(ctx, query)
	return err
}
