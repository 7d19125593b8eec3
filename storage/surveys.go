package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/storage/internal/sqlitex"
	"github.com/puntos-ar/puntos/sync/wire"
)

// SurveyInfo is a session's survey as the device holds it.
type SurveyInfo struct {
	SessionID string
	domain.Survey
	// Open is whether it still takes answers; OpenUntil is its last day
	// (YYYY-MM-DD) unless it is closed sooner.
	Open      bool
	OpenUntil string
	// SyncState is where it is on its way to the registry (SyncLocal
	// while it takes answers).
	SyncState string
}

// surveyCols selects a survey's counts, closed flag and sync state.
const surveyCols = `value_1, value_2, value_3, value_4, value_5, use_1, use_2, use_3, use_4, use_5, closed, sync_state`

// Survey returns the survey of the session id (a whole ID or its first
// characters); a session without answers yet has an empty, open one.
func (s *Store) Survey(ctx context.Context, id string) (SurveyInfo, error) {
	si, err := s.Session(ctx, id)
	if err != nil {
		return SurveyInfo{}, err
	}
	return s.surveyOf(ctx, s.db, si)
}

func (s *Store) surveyOf(ctx context.Context, q interface {
	rowQueryer
	queryer
}, si SessionInfo) (SurveyInfo, error) {
	out := SurveyInfo{SessionID: si.ID, SyncState: SyncLocal}
	until, err := domain.SurveyOpenUntil(si.Date)
	if err != nil {
		return out, fmt.Errorf("survey: session date %q: %w", si.Date, err)
	}
	out.OpenUntil = until
	var closed bool
	dest := []any{}
	for i := range out.Value {
		dest = append(dest, &out.Value[i])
	}
	for i := range out.Use {
		dest = append(dest, &out.Use[i])
	}
	dest = append(dest, &closed, &out.SyncState)
	err = q.QueryRowContext(ctx, `SELECT `+surveyCols+` FROM surveys WHERE session_id = ?`, si.ID).Scan(dest...)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return out, fmt.Errorf("survey: %w", err)
	}
	out.Comments, err = sqlitex.Collect(ctx, q, nil, sqlitex.ScanString,
		`SELECT comment FROM survey_comments WHERE session_id = ? ORDER BY rowid`, si.ID)
	if err != nil {
		return out, fmt.Errorf("survey comments: %w", err)
	}
	out.Open = !closed && out.SyncState == SyncLocal && domain.Today(s.now()) <= out.OpenUntil
	return out, nil
}

// AnswerSurvey stores one anonymous answer to the survey of the session
// id: value and use from 1 to domain.SurveyScale and an optional comment.
// Only the counts go up; no person or time is stored. A survey that no
// longer takes answers gives domain.ErrSurveyClosed and stores nothing.
func (s *Store) AnswerSurvey(ctx context.Context, id string, value, use int, comment string) error {
	comment, err := domain.CheckSurveyAnswer(value, use, comment)
	if err != nil {
		return err
	}
	var v, u domain.SurveyCounts
	v[value-1], u[use-1] = 1, 1
	var comments []string
	if comment != "" {
		comments = []string{comment}
	}
	return s.addToSurvey(ctx, id, v, u, comments)
}

// TallySurvey adds counts from paper forms to the survey of the session
// id, per point lowest first; a second tally adds to the first.
func (s *Store) TallySurvey(ctx context.Context, id string, value, use domain.SurveyCounts) error {
	return s.addToSurvey(ctx, id, value, use, nil)
}

