package storage

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/puntos-ar/puntos/storage/internal/sqlitex"
	"github.com/puntos-ar/puntos/sync/wire"
)

// RecordSyncRun notes the end of a sync run: a success when failure is
// empty, else failure (a message for a person) becomes the last error.
func (s *Store) RecordSyncRun(ctx context.Context, failure string) error {
	now := sqlitex.Stamp(s.now())
	q := `UPDATE sync_runs SET last_attempt_at = ?, last_success_at = ?, last_error = '' WHERE id = 1`
	args := []any{now, now}
	if failure != "" {
		q = `UPDATE sync_runs SET last_attempt_at = ?, last_error = ? WHERE id = 1`
		args = []any{now, failure}
	}
	if _, err := s.db.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("record sync run: %w", err)
	}
	return nil
}

// SyncStatus is what the status bar and "puntos sync status" show.
type SyncStatus struct {
	Enrolled bool   `json:"enrolled"`
	Registry string `json:"registry,omitempty"`
	DeviceID string `json:"device_id,omitempty"`
	// Pending counts records still to be acknowledged by the registry:
	// waiting for a batch or in flight.
	Pending         int       `json:"pending"`
	InFlight        int       `json:"in_flight"` // of Pending, those in a batch already
	InFlightBatches int       `json:"in_flight_batches"`
	Problems        int       `json:"problems"` // rejected or conflicting records
	LastSync        time.Time `json:"last_sync,omitzero"`
	LastAttempt     time.Time `json:"last_attempt,omitzero"`
	LastError       string    `json:"last_error,omitempty"`
}

// SyncStatus returns pending records, in-flight batches, the last
// successful sync and the last error.
func (s *Store) SyncStatus(ctx context.Context) (SyncStatus, error) {
	var st SyncStatus
	e, err := s.Enrollment(ctx)
	switch {
	case err == nil:
		st.Enrolled, st.Registry, st.DeviceID = true, e.Registry, e.DeviceID
	case !errors.Is(err, wire.ErrNotEnrolled):
		return st, err
	}
	var q strings.Builder
	q.WriteString(`SELECT 0`)
	for _, k := range syncKinds {
		q.WriteString(` + (` + k.waiting + `)`)
	}
	q.WriteString(`, 0`)
	for _, k := range syncKinds {
		q.WriteString(` + (SELECT count(*) FROM ` + k.table + ` WHERE sync_state = 'in_flight')`)
	}
	q.WriteString(`, 0`)
	for _, k := range syncKinds {
		q.WriteString(` + (SELECT count(*) FROM ` + k.table + ` WHERE sync_state IN ('rejected','conflict'))`)
	}
	q.WriteString(`, (SELECT count(*) FROM batches WHERE state != 'acknowledged'),
		coalesce(r.last_success_at, ''), coalesce(r.last_attempt_at, ''), r.last_error FROM sync_runs r WHERE r.id = 1`)
	var last, attempt string
	if err := s.db.QueryRowContext(ctx, q.String()).Scan(&st.Pending, &st.InFlight, &st.Problems, &st.InFlightBatches,
		&last, &attempt, &st.LastError); err != nil {
		return st, fmt.Errorf("sync status: %w", err)
	}
	st.LastSync, st.LastAttempt = sqlitex.ParseStamp(last), sqlitex.ParseStamp(attempt)
	return st, nil
}

// Waiting counts records not yet acknowledged by the registry: pending
// or in flight.
func (s *Store) Waiting(ctx context.Context) (int, error) {
	var q strings.Builder
	q.WriteString(`SELECT 0`)
	for _, k := range syncKinds {
		q.WriteString(` + (` + k.waiting + `)`)
	}
	var n int
	if err := s.db.QueryRowContext(ctx, q.String()).Scan(&n); err != nil {
		return 0, fmt.Errorf("count waiting records: %w", err)
	}
	return n, nil
}

// SyncStates counts records by kind and sync state (for people, walk-ins
// only), for "puntos sync status" and checks.
func (s *Store) SyncStates(ctx context.Context) (map[string]map[string]int, error) {
	out := map[string]map[string]int{}
	for _, k := range syncKinds {
		where := ""
		if k.kind == wire.KindPerson {
			where = ` WHERE walk_in = 1`
		}
		rows, err := s.db.QueryContext(ctx, `SELECT sync_state, count(*) FROM `+k.table+where+` GROUP BY sync_state`)
		if err != nil {
			return nil, fmt.Errorf("sync states: %w", err)
		}
		m := map[string]int{}
		for rows.Next() {
			var state string
			var n int
			if err := rows.Scan(&state, &n); err != nil {
				rows.Close()
				return nil, err
			}
			m[state] = n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		out[k.kind] = m
	}
	return out, nil
}

// SyncProblem is a record the registry rejected or found in conflict,
// with its message, for the person to act on.
type SyncProblem struct {
	Kind    string `json:"kind"`
	ID      string `json:"id"`
	Result  string `json:"result"` // wire.Rejected or wire.Conflict
	Code    string `json:"code,omitempty"`
	Message string `json:"message"`
	BatchID string `json:"batch_id,omitempty"`
	// Label names the record for a person: the session, or the person and
	// the session.
	Label     string `json:"label"`
	SessionID string `json:"session_id,omitempty"`
	DNI       string `json:"dni,omitempty"`
}

// SyncProblems lists the records the registry rejected or found in
// conflict, kind by kind in the order of syncKinds (sessions first), each
// kind in ID order.
func (s *Store) SyncProblems(ctx context.Context) ([]SyncProblem, error) {
	out := []SyncProblem{}
	for _, k := range syncKinds {
		rows, err := s.db.QueryContext(ctx, k.problems+` ORDER BY 1`)
		if err != nil {
			return nil, fmt.Errorf("sync problems: %w", err)
		}
		for rows.Next() {
			p := SyncProblem{Kind: k.kind}
			if err := rows.Scan(&p.ID, &p.Result, &p.Code, &p.Message, &p.BatchID, &p.Label, &p.SessionID, &p.DNI); err != nil {
				rows.Close()
				return nil, err
			}
			out = append(out, p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
