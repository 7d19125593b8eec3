package device_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/sync/wire"
)

// TestSurveySync sends surveys to a real registry over HTTP: one closed
// with its session, one closed after its session was accepted; both are
// stored at the registry with their counts and comments, and the device
// then refuses answers to them.
func TestSurveySync(t *testing.T) {
	ctx := context.Background()
	r := newDevRig(t)
	r.record(2, 3)
	sessions, err := r.dev.Sessions(ctx, "")
	if err != nil || len(sessions) != 2 {
		t.Fatalf("sessions = %d, %v", len(sessions), err)
	}
	first, second := sessions[0].ID, sessions[1].ID
	answer := func(id string, value, use int, comment string) {
		t.Helper()
		if err := r.dev.AnswerSurvey(ctx, id, value, use, comment); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 5 {
		answer(first, 5-i%2, 4, []string{"Excelente", "", "Más práctica", "", "Muy útil"}[i])
		answer(second, 3, 2+i%3, "")
	}
	if err := r.dev.TallySurvey(ctx, second, domain.SurveyCounts{0, 0, 2, 0, 0}, domain.SurveyCounts{0, 1, 1, 0, 0}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.dev.CloseSurvey(ctx, first); err != nil {
		t.Fatal(err)
	}
	r.sync()
	got, err := r.reg.Survey(ctx, first)
	if err != nil {
		t.Fatalf("registry survey of the first session: %v", err)
	}
	if got.Value != (domain.SurveyCounts{0, 0, 0, 2, 3}) || got.Use != (domain.SurveyCounts{0, 0, 0, 5, 0}) {
		t.Fatalf("registry survey = %+v", got)
	}
	if want := []string{"Excelente", "Muy útil", "Más práctica"}; !slices.Equal(slices.Sorted(slices.Values(got.Comments)), want) {
		t.Fatalf("registry comments = %q, want %q in any order", got.Comments, want)
	}
	if _, err := r.reg.Survey(ctx, second); err == nil {
		t.Fatal("the open survey travelled")
	}

	// The second session is at the registry; its survey follows alone.
	if _, err := r.dev.CloseSurvey(ctx, second); err != nil {
		t.Fatal(err)
	}
	r.sync()
	got, err = r.reg.Survey(ctx, second)
	if err != nil {
		t.Fatalf("registry survey of the second session: %v", err)
	}
	if got.Value != (domain.SurveyCounts{0, 0, 7, 0, 0}) || got.Use != (domain.SurveyCounts{0, 3, 3, 1, 0}) || len(got.Comments) != 0 {
		t.Fatalf("registry survey = %+v", got)
	}
	for _, id := range []string{first, second} {
		v, err := r.dev.Survey(ctx, id)
		if err != nil || v.SyncState != wire.Accepted {
			t.Fatalf("device survey %s: %+v, %v; want accepted", id, v, err)
		}
		if err := r.dev.AnswerSurvey(ctx, id, 3, 3, ""); err == nil {
			t.Fatalf("answer to a sent survey stored")
		}
	}
	if n, err := r.dev.Waiting(ctx); err != nil || n != 0 {
		t.Fatalf("%d records still waiting (%v)", n, err)
	}
}

// TestSurveyRejected posts surveys the registry must refuse: one for a
// session it does not have and one with impossible counts; each gets its
// code and a message, and nothing is stored.
func TestSurveyRejected(t *testing.T) {
	ctx := context.Background()
	r := newDevRig(t)
	b := wire.Batch{Protocol: wire.Protocol, ID: "survey-bad-1", DeviceClock: time.Now(), Surveys: []wire.SurveyRecord{
		{SessionID: "no-such-session", Value: domain.SurveyCounts{0, 0, 5, 0, 0}, Use: domain.SurveyCounts{0, 0, 5, 0, 0}},
		{SessionID: "neg-counts", Value: domain.SurveyCounts{-1, 0, 5, 0, 0}},
		{SessionID: "too-many-comments", Value: domain.SurveyCounts{1}, Comments: []string{"a", "b"}},
	}}
	code, body := r.post(b)
	if code != http.StatusOK {
		t.Fatalf("post: %d %s", code, body)
	}
	var rec wire.Receipt
	if err := json.Unmarshal(body, &rec); err != nil {
		t.Fatal(err)
	}
	want := []string{wire.RejectSurveySession, wire.RejectSurvey, wire.RejectSurvey}
	if len(rec.Outcomes) != len(want) {
		t.Fatalf("outcomes = %+v", rec.Outcomes)
	}
	for i, o := range rec.Outcomes {
		if o.Kind != wire.KindSurvey || o.Result != wire.Rejected || o.Code != want[i] || o.Message == "" {
			t.Errorf("outcome %d = %+v, want rejected %s with a message", i, o, want[i])
		}
		if _, err := r.reg.Survey(ctx, o.ID); err == nil {
			t.Errorf("rejected survey %s stored", o.ID)
		}
	}
}
