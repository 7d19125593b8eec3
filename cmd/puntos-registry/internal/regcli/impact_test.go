package regcli_test

import (
	"encoding/json"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/puntos-ar/puntos/reports/atlas"
	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/storage/geo"
	"github.com/puntos-ar/puntos/storage/registry/registrytest"
	"github.com/puntos-ar/puntos/sync/wire"
)

// fillImpact stores, through ingest, a year 2025 session in Cafayate and
// three 2026 sessions: Cafayate in person (3 present, 1 absent; 3 hours;
// a survey of 6 answers), Villa María hybrid (2 present, one of them also
// in Cafayate; 2 hours) and a virtual one in Buenos Aires (1 present;
// 1 hour).
func fillImpact(t *testing.T, dir string) {
	t.Helper()
	ctx := t.Context()
	now := time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)
	st := registrytest.Open(t, dir)
	if _, err := st.ImportCatalog(ctx, strings.NewReader("Código;Título;Tipo;Horas;Puntos\nX-1;Charla;charla;2;5\nX-2;Charla 2;charla;2;3\n")); err != nil {
		t.Fatal(err)
	}
	if _, err := st.ImportRoster(ctx, strings.NewReader("DNI;Apellido;Nombres\n20000001;A;A\n20000002;B;B\n20000003;C;C\n20000004;D;D\n20000005;E;E\n20000006;F;F\n")); err != nil {
		t.Fatal(err)
	}
	dev := registrytest.Device(t, st, "dev-1", "n", "Oficina", "Salta", now)
	sess := func(id, act, date, prov, muni, modality, start, end string) wire.SessionRecord {
		return wire.SessionRecord{ID: id, ActivityCode: act, Date: date, Start: start, End: end, Province: prov,
			Municipality: muni, Modality: modality, ClosedAt: now}
	}
	n := 0
	att := func(s, dni, status string) wire.AttendanceRecord {
		n++
		return wire.AttendanceRecord{ID: "a-" + string(rune('a'+n)), SessionID: s, DNI: dni, Status: status, Method: "typed", At: now}
	}
	b := &wire.Batch{Protocol: wire.Protocol, ID: "b-1", DeviceClock: now,
		Sessions: []wire.SessionRecord{
			sess("s-0", "X-2", "2025-06-10", "Salta", "Cafayate", "presencial", "09:00", "11:00"),
			sess("s-1", "X-1", "2026-03-10", "Salta", "Cafayate", "presencial", "09:00", "12:00"),
			sess("s-2", "X-1", "2026-05-12", "Córdoba", "Villa María", "hibrida", "10:00", "12:00"),
			sess("s-3", "X-2", "2026-05-20", "Buenos Aires", "", "virtual", "10:00", "11:00"),
		},
		Attendances: []wire.AttendanceRecord{
			att("s-0", "20000006", "presente"),
			att("s-1", "20000001", "presente"), att("s-1", "20000002", "tarde"), att("s-1", "20000003", "presente"), att("s-1", "20000004", "ausente"),
			att("s-2", "20000001", "presente"), att("s-2", "20000005", "presente"),
			att("s-3", "20000006", "presente"),
		},
		Surveys: []wire.SurveyRecord{{SessionID: "s-1", Value: domain.SurveyCounts{0, 0, 1, 2, 3}, Use: domain.SurveyCounts{0, 1, 1, 2, 2}, Comments: []string{"Muy buena"}}},
	}
	body, err := st.Ingest(ctx, wire.IngestRequest{Batch: b, Device: dev, Source: wire.SourceHTTP, ReceivedAt: now})
	if err != nil {
		t.Fatal(err)
	}
	var rec wire.Receipt
	if err := json.Unmarshal(body, &rec); err != nil {
		t.Fatal(err)
	}
	for _, o := range rec.Outcomes {
		if o.Result != wire.Accepted {
			t.Fatalf("ingest: %+v", o)
		}
	}
}

