package cmdline_test

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/puntos-ar/puntos/cmd/internal/cmdline"
	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/storage/domain"
)

func TestParse(t *testing.T) {
	cases := []struct {
		name   string
		args   []string
		pos    []string
		status string
		json   bool
	}{
		{"FlagsAnywhere", []string{"abc", "--status", "tarde", "20123456", "--json"}, []string{"abc", "20123456"}, "tarde", true},
		{"EqualsForm", []string{"--status=ausente", "abc"}, []string{"abc"}, "ausente", false},
		{"SingleDash", []string{"-json", "abc"}, []string{"abc"}, "presente", true},
		{"BoolEqualsFalse", []string{"--json=false", "abc"}, []string{"abc"}, "presente", false},
		{"DoubleDashEndsFlags", []string{"abc", "--", "--json", "-x"}, []string{"abc", "--json", "-x"}, "presente", false},
		{"LoneDashIsPositional", []string{"-", "abc"}, []string{"-", "abc"}, "presente", false},
		{"ThreeDashesArePositional", []string{"---json"}, []string{"---json"}, "presente", false},
		{"ScannedBarcode", []string{`00512345678"ÑANDÚ"JOSÉ"M"31222333"A"15/03/1980"20/05/2015`},
			[]string{`00512345678"ÑANDÚ"JOSÉ"M"31222333"A"15/03/1980"20/05/2015`}, "presente", false},
		{"None", nil, nil, "presente", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs := flag.NewFlagSet("test", flag.ContinueOnError)
			status := fs.String("status", "presente", "")
			asJSON := fs.Bool("json", false, "")
			pos, err := cmdline.Parse(fs, c.args)
			if err != nil {
				t.Fatalf("Parse(%q): %v", c.args, err)
			}
			if !slices.Equal(pos, c.pos) {
				t.Errorf("positional: got %q, want %q", pos, c.pos)
			}
			if *status != c.status || *asJSON != c.json {
				t.Errorf("flags: got status %q json %v, want %q %v", *status, *asJSON, c.status, c.json)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"ErrUnknownFlag", []string{"abc", "--bogus"}, "opción desconocida --bogus"},
		{"ErrMissingValue", []string{"abc", "--limit"}, "falta el valor de --limit"},
		{"ErrBadValue", []string{"--limit", "diez"}, "--limit: "},
		{"ErrBadBool", []string{"--json=quizás"}, "--json=quizás: "},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs := flag.NewFlagSet("test", flag.ContinueOnError)
			fs.Int("limit", 20, "")
			fs.Bool("json", false, "")
			_, err := cmdline.Parse(fs, c.args)
			if _, ok := errors.AsType[cmdline.UsageError](err); !ok {
				t.Fatalf("got %v, want a UsageError", err)
			}
			if got := err.Error(); !strings.HasPrefix(got, c.want) {
				t.Errorf("got %q, want it to start with %q", got, c.want)
			}
		})
	}
}

func TestOneArg(t *testing.T) {
	cases := []struct {
		name    string
		pos     []string
		want    string
		wantErr string
	}{
		{"OK", []string{"juan"}, "juan", ""},
		{"ErrMissing", nil, "", "falta el nombre de usuario"},
		{"ErrExtra", []string{"juan", "ana", "luis"}, "", "sobran argumentos: ana luis"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := cmdline.OneArg(c.pos, "el nombre de usuario")
			if c.wantErr == "" {
				if err != nil || got != c.want {
					t.Errorf("got %q, %v; want %q", got, err, c.want)
				}
				return
			}
			if _, ok := errors.AsType[cmdline.UsageError](err); !ok || err.Error() != c.wantErr {
				t.Errorf("got error %v, want usage error %q", err, c.wantErr)
			}
		})
	}
	t.Run("ParseOne", func(t *testing.T) {
		fs := flag.NewFlagSet("test", flag.ContinueOnError)
		reason := fs.String("reason", "", "")
		got, err := cmdline.ParseOne(fs, []string{"--reason", "robado", "ab12"}, "el ID")
		if err != nil || got != "ab12" || *reason != "robado" {
			t.Errorf("got %q, %v, reason %q; want ab12, nil, robado", got, err, *reason)
		}
	})
}

func TestDataDir(t *testing.T) {
	def := func() (string, error) { return "/default", nil }
	cases := []struct {
		name, dir string
		args      []string
		rest      []string
	}{
		{"Flag", "/d", []string{"--data", "/d", "stats"}, []string{"stats"}},
		{"SingleDash", "/d", []string{"-data", "/d"}, []string{}},
		{"Equals", "/d", []string{"--data=/d", "stats"}, []string{"stats"}},
		{"Default", "/default", []string{"stats", "--data", "/d"}, []string{"stats", "--data", "/d"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir, rest, err := cmdline.DataDir(c.args, def)
			if err != nil || dir != c.dir || !slices.Equal(rest, c.rest) {
				t.Errorf("got %q %q %v, want %q %q", dir, rest, err, c.dir, c.rest)
			}
		})
	}
	t.Run("ErrMissingDir", func(t *testing.T) {
		_, _, err := cmdline.DataDir([]string{"--data"}, def)
		if _, ok := errors.AsType[cmdline.UsageError](err); !ok {
			t.Errorf("got %v, want a UsageError", err)
		}
	})
}

type cmd struct{ name string }

func (c cmd) Usage() (string, string, string) { return c.name, "ARG", "does " + c.name }

