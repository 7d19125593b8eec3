package geo_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/storage/geo"
	"github.com/puntos-ar/puntos/storage/geo/internal/georef"
)

// missing are the provinces municipios.csv has no rows for.
var missing = []string{"02", "30", "78", "86"}

func TestProvinces(t *testing.T) {
	ps := geo.Provinces()
	if got, want := len(ps), 24; got != want {
		t.Fatalf("len(Provinces()) = %d, want %d", got, want)
	}
	if !slices.IsSortedFunc(ps, func(a, b geo.Province) int { return strings.Compare(domain.Fold(a.Name), domain.Fold(b.Name)) }) {
		t.Errorf("Provinces() not sorted by name: %v", ps)
	}
	ids := map[string]bool{}
	for _, p := range ps {
		if len(p.ID) != 2 || ids[p.ID] {
			t.Errorf("province %q: bad or repeated ID %q", p.Name, p.ID)
		}
		ids[p.ID] = true
	}
	if !slices.Contains(ps, geo.Province{ID: "02", Name: "Ciudad Autónoma de Buenos Aires"}) {
		t.Errorf("Provinces() lacks CABA: %v", ps)
	}
	ps[0].Name = "changed"
	if got := geo.Provinces()[0].Name; got == "changed" {
		t.Errorf("Provinces() shares its slice with the caller")
	}
}

func TestMunicipalities(t *testing.T) {
	for _, p := range geo.Provinces() {
		t.Run(p.Name, func(t *testing.T) {
			names := geo.Municipalities(p.ID)
			if len(names) == 0 {
				t.Fatalf("Municipalities(%q) is empty", p.ID)
			}
			seen := map[string]string{}
			for _, n := range names {
				checkName(t, n)
				f := domain.Fold(n)
				if other, ok := seen[f]; ok {
					t.Errorf("%q and %q fold alike", other, n)
				}
				seen[f] = n
			}
			if !slices.IsSortedFunc(names, georef.CompareFolded) {
				t.Errorf("Municipalities(%q) not sorted by folded name", p.ID)
			}
		})
	}
	t.Run("MissingProvincesHavePlaces", func(t *testing.T) {
		want := map[string][]string{
			"02": {"Ciudad Autónoma de Buenos Aires", "Comuna 1", "Comuna 15"},
			"30": {"Paraná", "Concepción del Uruguay", "Gualeguaychú", "Chajarí"},
			"78": {"Río Gallegos", "Caleta Olivia", "El Calafate"},
			"86": {"Santiago del Estero", "La Banda", "Termas de Río Hondo", "Añatuya"},
		}
		for _, id := range missing {
			got := geo.Municipalities(id)
			for _, w := range want[id] {
				if !slices.Contains(got, w) {
					t.Errorf("Municipalities(%q) lacks %q", id, w)
				}
			}
		}
		if got, want := len(geo.Municipalities("02")), 16; got != want {
			t.Errorf("len(Municipalities(CABA)) = %d, want %d (15 comunas and the city)", got, want)
		}
	})
	t.Run("Cleaned", func(t *testing.T) {
		want := map[string][]string{
			"06": {"General Las Heras", "Exaltación de la Cruz", "General La Madrid", "José C. Paz", "9 de Julio"},
			"14": {"Villa General Belgrano", "Capitán General Bernardo O'Higgins", "Villa Sarmiento (San Alberto)", "Paso del Durazno"},
			"18": {"Gobernador Ingeniero Valentín Virasoro", "Colonia Liebig's", "Paso de los Libres"},
			"22": {"General San Martín", "Colonia Elisa", "Colonia Benítez"},
			"26": {"Doctor Atilio Oscar Viglione", "Gan Gan"},
			"46": {"La Rioja"},
			"50": {"Ciudad de Mendoza"},
			"54": {"General Alvear", "General J. J. Urquiza"},
			"58": {"Caviahue-Copahue", "San Martín de los Andes"},
			"62": {"General Fernández Oro", "General Roca", "Ingeniero Jacobacci", "Río Colorado", "El Bolsón"},
			"74": {"Villa General Roca", "Villa de la Quebrada", "Villa de Praga", "Potrero de los Funes", "Santa Rosa del Conlara"},
			"82": {"María Luisa", "Máximo Paz", "San Martín Norte", "San Martín de las Escobas"},
			"90": {"San Miguel de Tucumán", "Tafí del Valle", "Banda del Río Salí", "Gobernador Piedrabuena", "Santa Rosa de Leales y Laguna Blanca", "Villa Belgrano"},
		}
		for id, names := range want {
			got := geo.Municipalities(id)
			for _, w := range names {
				if !slices.Contains(got, w) {
					t.Errorf("Municipalities(%q) lacks %q", id, w)
				}
			}
		}
	})
	t.Run("UnknownProvince", func(t *testing.T) {
		if got := geo.Municipalities("99"); got != nil {
			t.Errorf("Municipalities(99) = %v, want nil", got)
		}
	})
	t.Run("ReturnsCopy", func(t *testing.T) {
		geo.Municipalities("14")[0] = "changed"
		if got := geo.Municipalities("14")[0]; got == "changed" {
			t.Errorf("Municipalities shares its slice with the caller")
		}
	})
}

