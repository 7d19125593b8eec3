package georef_test

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/puntos-ar/puntos/storage/geo/internal/georef"
)

func TestClean(t *testing.T) {
	tests := []struct {
		name, in  string
		municipio bool
		want      string
	}{
		{"TitleCase", "VILLA GENERAL BELGRANO", true, "Villa General Belgrano"},
		{"Particles", "SAN MIGUEL DE TUCUMÁN", true, "San Miguel de Tucumán"},
		{"ArticleAfterDe", "PASO DE LOS  LIBRES", true, "Paso de los Libres"},
		{"ArticleStartsName", "GENERAL LAS  HERAS", true, "General Las Heras"},
		{"ArticleAfterY", "EL NARANJO Y EL SUNCHAL", true, "El Naranjo y El Sunchal"},
		{"Abbreviations", "GRAL. FDEZ. ORO", true, "General Fernández Oro"},
		{"AbbreviationNoDot", "STA ROSA DEL  CONLARA", true, "Santa Rosa del Conlara"},
		{"AbbreviationInParens", "Villa San Martín (Est. Loreto)", false, "Villa San Martín (Estación Loreto)"},
		{"Initials", "GENERAL J. J. URQUIZA", true, "General J. J. Urquiza"},
		{"Elision", "CAPITÁN GENERAL B. O'HIGGINS", true, "Capitán General B. O'Higgins"},
		{"Possessive", "COLONIA LIEBIG'S", true, "Colonia Liebig's"},
		{"Hyphen", "CAVIAHUE-COPAHUE", true, "Caviahue-Copahue"},
		{"RepeatedLines", "MARÍA LUISA\nMARÍA LUISA\nMARÍA LUISA", true, "María Luisa"},
		{"BrokenFirstLine", "GRAL. SAN MARTENGENERAL SAN MARTÍN\nGENERAL SAN MARTÍN\nGENERAL SAN MARTÍN", true, "General San Martín"},
		{"GraveAccent", "RÌO COLORADO", true, "Río Colorado"},
		{"LostAccent", "MUNICIPALIDAD DE TAFI DEL  VALLE", true, "Tafí del Valle"},
		{"ComunaPrefix", "COMUNA VILLA BELGRANO", true, "Villa Belgrano"},
		{"ComunaNumber", "Comuna 1", false, "Comuna 1"},
		{"RomanNumeral", "XX de Setiembre", false, "XX de Setiembre"},
		{"OrdinalSuffix", "Villa Ciudad Parque Los Reartes (1a. Sección)", false, "Villa Ciudad Parque Los Reartes (1a. Sección)"},
		{"Number", "9 DE JULIO", true, "9 de Julio"},
		{"Quotes", `LA CAROLINA "EL POTOSI"`, true, `La Carolina "El Potosí"`},
		{"DoubledWordKept", "QUEMÚ QUEMÚ", true, "Quemú Quemú"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := georef.Clean(tt.in, tt.municipio); got != tt.want {
				t.Errorf("Clean(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	for _, ok := range []string{"Gan Gan", "San Pedro y San Antonio", "1º de Mayo", "Kilómetro 658", "Colonia Liebig's"} {
		t.Run("OK/"+ok, func(t *testing.T) {
			if err := georef.Check(ok); err != nil {
				t.Errorf("Check(%q) = %v, want nil", ok, err)
			}
		})
	}
	for _, bad := range []string{"", "V, General Roca", "General San Martín General San Martín", "M9ximo Paz", "Gral Roca", "María\nLuisa", "Villa  Elisa", "Rìo Colorado", "san Pedro"} {
		t.Run("Err/"+bad, func(t *testing.T) {
			if err := georef.Check(bad); err == nil {
				t.Errorf("Check(%q) = nil, want an error", bad)
			}
		})
	}
}

func TestCompareFolded(t *testing.T) {
	tests := []struct{ a, b string }{
		{"Comuna 2", "Comuna 10"},
		{"Córdoba", "Corrientes"},
		{"9 de Julio", "25 de Mayo"},
		{"Villa", "Villa Allende"},
		{"Ñorquincó", "Olivos"},
	}
	for _, tt := range tests {
		t.Run(tt.a+"<"+tt.b, func(t *testing.T) {
			if got := georef.CompareFolded(tt.a, tt.b); got >= 0 {
				t.Errorf("CompareFolded(%q, %q) = %d, want < 0", tt.a, tt.b, got)
			}
			if got := georef.CompareFolded(tt.b, tt.a); got <= 0 {
				t.Errorf("CompareFolded(%q, %q) = %d, want > 0", tt.b, tt.a, got)
			}
		})
	}
}

// writeSource writes a minimal georef source: 24 provinces, one place each, plus extra
// municipios rows.
func writeSource(t *testing.T, extra ...string) string {
	t.Helper()
	dir := t.TempDir()
	ids := []string{"02", "06", "10", "14", "18", "22", "26", "30", "34", "38", "42", "46", "50", "54", "58", "62", "66", "70", "74", "78", "82", "86", "90", "94"}
	prov := "provincia_id,provincia_nombre\n"
	muni := "municipio_id,municipio_nombre,municipio_lat,municipio_lon,provincia_id\n"
	dept := "departamento_id,departamento_nombre,provincia_id\n02007,Comuna 1,02\n"
	loc := "localidad_id,localidad_nombre,provincia_id,departamento_id\n"
	caps := "provincia_id,capital,lat,lon\n"
	for i, id := range ids {
		prov += fmt.Sprintf("%s,Provincia %d\n", id, i)
		caps += fmt.Sprintf("%s,Capital %d,-3%d.5,-6%d.25\n", id, i, i%10, i%10)
		switch id {
		case "02":
		case "30", "78", "86":
			loc += fmt.Sprintf("%s000010,Pueblo %d,%s,%s000\n", id, i, id, id)
		default:
			muni += fmt.Sprintf("%s0007,VILLA %d,-30,-60,%s\n", id, i, id)
		}
	}
	muni += strings.Join(extra, "")
	for name, body := range map[string]string{"provincias.csv": prov, "municipios.csv": muni, "departamentos.csv": dept, "localidades.csv": loc, "capitales.csv": caps} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestBuild(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		var b bytes.Buffer
		if err := georef.Build(writeSource(t, "140014,\"MUNICIPALIDAD DE SAN  JOSE\nSAN JOSE\",-31.41,-64.18,14\n"), &b); err != nil {
			t.Fatalf("Build: %v", err)
		}
		// Places of the provinces without municipalities sit at their capital.
		for _, want := range []string{"P\t14\tProvincia 3\t-33.5000\t-63.2500\n", "M\t14\tSan José\t-31.4100\t-64.1800\n",
			"M\t02\tComuna 1\t-30.5000\t-60.2500\n", "M\t30\tPueblo 7\t-37.5000\t-67.2500\n"} {
			if !strings.Contains(b.String(), want) {
				t.Errorf("Build output lacks %q", want)
			}
		}
	})
	for name, row := range map[string]string{
		"ErrCommas":          "140014,\"V, DE PICO\",-35,-63,14\n",
		"ErrBrokenCharacter": "140014,M9XIMO PAZ,-35,-58,14\n",
		"ErrUnknownProvince": "990014,VILLA,-35,-58,99\n",
		"ErrSubstituteGrew":  "300014,PARANÁ,-31,-60,30\n",
		"ErrOutsideCountry":  "140021,VILLA NUEVA,0,0,14\n",
	} {
		t.Run(name, func(t *testing.T) {
			if err := georef.Build(writeSource(t, row), io.Discard); err == nil {
				t.Errorf("Build with %q: no error", row)
			}
		})
	}
}
