package central_test

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/puntos-ar/puntos/reports/atlas"
	"github.com/puntos-ar/puntos/storage/geo"
)

// TestCentralImpact shows the impact view from a real registry over
// HTTP: the totals, the map (every place a faint dot, Tandil coloured),
// the March bar, the survey hidden below 5 answers, and a bad year.
func TestCentralImpact(t *testing.T) {
	r := newCentralRig(t)
	c := r.c
	r.login()
	c.SelectTab(5)
	test.Tap(c.ImpactShow())
	c.Wait()
	sum := c.ImpactSummary()
	for _, want := range []string{"Personas capacitadas: 1", "Sesiones: 1", "Horas-persona:", "Puntos otorgados: 6",
		"En línea (virtual o híbrida): 0 %", "Alcance: 1 provincias y 1 municipios"} {
		if !strings.Contains(sum, want) {
			t.Errorf("summary lacks %q:\n%s", want, sum)
		}
	}
	if got := c.ImpactSurvey(); !strings.Contains(got, "0 respuestas; los resultados se muestran desde 5") {
		t.Errorf("survey %q", got)
	}
	dots := c.ImpactDots()
	if dots[atlas.Faint] < len(geo.Places())-50 {
		t.Errorf("%d faint dots for %d places", dots[atlas.Faint], len(geo.Places()))
	}
	if dots[atlas.Ramp(0)] != 1 {
		t.Errorf("dots %v: want Tandil coloured", dots)
	}
	months := c.ImpactMonths()
	if len(months) != 12 || months[2] < 80 || months[0] > 1 {
		t.Errorf("month bars %v, want March full", months)
	}
	c.ImpactYear().SetText("26")
	test.Tap(c.ImpactShow())
	c.Wait()
	if !strings.Contains(c.ImpactSummary(), "Personas capacitadas: 1") {
		t.Errorf("a bad year replaced the view: %q", c.ImpactSummary())
	}
}
