package version_test

import (
	"fmt"
	"testing"

	"github.com/BurntSushi/toml"

	"github.com/puntos-ar/puntos/cmd/internal/version"
)

// TestMatchesFyneApp fails when version_gen.go drifts from FyneApp.toml:
// after editing FyneApp.toml, run "go generate ./ui/".
func TestMatchesFyneApp(t *testing.T) {
	var app struct {
		Details struct {
			Name    string
			ID      string
			Version string
			Build   int
		}
	}
	if _, err := toml.DecodeFile("../../../FyneApp.toml", &app); err != nil {
		t.Fatalf("read FyneApp.toml: %v", err)
	}
	d := app.Details
	for _, c := range []struct{ field, got, want string }{
		{"Name", version.Name, d.Name},
		{"ID", version.ID, d.ID},
		{"Version", version.Version, d.Version},
	} {
		t.Run(c.field, func(t *testing.T) {
			if c.got != c.want {
				t.Errorf("version.%s = %q, FyneApp.toml has %q; run go generate ./ui/", c.field, c.got, c.want)
			}
		})
	}
	t.Run("Build", func(t *testing.T) {
		if got, want := version.Build, d.Build; got != want {
			t.Errorf("version.Build = %d, FyneApp.toml has %d; run go generate ./ui/", got, want)
		}
	})
}

func TestString(t *testing.T) {
	if got, want := version.String(), fmt.Sprintf("%s (compilación %d)", version.Version, version.Build); got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}
