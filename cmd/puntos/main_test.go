package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// buildPuntos builds this program (the real binary, with Fyne linked in)
// into a temp dir and returns its path.
func buildPuntos(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the program")
	}
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	bin := filepath.Join(t.TempDir(), "puntos")
	out, err := exec.Command(gobin, "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestHeadlessServerLocale runs headless commands under a server's
// standard locale: nothing from Fyne may show on stderr.
func TestHeadlessServerLocale(t *testing.T) {
	bin := buildPuntos(t)
	dir := t.TempDir()
	env := []string{"LANG=C.UTF-8", "HOME=" + t.TempDir(), "PATH=" + os.Getenv("PATH")}
	run := func(args ...string) (int, string, string) {
		t.Helper()
		cmd := exec.Command(bin, append([]string{"--data", dir}, args...)...)
		cmd.Env = env
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return code, out.String(), errb.String()
	}
	roster := filepath.Join(t.TempDir(), "padron.csv")
	if err := os.WriteFile(roster, []byte("DNI;Apellido;Nombres\n20123456;PÉREZ;Ana\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := run("demo", "--people", "100"); code != 0 || errs != "" {
		t.Fatalf("demo: exit %d\n%s%s", code, out, errs)
	}
	_, list, _ := run("session", "list", "--closed", "--json")
	var sessions []struct{ ID string }
	if err := json.Unmarshal([]byte(list), &sessions); err != nil || len(sessions) == 0 {
		t.Fatalf("closed sessions: %v %q", err, list)
	}
	for _, c := range []struct {
		args []string
		code int
	}{
		{[]string{"roster", "import", roster}, 0},
		{[]string{"certificates", sessions[0].ID, "--out", t.TempDir()}, 0},
		{[]string{"sync"}, 1}, // not enrolled: one sentence saying so
		{[]string{"session", "new", "--help"}, 0},
	} {
		code, out, errs := run(c.args...)
		if code != c.code || strings.Contains(errs, "Fyne") || strings.Contains(errs, "locale") {
			t.Errorf("%s: exit %d (want %d)\nstdout: %s\nstderr: %s", strings.Join(c.args, " "), code, c.code, out, errs)
		}
		if c.code == 0 && errs != "" {
			t.Errorf("%s: stderr %q, want nothing", strings.Join(c.args, " "), errs)
		}
	}
}