func TestImpact(t *testing.T) {
	dir := t.TempDir()
	fillImpact(t, dir)
	out := t.TempDir()
	pdf, pngPath, csvPath := filepath.Join(out, "impacto.pdf"), filepath.Join(out, "mapa.png"), filepath.Join(out, "municipios.csv")
	raw := mustRun(t, "--data", dir, "impact", "--year", "2026", "--json", "--pdf", pdf, "--png", pngPath, "--csv", csvPath)
	var keys map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &keys); err != nil {
		t.Fatalf("--json: %v\n%s", err, raw)
	}
	for _, k := range []string{"year", "people", "sessions", "hours", "points", "online_share", "provinces_reached", "municipalities_reached", "survey", "months", "change"} {
		if _, ok := keys[k]; !ok {
			t.Errorf("--json lacks %q", k)
		}
	}
	var im wire.Impact
	if err := json.Unmarshal([]byte(raw), &im); err != nil {
		t.Fatal(err)
	}
	if im.Year != 2026 || im.People != 5 || im.Sessions != 3 || im.Hours != 14 || im.Points != 4*5+3 || im.Attendances != 6 ||
		im.OnlineShare != 0.5 || im.InPersonShare != 0.5 || im.ProvincesReached != 3 || im.MunicipalitiesReached != 2 {
		t.Errorf("impact 2026 = %+v", im.ImpactTotals)
		t.Errorf("reached %d provinces, %d municipalities", im.ProvincesReached, im.MunicipalitiesReached)
	}
	if im.Survey.Responses != 6 || im.Survey.Value["5"] != 3 || im.Survey.Use["2"] != 1 {
		t.Errorf("survey = %+v", im.Survey)
	}
	if im.Months[2].Attendances != 3 || im.Months[4].Attendances != 3 || im.Months[4].Sessions != 2 || im.Months[0].Sessions != 0 {
		t.Errorf("months = %+v", im.Months)
	}
	if im.Previous.People != 1 || im.Change.People == nil || *im.Change.People != 4 || *im.Change.Sessions != 2 {
		t.Errorf("previous %+v, change %+v", im.Previous, im.Change)
	}
	if m := im.Municipalities; len(m) != 2 || m[0].Municipality != "Cafayate" || !m[0].Located || m[0].Lat > -25 || m[0].Lat < -27 {
		t.Errorf("municipalities = %+v", m)
	}

	// A province: Córdoba only; its survey fields are null (no answers).
	raw = mustRun(t, "--data", dir, "impact", "--year", "2026", "--province", "cordoba", "--json")
	if !strings.Contains(raw, `"value": null`) || !strings.Contains(raw, `"use": null`) {
		t.Errorf("Córdoba's survey is not null:\n%s", raw)
	}
	var cba wire.Impact
	json.Unmarshal([]byte(raw), &cba)
	if cba.Province != "Córdoba" || cba.People != 2 || cba.Sessions != 1 || cba.OnlineShare != 1 || cba.MunicipalitiesReached != 1 {
		t.Errorf("Córdoba = %+v", cba)
	}

	// The PDF reads back.
	txt, err := exec.Command("pdftotext", "-layout", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	for _, want := range []string{"IMPACTO DE LA CAPACITACIÓN", "Año 2026", "Personas capacitadas: 5 (+400 % respecto de 2025).",
		"Horas-persona: 14", "en línea (virtual o híbrida) 50 %", "Alcance: 3 provincias y 2 municipios.", "Cafayate", "Villa María",
		"Valor de la clase (6 respuestas)"} {
		if !strings.Contains(string(txt), want) {
			t.Errorf("PDF lacks %q:\n%s", want, txt)
		}
	}

	// The PNG: the country's dots, Cafayate in the darkest colour.
	f, err := os.Open(pngPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	cafayate, _ := geo.Locate("66", "Cafayate")
	x, y := atlas.Project(cafayate, 0, 0, float64(b.Dx()), float64(b.Dy()))
	if got := color.RGBAModel.Convert(img.At(int(x), int(y))); got != atlas.High {
		t.Errorf("Cafayate on the PNG is %v, want %v", got, atlas.High)
	}
	faint := 0
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			if color.RGBAModel.Convert(img.At(x, y)) == atlas.Faint {
				faint++
			}
		}
	}
	if faint < 500 {
		t.Errorf("only %d faint pixels sampled: the country is not drawn", faint)
	}

	csv, err := os.ReadFile(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(csv), "Salta;Cafayate;1;3;'-26.") {
		t.Errorf("CSV:\n%s", csv)
	}

	// Bad input.
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"impact"}, "falta --year AAAA"},
		{[]string{"impact", "--year", "1999"}, "El año 1999 no es válido."},
		{[]string{"impact", "--year", "2026", "--province", "Atlántida"}, `No se reconoce la provincia "Atlántida"`},
	} {
		code, _, errs := run(t, append([]string{"--data", dir}, c.args...)...)
		if code == 0 || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, %q; want %q", c.args, code, errs, c.want)
		}
	}
}
