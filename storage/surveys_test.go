package storage_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/sync/wire"
)

func survey(t *testing.T, st *storage.Store, id string) storage.SurveyInfo {
	t.Helper()
	v, err := st.Survey(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func errCode(err error) string {
	if e, ok := errors.AsType[*domain.Error](err); ok {
		return e.Code
	}
	return ""
}

func TestSurveyAnswersAndTallies(t *testing.T) {
	st := seeded(t)
	s := newSession(t, st, "CH-1")
	if v := survey(t, st, s.ID); !v.Open || v.Responses() != 0 || v.OpenUntil != "2026-12-04" || v.SyncState != storage.SyncLocal {
		t.Fatalf("new survey = %+v, want open, empty, until 2026-12-04", v)
	}
	for _, a := range []struct {
		value, use int
		comment    string
	}{{5, 4, "  Muy clara  "}, {4, 4, ""}, {5, 5, "Más ejemplos"}} {
		if err := st.AnswerSurvey(ctx, s.ID, a.value, a.use, a.comment); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.TallySurvey(ctx, s.ID[:8], domain.SurveyCounts{0, 1, 0, 2, 3}, domain.SurveyCounts{0, 0, 1, 2, 3}); err != nil {
		t.Fatal(err)
	}
	v := survey(t, st, s.ID)
	want := domain.Survey{Value: domain.SurveyCounts{0, 1, 0, 3, 5}, Use: domain.SurveyCounts{0, 0, 1, 4, 4},
		Comments: []string{"Muy clara", "Más ejemplos"}}
	if v.Value != want.Value || v.Use != want.Use || !slices.Equal(v.Comments, want.Comments) || v.Responses() != 9 {
		t.Fatalf("survey = %+v, want %+v (9 responses)", v.Survey, want)
	}

	// Bad input: one clear error each, nothing stored.
	for _, c := range []struct {
		value, use int
		comment    string
		code       string
	}{{0, 3, "", domain.CodeSurveyValue}, {6, 3, "", domain.CodeSurveyValue}, {3, 0, "", domain.CodeSurveyUse},
		{3, 9, "x", domain.CodeSurveyUse}, {3, 3, string(make([]rune, domain.MaxSurveyComment+1)), domain.CodeTooLong}} {
		err := st.AnswerSurvey(ctx, s.ID, c.value, c.use, c.comment)
		if errCode(err) != c.code {
			t.Errorf("answer %d/%d: err = %v, want code %s", c.value, c.use, err, c.code)
		}
		if msg := domain.Message(err, "es"); msg == "" || msg[len(msg)-1] != '.' {
			t.Errorf("answer %d/%d: message %q is not a sentence", c.value, c.use, msg)
		}
	}
	if got := survey(t, st, s.ID); got.Value != v.Value || got.Use != v.Use || len(got.Comments) != 2 {
		t.Fatalf("bad answers changed the survey: %+v", got.Survey)
	}
}

func TestParseSurveyTally(t *testing.T) {
	c, err := domain.ParseSurveyTally(" 1, 2,0,4 ,5", "value")
	if err != nil || c != (domain.SurveyCounts{1, 2, 0, 4, 5}) {
		t.Fatalf("tally = %v, %v", c, err)
	}
	for _, in := range []string{"1,2,3", "1,2,3,4,5,6", "", "1,2,x,4,5", "1,-2,3,4,5", "1,2,3,4,10001"} {
		_, err := domain.ParseSurveyTally(in, "use")
		if err == nil {
			t.Errorf("tally %q: no error", in)
			continue
		}
		msg := domain.Message(err, "es")
		if in == "1,2,3" && msg != "El conteo de la probabilidad de uso (--use) debe tener 5 números separados por comas, del más bajo al más alto (por ejemplo 0,1,3,6,2)." {
			t.Errorf("tally %q: message %q", in, msg)
		}
	}
}

// TestSurveyTravels follows a survey from the kiosk to the batch: it does
// not travel while it takes answers, travels with its session once closed,
// refuses answers afterwards, and a survey left open travels by itself 7
// days after its session.
func TestSurveyTravels(t *testing.T) {
	st := seeded(t)
	now := time.Date(2026, 11, 27, 13, 0, 0, 0, time.UTC)
	st.Now = func() time.Time { return now }
	a := closedSession(t, st, "CH-1", []string{"20123456"}, nil)
	b := closedSession(t, st, "CU-1", []string{"21000111"}, nil)
	comments := []string{"uno", "dos", "tres", "cuatro", "cinco", "seis"}
	for i, c := range comments {
		for _, id := range []string{a.ID, b.ID} {
			if err := st.AnswerSurvey(ctx, id, 1+i%5, 5-i%5, c); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := st.CloseSurvey(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if err := st.AnswerSurvey(ctx, a.ID, 3, 3, ""); errCode(err) != domain.CodeSurveyClosed {
		t.Fatalf("answer after close: err = %v, want %s", err, domain.CodeSurveyClosed)
	}
	if err := st.TallySurvey(ctx, a.ID, domain.SurveyCounts{1}, domain.SurveyCounts{1}); errCode(err) != domain.CodeSurveyClosed {
		t.Fatalf("tally after close: err = %v, want %s", err, domain.CodeSurveyClosed)
	}
	batch, err := st.NextBatch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(batch.Sessions) != 2 || len(batch.Surveys) != 1 {
		t.Fatalf("batch has %d sessions and %d surveys, want 2 and 1 (only the closed survey)", len(batch.Sessions), len(batch.Surveys))
	}
	got := batch.Surveys[0]
	if got.SessionID != a.ID || got.Value != (domain.SurveyCounts{2, 1, 1, 1, 1}) || got.Use != (domain.SurveyCounts{1, 1, 1, 1, 2}) {
		t.Fatalf("survey record = %+v", got)
	}
	if !slices.Equal(slices.Sorted(slices.Values(got.Comments)), slices.Sorted(slices.Values(comments))) {
		t.Fatalf("comments = %q, want the 6 answers' comments", got.Comments)
	}
	r := acceptAll(batch)
	r.Outcomes = append(r.Outcomes, wire.Outcome{Kind: wire.KindSurvey, ID: a.ID, Result: wire.Accepted})
	if _, err := st.SaveReceipt(ctx, r); err != nil {
		t.Fatal(err)
	}
	if v := survey(t, st, a.ID); v.SyncState != wire.Accepted || v.Open {
		t.Fatalf("survey after receipt: %+v, want accepted and closed", v)
	}
	if next, err := st.NextBatch(ctx); err != nil || next != nil {
		t.Fatalf("next batch while b's survey is open = %+v, %v; want none", next, err)
	}

	// Seven days after the session b's survey still takes answers; the day
	// after, it is closed and travels without "Cerrar encuesta".
	now = time.Date(2026, 12, 4, 20, 0, 0, 0, time.UTC)
	if !survey(t, st, b.ID).Open {
		t.Fatal("survey closed on its 7th day")
	}
	now = time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	if err := st.AnswerSurvey(ctx, b.ID, 3, 3, ""); errCode(err) != domain.CodeSurveyClosed {
		t.Fatalf("answer 8 days after: err = %v, want %s", err, domain.CodeSurveyClosed)
	}
	batch, err = st.NextBatch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if batch == nil || len(batch.Surveys) != 1 || batch.Surveys[0].SessionID != b.ID || batch.Surveys[0].Value.Total() != 6 {
		t.Fatalf("batch after 7 days = %+v, want b's survey alone", batch)
	}
}

func TestSurveyWaitsForItsSession(t *testing.T) {
	st := seeded(t)
	s := newSession(t, st, "CH-1")
	if err := st.AnswerSurvey(ctx, s.ID, 4, 4, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := st.CloseSurvey(ctx, s.ID); err != nil {
		t.Fatal(err)
	}
	if b, err := st.NextBatch(ctx); err != nil || b != nil {
		t.Fatalf("batch with the session still open = %+v, %v; want none", b, err)
	}
	if _, err := st.CloseSession(ctx, s.ID); err != nil {
		t.Fatal(err)
	}
	b, err := st.NextBatch(ctx)
	if err != nil || b == nil || len(b.Sessions) != 1 || len(b.Surveys) != 1 {
		t.Fatalf("batch after closing the session = %+v, %v", b, err)
	}
}

// TestSurveyRejected keeps a survey the registry rejected among the sync
// problems, named by its session, and refuses answers to it.
func TestSurveyRejected(t *testing.T) {
	st := seeded(t)
	s := closedSession(t, st, "CH-1", []string{"20123456"}, nil)
	if err := st.AnswerSurvey(ctx, s.ID, 4, 4, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := st.CloseSurvey(ctx, s.ID); err != nil {
		t.Fatal(err)
	}
	b, err := st.NextBatch(ctx)
	if err != nil || b == nil || len(b.Surveys) != 1 {
		t.Fatalf("batch = %+v, %v", b, err)
	}
	r := acceptAll(b)
	r.Outcomes = append(r.Outcomes, wire.RejectedOutcome(wire.KindSurvey, s.ID, wire.Reject(wire.RejectSurvey, "prueba")))
	if _, err := st.SaveReceipt(ctx, r); err != nil {
		t.Fatal(err)
	}
	problems, err := st.SyncProblems(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) != 1 || problems[0].Kind != wire.KindSurvey || problems[0].SessionID != s.ID ||
		problems[0].Label != "Charla inspiradora — 2026-11-27" || problems[0].Code != wire.RejectSurvey {
		t.Fatalf("problems = %+v", problems)
	}
	if err := st.AnswerSurvey(ctx, s.ID, 3, 3, ""); errCode(err) != domain.CodeSurveyClosed {
		t.Fatalf("answer to a rejected survey: %v", err)
	}
}
