package ui_test

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/ui"
)

// TestSurveyKiosk passes the laptop around: answers one after another,
// the form cleared between people, a bad paper tally refused with its
// sentence, then "Cerrar encuesta", after which the kiosk takes nothing.
func TestSurveyKiosk(t *testing.T) {
	dir, st := demoStore(t)
	s, err := st.CreateSession(ctx, domain.Session{ActivityCode: "CH-INSP-01", Date: time.Now().Format("2006-01-02"),
		Start: "10:00", End: "12:00", Province: "Salta", Municipality: "Cafayate"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CloseSession(ctx, s.ID); err != nil {
		t.Fatal(err)
	}
	h := startApp(t, st, ui.Options{DataDir: dir, Reports: st, Surveys: st})
	test.Tap(h.a.NavSessions())
	h.a.Wait()
	h.a.TapSession(indexOf(h.a.SessionItems(), s.ID))
	h.a.Wait()
	if !h.a.SurveyButton().Visible() {
		t.Fatal("no «Encuesta» button on a closed session")
	}
	test.Tap(h.a.SurveyButton())
	h.a.Wait()
	if !h.a.SurveyShowing() || !strings.Contains(h.a.SurveyState(), "0 respuestas · abierta hasta el") {
		t.Fatalf("survey screen: showing=%v state %q", h.a.SurveyShowing(), h.a.SurveyState())
	}

	h.a.SurveyAnswer(5, 4, "Muy clara")
	h.a.Wait()
	if v, u, c := h.a.SurveyPicked(); v != "" || u != "" || c != "" {
		t.Fatalf("the form kept the last answer: %q %q %q", v, u, c)
	}
	if !strings.Contains(h.a.SurveyThanks(), "Gracias") || !strings.HasPrefix(h.a.SurveyState(), "1 respuesta ·") {
		t.Fatalf("after an answer: thanks %q, state %q", h.a.SurveyThanks(), h.a.SurveyState())
	}
	h.a.SurveyAnswer(3, 0, "") // the use question left out
	h.a.Wait()
	if got := h.overlayText(); !strings.Contains(got, "Elegí una opción en las dos preguntas") {
		t.Fatalf("half an answer: dialog %q", got)
	}
	h.tapDialogButton("OK")
	h.a.SurveyAnswer(0, 5, "") // the same person picks the missing one
	h.a.Wait()
	if !strings.HasPrefix(h.a.SurveyState(), "2 respuestas ·") {
		t.Fatalf("after completing the answer: state %q", h.a.SurveyState())
	}

	h.a.SurveyTally("1,2,3", "0,0,0,0,1")
	h.a.Wait()
	if got := h.overlayText(); !strings.Contains(got, "debe tener 5 números separados por comas") {
		t.Fatalf("bad tally: dialog %q", got)
	}
	h.tapDialogButton("OK")
	h.a.SurveyTally("0,1,0,2,1", "0,0,1,2,1")
	h.a.Wait()
	sv, err := st.Survey(ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if sv.Value != (domain.SurveyCounts{0, 1, 1, 2, 2}) || sv.Use != (domain.SurveyCounts{0, 0, 1, 3, 2}) || len(sv.Comments) != 1 {
		t.Fatalf("stored survey = %+v", sv.Survey)
	}

	h.a.SurveyClose()
	h.a.Wait()
	h.tapDialogButton("Cerrar encuesta")
	if !strings.Contains(h.a.SurveyState(), "6 respuestas · cerrada") || h.a.SurveySubmitEnabled() {
		t.Fatalf("after closing: state %q, submit enabled %v", h.a.SurveyState(), h.a.SurveySubmitEnabled())
	}
	if sv, _ := st.Survey(ctx, s.ID); sv.Open || sv.SyncState != storage.SyncPending {
		t.Fatalf("closed survey = %+v, want closed and pending", sv)
	}
}
