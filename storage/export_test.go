package storage

import "context"

// ExecForTest runs raw SQL, for tests that check database constraints.
func (s *Store) ExecForTest(ctx context.Context, q string) error {
	_, err := s.db.ExecContext(ctx, q)
	return err
}
