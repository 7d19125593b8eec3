package domain_test

import (
	"strings"
	"testing"

	"github.com/puntos-ar/puntos/storage/domain"
)

func TestFold(t *testing.T) {
	cases := []struct{ in, want string }{
		{"NÚÑEZ", "nunez"},
		{"Muñoz", "munoz"},
		{"GÜEMES,  Martín Miguel", "guemes martin miguel"},
		{"D'Alessandro", "dalessandro"},
		{"Peña y Lillo", "pena y lillo"},
		{"1º de Mayo", "1 de mayo"},
		{"  San-Martín / Norte. ", "san martin norte"},
		{"", ""},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			if got := domain.Fold(c.in); got != c.want {
				t.Errorf("Fold(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

// FuzzFoldASCII checks the ASCII fast path folds exactly as the general path.
func FuzzFoldASCII(f *testing.F) {
	for _, s := range []string{"PEREZ, Juan", "o'connor", "a\tb\nc", "x--y..z", "  "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := domain.Fold(s), domain.FoldUnicode(s); got != want {
			t.Errorf("Fold(%q) = %q, general path gives %q", s, got, want)
		}
	})
}

func BenchmarkFold(b *testing.B) {
	for b.Loop() {
		domain.Fold("FERNÁNDEZ DE LA PEÑA Ana Inés")
		domain.Fold("GONZALEZ Juan Carlos")
	}
}

// FuzzCollapseSpaces checks the fast path of the clean-up against the
// plain definition.
func FuzzCollapseSpaces(f *testing.F) {
	for _, s := range []string{"Juan  Carlos", " x", "a\u00a0b", "ÑANDÚ", "", " ", "a\tb", "x\u2003y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := domain.CollapseSpaces(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Errorf("CollapseSpaces(%q) = %q, want %q", s, got, want)
		}
	})
}
