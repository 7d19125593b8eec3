package clocale_test

import (
	"testing"

	"github.com/puntos-ar/puntos/cmd/internal/clocale"
)

func TestApply(t *testing.T) {
	for _, c := range []struct {
		name string
		env  map[string]string
		want string // LANGUAGE afterwards
	}{
		{"CUTF8", map[string]string{"LANG": "C.UTF-8"}, "es"},
		{"POSIXUTF8", map[string]string{"LC_ALL": "POSIX.UTF-8", "LANG": "es_AR.UTF-8"}, "es"},
		{"LCMessages", map[string]string{"LC_MESSAGES": "C.utf8", "LANG": "en_US.UTF-8"}, "es"},
		{"PlainC", map[string]string{"LANG": "C"}, ""},
		{"Spanish", map[string]string{"LANG": "es_AR.UTF-8"}, ""},
		{"English", map[string]string{"LC_ALL": "en_US.UTF-8", "LANG": "C.UTF-8"}, ""},
		{"LanguageKept", map[string]string{"LANG": "C.UTF-8", "LANGUAGE": "pt_BR"}, "pt_BR"},
		{"Nothing", map[string]string{}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			getenv := func(k string) (string, bool) { v, ok := c.env[k]; return v, ok }
			setenv := func(k, v string) error { c.env[k] = v; return nil }
			clocale.Apply(getenv, setenv)
			if got := c.env["LANGUAGE"]; got != c.want {
				t.Errorf("LANGUAGE = %q, want %q", got, c.want)
			}
		})
	}
}

func TestIsC(t *testing.T) {
	for in, want := range map[string]bool{"C": true, "C.UTF-8": true, "POSIX": true, "C.utf8@euro": true, "": false, "CA": false, "es_AR.UTF-8": false, "ca_ES": false} {
		if got := clocale.IsC(in); got != want {
			t.Errorf("IsC(%q) = %v, want %v", in, got, want)
		}
	}
}
