package georef_test

import (
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
