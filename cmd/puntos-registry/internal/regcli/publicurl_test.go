package regcli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/puntos-ar/puntos/cmd/puntos-registry/internal/regcli"
	"github.com/puntos-ar/puntos/sync/jws"
	"github.com/puntos-ar/puntos/sync/server"
	"github.com/puntos-ar/puntos/sync/wire"
)

// serve --public-url tells enrolling devices the public address, and the
// registry publishes its own key, kept in its database.
func TestServePublicURL(t *testing.T) {
	dir := t.TempDir()
	for _, bad := range []string{"http://puntos.example.gob.ar", "ftp://x", "https://"} {
		if code, _, errs := run(t, "--data", dir, "serve", "--addr", "127.0.0.1:0", "--public-url", bad); code != 2 || !strings.Contains(errs, "--public-url") {
			t.Errorf("--public-url %s: exit %d %q", bad, code, errs)
		}
	}
	enrollCode := strings.TrimSpace(mustRun(t, "--data", dir, "enroll", "--office", "Oficina Tandil", "--province", "Buenos Aires"))
	base, _ := serve(t, []string{"--data", dir, "serve", "--addr", "127.0.0.1:0", "--public-url", "https://verificar.example.gob.ar/"})
	if _, err := os.Stat(filepath.Join(dir, jws.RegistryKeyFile)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("serve wrote a key file (%v): the key lives in the database", err)
	}
	var er wire.EnrollResponse
	post(t, base+wire.PathEnroll, "", wire.EnrollRequest{Code: enrollCode, DeviceName: "Notebook"}, &er)
	if er.PublicURL != "https://verificar.example.gob.ar" {
		t.Errorf("enroll answer public_url %q", er.PublicURL)
	}
	res, err := http.Get(base + wire.PathKeys)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var set wire.KeySet
	if err := json.NewDecoder(res.Body).Decode(&set); err != nil || len(set.Keys) != 1 || set.Keys[0].Office != server.RegistryOffice ||
		set.Keys[0].Status != wire.KeyActive {
		t.Errorf("key set %+v, %v", set, err)
	}
}

// registryKid is the kid of the registry's own key in the key set base
// publishes.
func registryKid(t *testing.T, base string) string {
	t.Helper()
	res, err := http.Get(base + wire.PathKeys)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var set wire.KeySet
	if err := json.NewDecoder(res.Body).Decode(&set); err != nil || len(set.Keys) == 0 || set.Keys[0].Office != server.RegistryOffice {
		t.Fatalf("key set %+v, %v", set, err)
	}
	return set.Keys[0].Kid
}

// The registry's key is made once, in the database: every start, and a
// second instance beside the first, publishes the same one.
func TestServeKeyInDatabase(t *testing.T) {
	dir := t.TempDir()
	base, stop := serve(t, []string{"--data", dir, "serve", "--addr", "127.0.0.1:0"})
	kid := registryKid(t, base)
	second, stopSecond := serve(t, []string{"--data", dir, "serve", "--addr", "127.0.0.1:0"})
	if got := registryKid(t, second); got != kid {
		t.Errorf("second instance publishes key %s, first %s", got, kid)
	}
	if out := stop(); !strings.Contains(out, "Se creó la clave de firma del registro en la base de datos") {
		t.Errorf("first start: no word of the new key:\n%s", out)
	}
	if out := stopSecond(); strings.Contains(out, "clave") {
		t.Errorf("second instance made or imported a key:\n%s", out)
	}
	again, _ := serve(t, []string{"--data", dir, "serve", "--addr", "127.0.0.1:0"})
	if got := registryKid(t, again); got != kid {
		t.Errorf("after a restart the key is %s, was %s", got, kid)
	}
}

// A registry that kept its key in its data folder before has that key
// moved into the database on its first start, and says so once; what it
// signed stays verifiable with the key it publishes.
func TestServeImportsKeyFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, jws.RegistryKeyFile)
	old, made, err := jws.LoadOrCreate(path)
	if err != nil || !made {
		t.Fatal(made, err)
	}
	base, stop := serve(t, []string{"--data", dir, "serve", "--addr", "127.0.0.1:0"})
	if got := registryKid(t, base); got != jws.Kid(jws.Public(old)) {
		t.Errorf("publishes key %s, want the file's %s", got, jws.Kid(jws.Public(old)))
	}
	if out := stop(); !strings.Contains(out, "Se pasó la clave de firma del registro de "+path+" a la base de datos") {
		t.Errorf("no word of the import:\n%s", out)
	}
	base, stop = serve(t, []string{"--data", dir, "serve", "--addr", "127.0.0.1:0"})
	if got := registryKid(t, base); got != jws.Kid(jws.Public(old)) {
		t.Errorf("second start publishes key %s, want the file's", got)
	}
	if out := stop(); strings.Contains(out, "clave") {
		t.Errorf("second start spoke of the key again:\n%s", out)
	}
	// The file gone, the key stays.
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	base, stop = serve(t, []string{"--data", dir, "serve", "--addr", "127.0.0.1:0"})
	if got := registryKid(t, base); got != jws.Kid(jws.Public(old)) {
		t.Errorf("without the file publishes key %s, want the imported one", got)
	}
	stop()
	// Another key in the file: the database's stays, with a warning.
	if _, _, err := jws.LoadOrCreate(path); err != nil {
		t.Fatal(err)
	}
	if errs := serveOnce(t, "--data", dir, "serve", "--addr", "127.0.0.1:0"); !strings.Contains(errs, "Atención: "+path+" tiene una clave distinta") {
		t.Errorf("no warning of the other key: %q", errs)
	}
}

// serveOnce runs serve until it listens, stops it and returns what it
// wrote to stderr.
func serveOnce(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var errb bytes.Buffer
	out := stopOnListen{cancel: cancel}
	if code := regcli.Run(ctx, withDB(t, args), &out, &errb); code != 0 {
		t.Fatalf("serve: exit %d\n%s%s", code, out.buf.String(), errb.String())
	}
	return errb.String()
}

// stopOnListen collects serve's output and cancels it once it listens.
type stopOnListen struct {
	buf    bytes.Buffer
	cancel func()
}

func (w *stopOnListen) Write(p []byte) (int, error) {
	if bytes.Contains(p, []byte("Registro escuchando")) {
		w.cancel()
	}
	return w.buf.Write(p)
}

// A key file that cannot be read stops serve with what to do, rather than
// starting with another key.
func TestServeBadKeyFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, jws.RegistryKeyFile), []byte("not a key"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errs := run(t, "--data", dir, "serve", "--addr", "127.0.0.1:0")
	if code != 1 || !strings.Contains(errs, "no se puede leer") || !strings.Contains(errs, "restaurala de un respaldo") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
}
