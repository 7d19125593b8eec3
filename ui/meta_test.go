package ui_test

import (
	"bytes"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"github.com/puntos-ar/puntos/ui"
)

func TestTexts(t *testing.T) {
	for key, t2 := range ui.Texts() {
		if strings.TrimSpace(t2[0]) == "" || strings.TrimSpace(t2[1]) == "" {
			t.Errorf("label %q: got es %q, en %q; want both", key, t2[0], t2[1])
		}
	}
}

// TestImports keeps ui and its subpackages free of the parts that need
// cgo or speak SQL.
func TestImports(t *testing.T) {
	var files []string
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(files, filepath.Join("central", "central.go")) || !slices.Contains(files, filepath.Join("kit", "work.go")) {
		t.Fatalf("the subpackages' files were not found: %q", files)
	}
	banned := map[string]bool{"fyne.io/fyne/v2/app": true, "database/sql": true}
	for _, name := range files {
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if banned[path] {
				t.Errorf("%s imports %s", name, path)
			}
		}
	}
}

// TestMetadata checks the generated metadata matches FyneApp.toml and
// the icon (run "go generate ./ui/" after changing them).
func TestMetadata(t *testing.T) {
	var m struct {
		Details struct {
			Icon, Name, ID, Version string
			Build                   int
		}
		Migrations map[string]bool
	}
	if _, err := toml.DecodeFile("../FyneApp.toml", &m); err != nil {
		t.Fatal(err)
	}
	got := ui.Metadata()
	if got.Name != m.Details.Name || got.ID != m.Details.ID || got.Version != m.Details.Version ||
		got.Build != m.Details.Build || got.Migrations["fyneDo"] != m.Migrations["fyneDo"] || !m.Migrations["fyneDo"] {
		t.Errorf("metadata: got %+v, want FyneApp.toml's %+v", got, m)
	}
	icon, err := os.ReadFile(filepath.Join("..", m.Details.Icon))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ui.Icon().Content(), icon) {
		t.Errorf("icon differs from %s: run go generate ./ui/", m.Details.Icon)
	}
}