// checkName fails t if a place name still shows one of georef's defects.
func checkName(t *testing.T, n string) {
	t.Helper()
	switch {
	case strings.ContainsAny(n, "\r\n\t"):
		t.Errorf("%q holds a line break or tab", n)
	case strings.Contains(n, "  ") || n != strings.TrimSpace(n):
		t.Errorf("%q holds extra spaces", n)
	case strings.Contains(n, ","):
		t.Errorf("%q holds a comma", n)
	case n == strings.ToUpper(n) && strings.ToLower(n) != n:
		t.Errorf("%q is all upper case", n)
	}
	words := strings.Fields(domain.Fold(n))
	pairs := map[string]bool{}
	for i, w := range words {
		switch w {
		case "gral", "pte", "cnel", "tte", "cmdte", "dr", "ing", "sta", "sto", "gdor":
			t.Errorf("%q holds the abbreviation %q", n, w)
		}
		if i > 0 {
			pair := words[i-1] + " " + w
			if pairs[pair] {
				t.Errorf("%q repeats %q", n, pair)
			}
			pairs[pair] = true
		}
	}
}

func TestFindProvince(t *testing.T) {
	tests := []struct{ in, want string }{
		{"cordoba", "14"},
		{"CÓRDOBA", "14"},
		{"  Córdoba ", "14"},
		{"CABA", "02"},
		{"C.A.B.A.", "02"},
		{"Capital Federal", "02"},
		{"Ciudad de Buenos Aires", "02"},
		{"Ciudad Autonoma de Buenos Aires", "02"},
		{"tierra del fuego", "94"},
		{"Tierra del Fuego, Antártida e Islas del Atlántico Sur", "94"},
		{"Santiago", "86"},
		{"santiago del estero", "86"},
		{"BA", "06"},
		{"Bs As", "06"},
		{"Bs. As.", "06"},
		{"Buenos Aires", "06"},
		{"Provincia de Buenos Aires", "06"},
		{"06", "06"},
		{"6", "06"},
		{"AR-X", "14"},
		{"Santa Fe", "82"},
		{"SANTA FE", "82"},
		{"Santa Cruz", "78"},
		{"Entre Rios", "30"},
		{"Neuquen", "58"},
		{"Provincia del Chaco", "22"},
		{"Pcia. de La Pampa", "42"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := geo.FindProvince(tt.in)
			if !ok || got.ID != tt.want {
				t.Errorf("FindProvince(%q) = %v, %v; want ID %s", tt.in, got, ok, tt.want)
			}
		})
	}
	for _, in := range []string{"", "Santa", "Buenos", "Atlantis", "99", "0", "Provincia de", "Córdoba Capital"} {
		t.Run("NotFound/"+in, func(t *testing.T) {
			if got, ok := geo.FindProvince(in); ok {
				t.Errorf("FindProvince(%q) = %v, want not found", in, got)
			}
		})
	}
}

func TestSuggest(t *testing.T) {
	tests := []struct {
		name, province, typed string
		limit                 int
		want                  []string
	}{
		{"AccentInsensitive", "30", "concepcion del u", 5, []string{"Concepción del Uruguay"}},
		{"PrefixBeforeWords", "14", "villa gen", 5, []string{"Villa General Belgrano", "Villa Sarmiento (General Roca)"}},
		{"CaseInsensitive", "90", "SAN MIGUEL", 5, []string{"San Miguel de Tucumán", "Ranchillos y San Miguel"}},
		{"PrefixBeforeWord", "82", "san jose", 0, []string{"San José de la Esquina", "San José del Rincón", "Colonia San José", "Villa San José"}},
		{"WordPrefix", "14", "belgrano", 0, []string{"Villa General Belgrano"}},
		{"WordsInOrder", "14", "villa belgrano", 0, []string{"Villa General Belgrano"}},
		{"Abbreviation", "62", "gral roca", 0, []string{"General Roca"}},
		{"AbbreviationBeingTyped", "74", "sta", 0, nil},
		{"AbbreviationTyped", "74", "sta ", 0, []string{"Santa Rosa del Conlara"}},
		{"Limit", "06", "general", 3, []string{"General Alvarado", "General Alvear", "General Arenales"}},
		{"Numbers", "02", "comuna 1", 0, []string{"Comuna 1", "Comuna 10", "Comuna 11", "Comuna 12", "Comuna 13", "Comuna 14", "Comuna 15"}},
		{"Empty", "02", "", 2, []string{"Ciudad Autónoma de Buenos Aires", "Comuna 1"}},
		{"NoMatch", "14", "springfield", 5, nil},
		{"UnknownProvince", "99", "a", 5, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := geo.Suggest(tt.province, tt.typed, tt.limit)
			if len(got) == 0 && len(tt.want) == 0 {
				return
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Suggest(%q, %q, %d) = %q, want %q", tt.province, tt.typed, tt.limit, got, tt.want)
			}
		})
	}
	t.Run("LimitCapsEveryTier", func(t *testing.T) {
		for _, p := range geo.Provinces() {
			if got := geo.Suggest(p.ID, "a", 7); len(got) > 7 {
				t.Errorf("Suggest(%q, a, 7) gave %d names", p.ID, len(got))
			}
		}
	})
}

