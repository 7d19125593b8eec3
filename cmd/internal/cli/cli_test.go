package cli_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/puntos-ar/puntos/cmd/internal/cli"
	"github.com/puntos-ar/puntos/cmd/internal/cmdline/cmdlinetest"
	"github.com/puntos-ar/puntos/storage/demo"
)

// run runs the CLI in-process on dir and returns exit code, stdout, stderr.
func run(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := cli.Run(&cli.Env{Stdout: &out, Stderr: &errb}, append([]string{"--data", dir}, args...))
	return code, out.String(), errb.String()
}

func mustRun(t *testing.T, dir string, args ...string) string {
	t.Helper()
	code, out, errs := run(t, dir, args...)
	if code != 0 {
		t.Fatalf("puntos %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, out, errs)
	}
	return out
}

func write(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func win1252(t *testing.T, s string) []byte {
	t.Helper()
	b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestWholeFlow(t *testing.T) {
	dir := t.TempDir()
	cat := write(t, "catalogo.csv", []byte(demo.Catalog))
	mustRun(t, dir, "catalog", "import", cat)
	// A roster as Excel on Spanish Windows saves it: Windows-1252, ';', CRLF.
	roster := write(t, "padron.csv", win1252(t, "Apellido;Nombres;DNI;CUIL;Organismo;Provincia\r\n"+
		"NÚÑEZ;María José;20.123.456;27-20123456-0;ANSES;Córdoba\r\n"+
		"GÜEMES;Martín Miguel;21000111;;Ministerio de Salud;Salta\r\n"))
	out := mustRun(t, dir, "roster", "import", roster)
	if !strings.Contains(out, "2 nuevas") {
		t.Errorf("import output: %s", out)
	}
	var found []map[string]any
	if err := json.Unmarshal([]byte(mustRun(t, dir, "roster", "find", "guemes", "--json")), &found); err != nil {
		t.Fatal(err)
	}
	if len(found) != 1 || found[0]["surname"] != "GÜEMES" {
		t.Fatalf("find guemes = %v", found)
	}
	id := strings.TrimSpace(mustRun(t, dir, "session", "new", "--activity", "CH-INSP-01", "--date", "2026-11-27",
		"--start", "10:00", "--end", "12:00", "--province", "Salta", "--municipality", "cafayate", "--instructor", "Carla"))
	if len(id) != 36 {
		t.Fatalf("session new printed %q, want a UUID", id)
	}
	scan := `00512345678"ÑANDÚ"JOSÉ"M"31222333"A"15/03/1980"20/05/2015`
	out = mustRun(t, dir, "session", "checkin", id[:8], "20.123.456", "27-20123456-0", scan, "--status", "tarde")
	if !strings.Contains(out, "✓ NÚÑEZ, María José") || !strings.Contains(out, "ya estaba") || !strings.Contains(out, "+ ÑANDÚ, JOSÉ") {
		t.Errorf("checkin output:\n%s", out)
	}
	var show struct {
		Summary   map[string]int `json:"summary"`
		Attendees []struct {
			Status string `json:"status"`
		} `json:"attendees"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, dir, "session", "show", id, "--json")), &show); err != nil {
		t.Fatal(err)
	}
	if show.Summary["total"] != 2 || show.Summary["walk_ins"] != 1 || show.Summary["tarde"] != 1 {
		t.Errorf("summary = %v", show.Summary)
	}
	out = mustRun(t, dir, "session", "close", id)
	if !strings.Contains(out, "cerrada") {
		t.Errorf("close output: %s", out)
	}
	code, _, errs := run(t, dir, "session", "checkin", id, "21000111")
	if code != 1 || !strings.Contains(errs, "cerrada") {
		t.Errorf("checkin on closed: exit %d, %s", code, errs)
	}
	if out := mustRun(t, dir, "session", "list", "--waiting"); !strings.Contains(out, id) {
		t.Errorf("waiting list lacks the closed session:\n%s", out)
	}
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, dir, "catalog", "import", write(t, "c.csv", []byte(demo.Catalog)))
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"UnknownCommand", []string{"fly"}, 2, "comando desconocido"},
		{"MissingFile", []string{"roster", "import", "/nope.csv"}, 1, "no existe el archivo"},
		{"BadDate", []string{"session", "new", "--activity", "CH-INSP-01", "--date", "31/02/2026", "--province", "Salta", "--municipality", "Cafayate"}, 1, "fecha"},
		{"UnknownActivity", []string{"session", "new", "--activity", "XX", "--date", "2026-11-27", "--province", "Salta", "--municipality", "Cafayate"}, 1, "catálogo"},
		{"UnknownFlag", []string{"session", "list", "--bogus"}, 2, "opción desconocida"},
		{"ShortID", []string{"session", "show", "ab"}, 1, "demasiado corto"},
		{"UnknownSession", []string{"session", "close", "ffffffff"}, 1, ""},
		{"BadStatus", []string{"session", "checkin", "ffffffff", "123", "--status", "dormido"}, 2, "--status"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, errs := run(t, dir, c.args...)
			if code != c.code || !strings.Contains(strings.ToLower(errs), strings.ToLower(c.want)) {
				t.Errorf("exit %d, stderr %q; want exit %d containing %q", code, errs, c.code, c.want)
			}
			if strings.Count(strings.TrimSpace(errs), "\n") > 0 {
				t.Errorf("want one sentence, got %q", errs)
			}
		})
	}
}

func TestRosterRejectsExitNonZero(t *testing.T) {
	dir := t.TempDir()
	f := write(t, "p.csv", []byte("DNI,Apellido,Nombres,CUIL\n20123456,PÉREZ,Juan,\n21000111,GÓMEZ,Ana,27-21000111-9\n"))
	code, out, errs := run(t, dir, "roster", "import", f)
	if code != 1 || !strings.Contains(out, "1 nueva,") || !strings.Contains(out, "línea 3") {
		t.Errorf("exit %d\nstdout %s\nstderr %s", code, out, errs)
	}
}

func TestDemo(t *testing.T) {
	dir := t.TempDir()
	out := mustRun(t, dir, "demo", "--people", "300")
	if !strings.Contains(out, "300 agentes") {
		t.Errorf("demo: %s", out)
	}
	var list []map[string]any
	if err := json.Unmarshal([]byte(mustRun(t, dir, "session", "list", "--json")), &list); err != nil || len(list) != 3 {
		t.Fatalf("sessions = %d, %v", len(list), err)
	}
	mustRun(t, dir, "demo") // idempotent
}

// commandNames returns the names of the commands "puntos help" lists.
func commandNames(t *testing.T, help string) []string {
	t.Helper()
	names := cmdlinetest.CommandNames(help)
	if len(names) < 10 {
		t.Fatalf("help lists %d commands:\n%s", len(names), help)
	}
	return names
}

func TestHelp(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "datos")
	for _, flag := range []string{"-h", "--help", "help"} {
		code, out, errs := run(t, dir, flag)
		if code != 0 || errs != "" || !strings.HasPrefix(out, "Uso: puntos [--data DIR] COMANDO") {
			t.Fatalf("puntos %s: exit %d, stdout %q, stderr %q", flag, code, out, errs)
		}
	}
	_, help, _ := run(t, dir, "help")
	// A group of commands asks for the whole list.
	if code, out, _ := run(t, dir, "session", "--help"); code != 0 || out != help {
		t.Errorf("session --help: exit %d, %q", code, out)
	}
	for _, name := range commandNames(t, help) {
		for _, flag := range []string{"-h", "--help"} {
			args := append(strings.Fields(name), flag)
			code, out, errs := run(t, dir, args...)
			if want := "Uso: puntos [--data DIR] " + name + " "; code != 0 || errs != "" || !strings.HasPrefix(out, want) {
				t.Errorf("puntos %s: exit %d, stdout %q, stderr %q; want exit 0 and %q", strings.Join(args, " "), code, out, errs, want)
			}
		}
	}
	// Flags before the command's own arguments count too; after "--" a
	// "-h" is an argument like any other.
	if code, out, _ := run(t, dir, "session", "new", "--date", "2026-11-27", "--help"); code != 0 || !strings.Contains(out, "--activity CÓDIGO") {
		t.Errorf("session new --date … --help: exit %d, %q", code, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "puntos.db")); err == nil {
		t.Error("asking for help opened the data dir")
	}
	if code, out, errs := run(t, t.TempDir(), "roster", "find", "--", "-h"); code != 0 || errs != "" || strings.HasPrefix(out, "Uso:") {
		t.Errorf("roster find -- -h: exit %d, stdout %q, stderr %q", code, out, errs)
	}
}
