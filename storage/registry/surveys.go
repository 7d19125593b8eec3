package registry

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/sync/wire"
)

// surveyCols selects a stored survey's counts and comments.
const surveyCols = `value_1, value_2, value_3, value_4, value_5, use_1, use_2, use_3, use_4, use_5, comments`

func scanSurvey(row *sql.Row, r *wire.SurveyRecord) error {
	var comments string
	err := row.Scan(&r.Value[0], &r.Value[1], &r.Value[2], &r.Value[3], &r.Value[4],
		&r.Use[0], &r.Use[1], &r.Use[2], &r.Use[3], &r.Use[4], &comments)
	if err != nil {
		return err
	}
	return json.Unmarshal([]byte(comments), &r.Comments)
}

// Survey returns the survey stored for a session, or an error wrapping
// domain.ErrNotFound.
func (s *Store) Survey(ctx context.Context, sessionID string) (wire.SurveyRecord, error) {
	r := wire.SurveyRecord{SessionID: sessionID}
	err := scanSurvey(s.db.QueryRowContext(ctx, `SELECT `+surveyCols+` FROM surveys WHERE session_id = ?`, sessionID), &r)
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("survey %s: %w", sessionID, domain.ErrNotFound)
	}
	return r, err
}

// survey stores a session's survey: its session must be at the registry
// (stored before or accepted in this batch) and writable by the sending
// device's office. The same survey again is a duplicate; another one for
// the same session is kept for review.
func (ig *ingest) survey(r wire.SurveyRecord) error {
	if err := wire.CheckSurvey(r); err != nil {
		ig.reject(wire.KindSurvey, r.SessionID, r, err)
		return nil
	}
	if r.Comments == nil {
		r.Comments = []string{}
	}
	if ig.rejected[r.SessionID] {
		ig.reject(wire.KindSurvey, r.SessionID, r, wire.Reject(wire.RejectSurveySession))
		return nil
	}
	sess, ok, err := ig.sessionOf(r.SessionID)
	if err != nil {
		return err
	}
	if !ok {
		ig.reject(wire.KindSurvey, r.SessionID, r, wire.Reject(wire.RejectSurveySession))
		return nil
	}
	old := wire.SurveyRecord{SessionID: r.SessionID}
	err = scanSurvey(ig.tx.QueryRowContext(ig.ctx, `SELECT `+surveyCols+` FROM surveys WHERE session_id = ?`, r.SessionID), &old)
	switch {
	case err == nil:
		same := old.Value == r.Value && old.Use == r.Use && slices.Equal(old.Comments, r.Comments)
		switch {
		case same:
			ig.duplicate(wire.KindSurvey, r.SessionID)
		case !ig.from.mayWrite(sess.owner):
			ig.reject(wire.KindSurvey, r.SessionID, r, wire.Reject(wire.RejectNotOwner))
		default:
			ig.conflict(wire.KindSurvey, r.SessionID, wire.ConflictContent, r)
		}
		return nil
	case !errors.Is(err, sql.ErrNoRows):
		return err
	}
	if !ig.from.mayWrite(sess.owner) {
		ig.reject(wire.KindSurvey, r.SessionID, r, wire.Reject(wire.RejectNotOwner))
		return nil
	}
	comments, err := json.Marshal(r.Comments)
	if err != nil {
		return err
	}
	if _, err := ig.tx.ExecContext(ig.ctx, `INSERT INTO surveys(session_id, `+surveyCols+`, device_id, batch_id, received_at)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`, r.SessionID,
		r.Value[0], r.Value[1], r.Value[2], r.Value[3], r.Value[4], r.Use[0], r.Use[1], r.Use[2], r.Use[3], r.Use[4],
		string(comments), ig.in.Device.ID, ig.in.Batch.ID, ig.received); err != nil {
		return fmt.Errorf("store survey: %w", err)
	}
	ig.accept(wire.KindSurvey, r.SessionID)
	return nil
}
