package cli_test

import (
	"encoding/json"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/puntos-ar/puntos/storage/demo"
	"github.com/puntos-ar/puntos/storage/domain"
)

type surveyJSON struct {
	Session   string         `json:"session"`
	Open      bool           `json:"open"`
	Responses int            `json:"responses"`
	Value     map[string]int `json:"value"`
	Use       map[string]int `json:"use"`
	Comments  []string       `json:"comments"`
}

func showSurvey(t *testing.T, dir, id string) (surveyJSON, string) {
	t.Helper()
	out := mustRun(t, dir, "survey", "show", id, "--json")
	var v surveyJSON
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("survey show --json: %v\n%s", err, out)
	}
	return v, out
}

func TestSurveyCommands(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, dir, "catalog", "import", write(t, "catalogo.csv", []byte(demo.Catalog)))
	today := time.Now().In(domain.Argentina).Format("2006-01-02")
	id := strings.TrimSpace(mustRun(t, dir, "session", "new", "--activity", "CH-INSP-01", "--date", today,
		"--start", "10:00", "--end", "12:00", "--province", "Salta", "--municipality", "cafayate"))

	mustRun(t, dir, "survey", "answer", id[:8], "--value", "5", "--use", "4", "--comment", "Muy clara")
	mustRun(t, dir, "survey", "answer", id, "--value", "4", "--use", "4")
	v, out := showSurvey(t, dir, id)
	if v.Responses != 2 || v.Value != nil || v.Use != nil || v.Comments != nil || !v.Open {
		t.Fatalf("2 answers: %s, want value, use and comments null", out)
	}
	if !strings.Contains(out, `"value": null`) {
		t.Errorf("show --json: %s, want \"value\": null", out)
	}
	if text := mustRun(t, dir, "survey", "show", id); !strings.Contains(text, "desde 5 respuestas") || strings.Contains(text, "Muy clara") {
		t.Errorf("show with 2 answers:\n%s", text)
	}

	// Bad input: one sentence each, nothing stored.
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"answer", id, "--value", "6", "--use", "4"}, "La valoración de la clase debe ser un número del 1 (muy baja) al 5 (muy alta)."},
		{[]string{"answer", id, "--value", "3", "--use", "0"}, "del 1 (muy improbable) al 5 (muy probable)."},
		{[]string{"tally", id, "--value", "1,2,3", "--use", "0,0,0,0,1"}, "El conteo de la valoración (--value) debe tener 5 números separados por comas"},
		{[]string{"tally", id, "--value", "0,0,0,0,1", "--use", "0,0,1,1,1,1"}, "El conteo de la probabilidad de uso (--use) debe tener 5 números"},
	} {
		code, out, errs := run(t, dir, append([]string{"survey"}, c.args...)...)
		if code == 0 || !strings.Contains(errs, c.want) || out != "" {
			t.Errorf("survey %v: exit %d, stderr %q, want %q", c.args, code, errs, c.want)
		}
	}
	if v, _ := showSurvey(t, dir, id); v.Responses != 2 {
		t.Fatalf("bad input stored answers: %d responses", v.Responses)
	}

	out = mustRun(t, dir, "survey", "tally", id, "--value", "0,1,0,2,3", "--use", "0,0,1,2,3")
	if !strings.Contains(out, "6 respuestas") {
		t.Errorf("tally output: %q", out)
	}
	mustRun(t, dir, "survey", "tally", id, "--value", "0,0,0,0,1", "--use", "0,0,0,0,1") // adds to the first
	v, out = showSurvey(t, dir, id)
	wantValue := map[string]int{"1": 0, "2": 1, "3": 0, "4": 3, "5": 5}
	wantUse := map[string]int{"1": 0, "2": 0, "3": 1, "4": 4, "5": 4}
	if v.Responses != 9 || !maps.Equal(v.Value, wantValue) || !maps.Equal(v.Use, wantUse) || len(v.Comments) != 1 || v.Comments[0] != "Muy clara" {
		t.Fatalf("9 answers: %s", out)
	}

	out = mustRun(t, dir, "survey", "close", id)
	if !strings.Contains(out, "Encuesta cerrada con 9 respuestas") {
		t.Errorf("close output: %q", out)
	}
	code, _, errs := run(t, dir, "survey", "answer", id, "--value", "3", "--use", "3")
	if code == 0 || !strings.Contains(errs, "La encuesta de esta sesión ya está cerrada") {
		t.Errorf("answer after close: exit %d, %q", code, errs)
	}
	if v, _ := showSurvey(t, dir, id); v.Open || v.Responses != 9 {
		t.Errorf("after close: open=%v responses=%d", v.Open, v.Responses)
	}
}
