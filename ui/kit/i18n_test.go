package kit_test

import (
	"testing"

	"github.com/puntos-ar/puntos/ui/kit"
)

func TestLabels(t *testing.T) {
	l := kit.Labels{
		"one":  {"1 sesión", "1 session"},
		"many": {"%s sesiones", "%s sessions"},
	}
	for _, c := range []struct {
		lang string
		n    int
		want string
	}{
		{"es", 1, "1 sesión"}, {"en", 1, "1 session"},
		{"es", 12345, "12.345 sesiones"}, {"en", 12345, "12,345 sessions"},
		{"es", 0, "0 sesiones"},
	} {
		if got := l.Plural(c.lang, c.n, "one", "many"); got != c.want {
			t.Errorf("Plural(%s, %d): got %q, want %q", c.lang, c.n, got, c.want)
		}
	}
	if got := l.Tr("es", "missing.key"); got != "missing.key" {
		t.Errorf("missing key: got %q, want the key", got)
	}
}

func TestNum(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1.000", -1234567: "-1.234.567"} {
		if got := kit.Num(n, "es"); got != want {
			t.Errorf("Num(%d, es): got %q, want %q", n, got, want)
		}
	}
	if got := kit.Num(1234567, "en"); got != "1,234,567" {
		t.Errorf("Num(1234567, en): got %q", got)
	}
}

func TestLang(t *testing.T) {
	for in, want := range map[string]string{"en": "en", "es": "es", "": "es", "fr": "es"} {
		if got := kit.Lang(in); got != want {
			t.Errorf("Lang(%q): got %q, want %q", in, got, want)
		}
	}
}

func TestCount(t *testing.T) {
	l := kit.Labels{
		"record": {"registro|registros", "record|records"},
		"left":   {"falta %s punto|faltan %s puntos", "%s point to go|%s points to go"},
	}
	for _, c := range []struct {
		lang, key string
		n         int
		want      string
	}{
		{"es", "record", 1, "1 registro"}, {"es", "record", 0, "0 registros"}, {"es", "record", 2, "2 registros"},
		{"es", "record", 12345, "12.345 registros"}, {"en", "record", 1, "1 record"}, {"en", "record", 1000, "1,000 records"},
		{"es", "left", 1, "falta 1 punto"}, {"es", "left", 30, "faltan 30 puntos"},
	} {
		if got := l.Count(c.lang, c.n, c.key); got != c.want {
			t.Errorf("Count(%s, %d, %s): got %q, want %q", c.lang, c.n, c.key, got, c.want)
		}
	}
}
