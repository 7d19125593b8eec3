package domain_test

import (
	"strings"
	"testing"

	"github.com/puntos-ar/puntos/storage/domain"
)

func TestFileSafe(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"TA-LENG-01", "TA-LENG-01"},
		{"Güemes/Ñandú 2", "Guemes_Nandu_2"},
		{"D'Alessandro", "DAlessandro"},
		{"Straße Øre", "Strasse_Ore"},
		{"-x-", "x"},
		{"../..", "sesion"},
		{"", "sesion"},
		{strings.Repeat("a", 59) + "-b", strings.Repeat("a", 59)},
	} {
		if got := domain.FileSafe(c.in, "sesion"); got != c.want {
			t.Errorf("FileSafe(%q): got %q, want %q", c.in, got, c.want)
		}
	}
}