func TestFind(t *testing.T) {
	cmds := []cmd{{"sync export"}, {"sync"}, {"roster find"}}
	cases := []struct {
		name  string
		args  []string
		found string
		rest  []string
	}{
		{"TwoWords", []string{"sync", "export", "f.puntos"}, "sync export", []string{"f.puntos"}},
		{"OneWord", []string{"sync", "--json"}, "sync", []string{"--json"}},
		{"NotFound", []string{"roster"}, "", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, rest, ok := cmdline.Find(cmds, c.args)
			if ok != (c.found != "") || got.name != c.found || !slices.Equal(rest, c.rest) {
				t.Errorf("got %q %q %v, want %q %q", got.name, rest, ok, c.found, c.rest)
			}
		})
	}
	t.Run("Usage", func(t *testing.T) {
		var b bytes.Buffer
		cmdline.PrintUsage(&b, "Uso:\n", cmds[1:2])
		if got, want := b.String(), "Uso:\n  sync ARG\n      does sync\n"; got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	})
}

func TestFail(t *testing.T) {
	cases := []struct {
		name string
		err  error
		code int
		want string
	}{
		{"Usage", cmdline.Usagef("falta %s", "algo"), 2, "prog: falta algo\n"},
		{"Other", errors.New("no anduvo"), 1, "prog: no anduvo\n"},
		{"WrappedUsage", errors.Join(cmdline.UnknownCommand("prog", []string{"a", "b", "c"})), 2,
			"prog: comando desconocido \"a b\": ver «prog help»\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var b bytes.Buffer
			if got := cmdline.Fail(&b, "prog", c.err, "es"); got != c.code {
				t.Errorf("exit code: got %d, want %d", got, c.code)
			}
			if got := b.String(); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
	t.Run("DomainError", func(t *testing.T) {
		err := &domain.Error{Code: "x", Text: "Texto para la gente."}
		if got, want := cmdline.Message(err, "es"), domain.Message(err, "es"); got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	})
}

func TestImportFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "padron.csv")
	if err := os.WriteFile(path, []byte("datos"), 0o600); err != nil {
		t.Fatal(err)
	}
	rep := storage.ImportReport{Added: 2, Updated: 1, Skipped: 3,
		Rejects: []storage.RejectedLine{{Line: 4, Message: "línea 4, DNI: no válido"}}}
	run := func(r io.Reader) (storage.ImportReport, error) {
		b, err := io.ReadAll(r)
		if err != nil || string(b) != "datos" {
			t.Errorf("run read %q, %v", b, err)
		}
		return rep, nil
	}
	t.Run("Summary", func(t *testing.T) {
		var b bytes.Buffer
		err := cmdline.ImportFile(&b, path, false, cmdline.Noun{One: "persona", Many: "personas"}, run)
		if err == nil || !strings.HasPrefix(err.Error(), "1 fila rechazada en "+path) {
			t.Errorf("got error %v, want one about the rejected row", err)
		}
		want := path + ": 2 personas nuevas, 1 actualizada, 0 sin cambios, 3 repetidas, 1 rechazada\n" +
			"  rechazada: línea 4, DNI: no válido\n"
		if got := b.String(); got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	})
	t.Run("NoNoun", func(t *testing.T) {
		var b bytes.Buffer
		cmdline.PrintReport(&b, "x.csv", cmdline.Noun{}, storage.ImportReport{Added: 5})
		if got, want := b.String(), "x.csv: 5 nuevas, 0 actualizadas, 0 sin cambios, 0 repetidas, 0 rechazadas\n"; got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	})
	t.Run("JSON", func(t *testing.T) {
		var b bytes.Buffer
		cmdline.ImportFile(&b, path, true, cmdline.Noun{One: "persona", Many: "personas"}, run)
		if got := b.String(); !strings.Contains(got, `"added": 2`) || !strings.Contains(got, `"line": 4`) {
			t.Errorf("got %s, want the report as JSON", got)
		}
	})
	t.Run("ErrMissingFile", func(t *testing.T) {
		err := cmdline.ImportFile(io.Discard, filepath.Join(t.TempDir(), "no.csv"), false, cmdline.Noun{}, run)
		if err == nil || !strings.Contains(err.Error(), "no existe el archivo") {
			t.Errorf("got %v, want a missing-file message", err)
		}
	})
}

func TestWriteJSONList(t *testing.T) {
	var b bytes.Buffer
	if err := cmdline.WriteJSONList[string](&b, nil); err != nil {
		t.Fatal(err)
	}
	if got, want := b.String(), "[]\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestParseJSON(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want bool
	}{
		{"Given", []string{"--json"}, true},
		{"NotGiven", nil, false},
		{"PositionalIgnored", []string{"extra", "-json"}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := cmdline.ParseJSON(c.args)
			if err != nil || got != c.want {
				t.Errorf("got %v, %v; want %v", got, err, c.want)
			}
		})
	}
	t.Run("ErrOtherFlag", func(t *testing.T) {
		if _, err := cmdline.ParseJSON([]string{"--limit", "3"}); err == nil || err.Error() != "opción desconocida --limit" {
			t.Errorf("got %v, want opción desconocida --limit", err)
		}
	})
}

func TestCount(t *testing.T) {
	for _, c := range []struct {
		n    int
		want string
	}{{0, "0 lotes"}, {1, "1 lote"}, {2, "2 lotes"}, {1000, "1000 lotes"}} {
		if got := cmdline.Count(c.n, "lote", "lotes"); got != c.want {
			t.Errorf("Count(%d) = %q, want %q", c.n, got, c.want)
		}
	}
}
