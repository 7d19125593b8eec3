package registry

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Failures returns how many failures the rate-limit counter key holds in
// its window at now, and when that window ends; 0 and the zero time when
// it holds none. See server.Store.
func (s *Store) Failures(ctx context.Context, key string, now time.Time) (int, time.Time, error) {
	var n int
	var end int64
	err := s.db.QueryRowContext(ctx, `SELECT failures, window_end FROM rate_limits WHERE key = ? AND window_end > ?`,
		key, now.UnixMilli()).Scan(&n, &end)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return 0, time.Time{}, nil
	case err != nil:
		return 0, time.Time{}, fmt.Errorf("rate limit: %w", err)
	}
	return n, time.UnixMilli(end).UTC(), nil
}

// CountFailure adds a failure to the counter key, opening a window of
// length window at now when it has none open. Windows that ended are
// forgotten on the way, so the table holds only live counters.
func (s *Store) CountFailure(ctx context.Context, key string, window time.Duration, now time.Time) error {
	at := now.UnixMilli()
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM rate_limits WHERE window_end <= ?`, at); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO rate_limits(key, window_end, failures) VALUES (?, ?, 1)
			ON CONFLICT(key) DO UPDATE SET failures = rate_limits.failures + 1`, key, now.Add(window).UnixMilli())
		return err
	})
	if err != nil {
		return fmt.Errorf("count failure: %w", err)
	}
	return nil
}