func (s *Store) addToSurvey(ctx context.Context, id string, value, use domain.SurveyCounts, comments []string) error {
	si, err := s.Session(ctx, id)
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		cur, err := s.surveyOf(ctx, tx, si)
		if err != nil {
			return err
		}
		if !cur.Open {
			return domain.ErrSurveyClosed
		}
		var set []string
		args := []any{si.ID}
		for i := range domain.SurveyScale {
			n := strconv.Itoa(i + 1)
			set = append(set, "value_"+n+" = value_"+n+" + ?", "use_"+n+" = use_"+n+" + ?")
			args = append(args, value[i], use[i])
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO surveys(session_id) VALUES (?) ON CONFLICT DO NOTHING`, si.ID); err != nil {
			return fmt.Errorf("survey: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE surveys SET `+strings.Join(set, ", ")+` WHERE session_id = ?`,
			append(args[1:], si.ID)...); err != nil {
			return fmt.Errorf("survey: %w", err)
		}
		for _, c := range comments {
			if _, err := tx.ExecContext(ctx, `INSERT INTO survey_comments(session_id, comment) VALUES (?,?)`, si.ID, c); err != nil {
				return fmt.Errorf("survey comment: %w", err)
			}
		}
		return nil
	})
}

// CloseSurvey closes the survey of the session id for answers ("Cerrar
// encuesta"): it travels on the next sync once the session has. Closing
// a closed survey changes nothing.
func (s *Store) CloseSurvey(ctx context.Context, id string) (SurveyInfo, error) {
	si, err := s.Session(ctx, id)
	if err != nil {
		return SurveyInfo{}, err
	}
	var out SurveyInfo
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO surveys(session_id) VALUES (?) ON CONFLICT DO NOTHING`, si.ID); err != nil {
			return fmt.Errorf("close survey: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE surveys SET closed = 1,
			sync_state = CASE sync_state WHEN 'local' THEN 'pending' ELSE sync_state END WHERE session_id = ?`, si.ID); err != nil {
			return fmt.Errorf("close survey: %w", err)
		}
		if out, err = s.surveyOf(ctx, tx, si); err != nil {
			return err
		}
		return s.logEvent(ctx, tx, "survey.close", "session", si.ID, fmt.Sprintf("responses=%d", out.Responses()))
	})
	return out, err
}

// gatherSurveys adds the surveys that no longer take answers (closed, or
// SurveyOpenDays past their session) of closed sessions that are at the
// registry (accepted before) or in this batch. Their comments go in a
// shuffled order, so their order tells nothing about who wrote them.
func gatherSurveys(ctx context.Context, tx *sql.Tx, bb *batchBuilder) error {
	type pending struct {
		rec   wire.SurveyRecord
		state string
	}
	list, err := sqlitex.Collect(ctx, tx, nil, func(sc sqlitex.Scanner) (pending, error) {
		var p pending
		r := &p.rec
		err := sc.Scan(&r.SessionID, &r.Value[0], &r.Value[1], &r.Value[2], &r.Value[3], &r.Value[4],
			&r.Use[0], &r.Use[1], &r.Use[2], &r.Use[3], &r.Use[4], &p.state)
		return p, err
	}, `SELECT v.session_id, v.value_1, v.value_2, v.value_3, v.value_4, v.value_5,
		v.use_1, v.use_2, v.use_3, v.use_4, v.use_5, s.sync_state
		FROM surveys v JOIN sessions s ON s.id = v.session_id
		WHERE s.state = 'closed' AND (v.sync_state = 'pending'
			OR (v.sync_state = 'local' AND date(s.date, '+`+strconv.Itoa(domain.SurveyOpenDays)+` days') < ?))
		ORDER BY v.session_id`, bb.today)
	if err != nil {
		return err
	}
	for _, p := range list {
		there := p.state == wire.Accepted || p.state == wire.Duplicate || bb.has(wire.KindSession, p.rec.SessionID)
		if !there {
			continue
		}
		comments, err := sqlitex.Collect(ctx, tx, nil, sqlitex.ScanString,
			`SELECT comment FROM survey_comments WHERE session_id = ?`, p.rec.SessionID)
		if err != nil {
			return err
		}
		rand.Shuffle(len(comments), func(i, j int) { comments[i], comments[j] = comments[j], comments[i] })
		p.rec.Comments = comments
		if err := bb.add(wire.KindSurvey, p.rec.SessionID, p.rec); err != nil {
			return err
		}
	}
	return nil
}