func TestFindMunicipality(t *testing.T) {
	tests := []struct{ province, in, want string }{
		{"14", "CORDOBA", "Córdoba"},
		{"14", "villa general belgrano", "Villa General Belgrano"},
		{"90", "san miguel de tucuman", "San Miguel de Tucumán"},
		{"62", "Gral. Roca", "General Roca"},
		{"62", "gral roca", "General Roca"},
		{"02", "comuna 1", "Comuna 1"},
		{"86", "Añatuya", "Añatuya"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := geo.FindMunicipality(tt.province, tt.in)
			if !ok || got != tt.want {
				t.Errorf("FindMunicipality(%q, %q) = %q, %v; want %q", tt.province, tt.in, got, ok, tt.want)
			}
		})
	}
	for _, tt := range []struct{ province, in string }{
		{"14", "Springfield"},
		{"14", "villa"},
		{"14", "San Miguel de Tucumán"}, // listed, but in another province
		{"99", "Córdoba"},
		{"14", ""},
	} {
		t.Run("NotListed/"+tt.in, func(t *testing.T) {
			if got, ok := geo.FindMunicipality(tt.province, tt.in); ok {
				t.Errorf("FindMunicipality(%q, %q) = %q, want not listed", tt.province, tt.in, got)
			}
		})
	}
}

// TestGenerated checks that the committed places.tsv is what the generator makes from the
// georef-ar files in ../shared/data/georef (relative to the module root).
func TestGenerated(t *testing.T) {
	src := filepath.Join(moduleRoot(t), "..", "shared", "data", "georef")
	if _, err := os.Stat(filepath.Join(src, "municipios.csv")); err != nil {
		t.Skipf("georef source files not found: %v", err)
	}
	var b bytes.Buffer
	if err := georef.Build(src, &b); err != nil {
		t.Fatalf("Build: %v", err)
	}
	file, err := os.ReadFile("places.tsv")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(b.Bytes(), file) {
		return
	}
	got, want := strings.Split(string(file), "\n"), strings.Split(b.String(), "\n")
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			t.Fatalf("places.tsv line %d = %q, generator gives %q; run go generate ./storage/geo/", i+1, got[i], want[i])
		}
	}
	t.Fatalf("places.tsv has %d lines, generator gives %d; run go generate ./storage/geo/", len(got), len(want))
}

func TestAttribution(t *testing.T) {
	file, err := os.ReadFile("places.tsv")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(file), geo.Attribution) {
		t.Errorf("places.tsv does not carry %q", geo.Attribution)
	}
}

func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test directory")
		}
		dir = parent
	}
}

func BenchmarkSuggest(b *testing.B) {
	geo.Provinces() // load outside the timed loop
	cases := []struct{ name, province, typed string }{
		{"Prefix", "14", "villa"},
		{"Word", "82", "martin"},
		{"Words", "14", "villa belgrano"},
		{"Miss", "14", "zzz"},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				geo.Suggest(c.province, c.typed, 10)
			}
		})
	}
}

func TestLocations(t *testing.T) {
	places := geo.Places()
	if len(places) < 2000 {
		t.Fatalf("Places() = %d places, want every municipality", len(places))
	}
	for _, p := range places {
		if p.Lat < -56 || p.Lat > -21 || p.Lon < -74 || p.Lon > -53 {
			t.Fatalf("%s (%s) at %v: outside Argentina", p.Name, p.ProvinceID, p.Point)
		}
	}
	// Córdoba capital, from municipios.csv.
	if c, ok := geo.Locate("14", "cordoba"); !ok || c.Lat > -31.3 || c.Lat < -31.5 || c.Lon > -64.1 || c.Lon < -64.3 {
		t.Errorf("Locate(14, cordoba) = %v, %v", c, ok)
	}
	// Entre Ríos has no municipalities in georef: its places sit at Paraná.
	parana := geo.Point{Lat: -31.7333, Lon: -60.5297} // capitales.csv
	if c, ok := geo.Locate("30", "Concordia"); !ok || c != parana {
		t.Errorf("Locate(30, Concordia) = %v, %v; want Paraná %v", c, ok, parana)
	}
	if _, ok := geo.Locate("14", "Atlántida"); ok {
		t.Error("Locate found a place Córdoba does not list")
	}
}
