package cli_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/puntos-ar/puntos/storage/demo"
	"github.com/puntos-ar/puntos/storage/registry"
	"github.com/puntos-ar/puntos/storage/registry/registrytest"
	"github.com/puntos-ar/puntos/sync/server"
	"github.com/puntos-ar/puntos/sync/wire"
)

// cliRegistry starts a real registry with the demo catalog and a demo
// roster of people persons, and a device data folder with the same
// catalog and roster imported by the CLI. It returns the folder, the
// registry's URL, a maker of one-time enrollment codes and the store.
func cliRegistry(t *testing.T, people int) (dir, url string, code func() string, reg *registry.Store) {
	t.Helper()
	ctx := context.Background()
	var roster strings.Builder
	if err := demo.Roster(&roster, people, 1); err != nil {
		t.Fatal(err)
	}
	rosterCSV := roster.String()
	reg = registrytest.Open(t, t.TempDir())
	if _, err := reg.ImportCatalog(ctx, strings.NewReader(demo.Catalog)); err != nil {
		t.Fatal(err)
	}
	if _, err := reg.ImportRoster(ctx, strings.NewReader(rosterCSV)); err != nil {
		t.Fatal(err)
	}
	api := server.NewServer(reg, slog.New(slog.DiscardHandler))
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	code = func() string {
		return registrytest.Code(t, reg, "Capacitación Salta", "Salta", time.Now())
	}
	dir = t.TempDir()
	mustRun(t, dir, "catalog", "import", write(t, "catalogo.csv", []byte(demo.Catalog)))
	mustRun(t, dir, "roster", "import", write(t, "padron.csv", []byte(rosterCSV)))
	return dir, srv.URL, code, reg
}

func TestSyncCommands(t *testing.T) {
	dir, url, code, reg := cliRegistry(t, 50)

	if c, _, errs := run(t, dir, "sync", "--json"); c != 1 || !strings.Contains(errs, "no está inscripto") {
		t.Errorf("sync before enroll: exit %d, stderr %q", c, errs)
	}
	out := mustRun(t, dir, "enroll", url, code(), "--name", "Notebook Salta")
	if !strings.Contains(out, "Notebook Salta") || !strings.Contains(out, "Salta") {
		t.Errorf("enroll output: %s", out)
	}
	yesterday := time.Now().AddDate(0, 0, -1).Format("2006-01-02")
	id := strings.TrimSpace(mustRun(t, dir, "session", "new", "--activity", "CH-INSP-01", "--date", yesterday,
		"--province", "Salta", "--municipality", "Cafayate"))
	p0, p1 := demo.Person(0, 1), demo.Person(1, 1)
	mustRun(t, dir, "session", "checkin", id, p0.DNI, p1.DNI)
	mustRun(t, dir, "session", "close", id)

	var st struct {
		Pending  int `json:"pending"`
		Problems []struct {
			Message string `json:"message"`
		} `json:"problems"`
		States map[string]map[string]int `json:"states"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, dir, "sync", "status", "--json")), &st); err != nil {
		t.Fatal(err)
	}
	if st.Pending != 3 {
		t.Errorf("status pending = %d, want 3", st.Pending)
	}

	t.Run("Export", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "lotes.json")
		out := mustRun(t, dir, "sync", "export", file)
		if !strings.Contains(out, "3 registros en 1 lote exportados") {
			t.Errorf("export output: %s", out)
		}
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var f wire.USBFile
		if err := json.Unmarshal(data, &f); err != nil || f.Signature == "" || f.Protocol != wire.Protocol {
			t.Errorf("exported file: %v", err)
		}
	})

	var res struct {
		Pending   *int `json:"pending"`
		Accepted  int  `json:"accepted"`
		Duplicate int  `json:"duplicate"`
		Conflict  int  `json:"conflict"`
		Rejected  int  `json:"rejected"`
		Problems  []any
	}
	if err := json.Unmarshal([]byte(mustRun(t, dir, "sync", "--json")), &res); err != nil {
		t.Fatal(err)
	}
	if res.Pending == nil || *res.Pending != 0 || res.Accepted != 3 || res.Duplicate+res.Conflict+res.Rejected != 0 || res.Problems == nil {
		t.Errorf("sync --json = %+v, want 0 pending, 3 accepted, an empty problems list", res)
	}
	stats, err := reg.Stats(context.Background())
	if err != nil || stats.Attendances.Accepted != 2 || stats.Entries != 2 {
		t.Errorf("registry stats = %+v, %v", stats, err)
	}
	if out := mustRun(t, dir, "sync"); !strings.Contains(out, "No había nada pendiente") {
		t.Errorf("second sync output: %s", out)
	}
	if out := mustRun(t, dir, "sync", "status"); !strings.Contains(out, "Por enviar: 0") || !strings.Contains(out, "Última sincronización") {
		t.Errorf("status output: %s", out)
	}

	t.Run("CertificatesPending", func(t *testing.T) {
		// Certificates issued after their session synced wait for their
		// own receipt: pending counts them until the registry has them.
		mustRun(t, dir, "office", "set", "--name", "Capacitación Salta", "--verify-url", "https://puntos.example.gob.ar",
			"--signatory", "Lic. Ana Pérez|Directora")
		mustRun(t, dir, "certificates", id, "--out", filepath.Join(t.TempDir(), "certificados"))
		var st struct {
			Pending int `json:"pending"`
		}
		if err := json.Unmarshal([]byte(mustRun(t, dir, "sync", "status", "--json")), &st); err != nil || st.Pending != 2 {
			t.Errorf("status after issuing 2 certificates: pending %d (%v), want 2", st.Pending, err)
		}
		var res struct {
			Pending  *int `json:"pending"`
			Accepted int  `json:"accepted"`
		}
		if err := json.Unmarshal([]byte(mustRun(t, dir, "sync", "--json")), &res); err != nil || res.Pending == nil || *res.Pending != 0 || res.Accepted != 2 {
			t.Errorf("sync --json after issuing = %+v (%v), want 0 pending, 2 accepted", res, err)
		}
	})

	t.Run("DeadRegistryTimesOut", func(t *testing.T) {
		srv := httptest.NewServer(nil)
		dead := srv.URL
		srv.Close()
		c, _, errs := run(t, dir, "sync", "--registry", dead, "--timeout", "1s")
		if c != 1 || !strings.Contains(errs, "No hay conexión") {
			t.Errorf("sync to a dead registry: exit %d, stderr %q", c, errs)
		}
		if out := mustRun(t, dir, "sync", "status"); !strings.Contains(out, "Último error") {
			t.Errorf("status after a failure: %s", out)
		}
	})
}
