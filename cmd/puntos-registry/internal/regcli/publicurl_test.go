package regcli_test

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/puntos-ar/puntos/sync/jws"
	"github.com/puntos-ar/puntos/sync/server"
	"github.com/puntos-ar/puntos/sync/wire"
)

// serve --public-url tells enrolling devices the public address, and the
// registry publishes its own key, kept owner-only in its data folder.
func TestServePublicURL(t *testing.T) {
	dir := t.TempDir()
	for _, bad := range []string{"http://puntos.example.gob.ar", "ftp://x", "https://"} {
		if code, _, errs := run(t, "--data", dir, "serve", "--addr", "127.0.0.1:0", "--public-url", bad); code != 2 || !strings.Contains(errs, "--public-url") {
			t.Errorf("--public-url %s: exit %d %q", bad, code, errs)
		}
	}
	enrollCode := strings.TrimSpace(mustRun(t, "--data", dir, "enroll", "--office", "Oficina Tandil", "--province", "Buenos Aires"))
	base, _ := serve(t, []string{"--data", dir, "serve", "--addr", "127.0.0.1:0", "--public-url", "https://verificar.example.gob.ar/"})
	if fi, err := os.Stat(filepath.Join(dir, jws.RegistryKeyFile)); err != nil || runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Fatalf("registry key file: %v %v", fi, err)
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
