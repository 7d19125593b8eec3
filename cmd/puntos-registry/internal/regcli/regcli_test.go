package regcli_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/puntos-ar/puntos/cmd/internal/cmdline/cmdlinetest"
	"github.com/puntos-ar/puntos/cmd/internal/version"
	"github.com/puntos-ar/puntos/cmd/puntos-registry/internal/regcli"
	"github.com/puntos-ar/puntos/storage/demo"
	"github.com/puntos-ar/puntos/storage/registry"
	"github.com/puntos-ar/puntos/storage/registry/pgtest"
	"github.com/puntos-ar/puntos/storage/registry/registrytest"
	"github.com/puntos-ar/puntos/sync/server"
	"github.com/puntos-ar/puntos/sync/wire"
)

func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	args = withDB(t, args)
	var out, errb bytes.Buffer
	code = regcli.Run(t.Context(), args, &out, &errb)
	return code, out.String(), errb.String()
}

// withDB returns args with, when the tests run on PostgreSQL (see
// pgtest), "--db URL" of the database kept for the "--data DIR" they
// start with.
func withDB(t *testing.T, args []string) []string {
	if pgtest.Enabled() && len(args) > 1 && args[0] == "--data" {
		return append([]string{"--db", pgtest.DB(t, args[1])}, args...)
	}
	return args
}

// mustRun runs a command that must succeed and returns its stdout.
func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	code, out, errs := run(t, args...)
	if code != 0 {
		t.Fatalf("%v: exit %d\n%s%s", args, code, out, errs)
	}
	return out
}

var codePattern = regexp.MustCompile(`^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}\n$`)

func TestCommands(t *testing.T) {
	dir := t.TempDir()
	data := []string{"--data", dir}
	cmd := func(args ...string) []string { return append(append([]string{}, data...), args...) }

	t.Run("Version", func(t *testing.T) {
		out := mustRun(t, "--version")
		if want := "puntos-registry " + version.String() + ", protocolo " + wire.Protocol + "\n"; out != want {
			t.Errorf("got %q, want %q", out, want)
		}
	})
	t.Run("ErrUsage", func(t *testing.T) {
		for _, args := range [][]string{cmd("nada"), cmd("enroll"), cmd("ledger"), cmd("device", "revoke"), cmd("stats", "--bogus"), {"--data"}} {
			if code, _, errs := run(t, args...); code != 2 || !strings.HasPrefix(errs, "puntos-registry: ") {
				t.Errorf("%v: exit %d %q, want 2 and a message", args, code, errs)
			}
		}
	})
	t.Run("Demo", func(t *testing.T) {
		out := mustRun(t, cmd("demo")...)
		if !strings.Contains(out, "12 actividades nuevas") || !strings.Contains(out, "2000 personas nuevas") {
			t.Errorf("first demo: %s", out)
		}
		out = mustRun(t, cmd("demo")...)
		if !strings.Contains(out, "0 actividades nuevas, 0 actualizadas, 12 sin cambios") {
			t.Errorf("second demo changed something: %s", out)
		}
	})
	t.Run("Imports", func(t *testing.T) {
		cat := filepath.Join(t.TempDir(), "catalogo.csv")
		os.WriteFile(cat, []byte("Código;Título;Tipo;Horas;Puntos\nEX-1;Extra;charla;2;3\nEX-2;Mala;fiesta;2;3\n"), 0o600)
		code, out, errs := run(t, cmd("catalog", "import", cat)...)
		if code != 1 || !strings.Contains(out, "1 actividad nueva") || !strings.Contains(out, "rechazada: línea 3") || !strings.Contains(errs, "1 fila rechazada") {
			t.Errorf("catalog with a bad row: exit %d\n%s%s", code, out, errs)
		}
		roster := filepath.Join(t.TempDir(), "padron.csv")
		os.WriteFile(roster, []byte("DNI;Apellido;Nombres;Provincia\n30111222;RÍOS;Lucía;Salta\n"), 0o600)
		var rep struct{ Added int }
		if err := json.Unmarshal([]byte(mustRun(t, cmd("roster", "import", roster, "--json")...)), &rep); err != nil || rep.Added != 1 {
			t.Errorf("roster import --json: %+v %v", rep, err)
		}
		if code, _, errs := run(t, cmd("roster", "import", filepath.Join(dir, "no-existe.csv"))...); code != 1 || !strings.Contains(errs, "no existe") {
			t.Errorf("missing file: exit %d %q", code, errs)
		}
	})
	t.Run("Enroll", func(t *testing.T) {
		code, out, errs := run(t, cmd("enroll", "--office", "Oficina Salta", "--province", "salta")...)
		if code != 0 || !codePattern.MatchString(out) || !strings.Contains(errs, "una sola vez") {
			t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
		}
		var j struct {
			Code, Province string
			ExpiresAt      time.Time `json:"expires_at"`
		}
		json.Unmarshal([]byte(mustRun(t, cmd("enroll", "--office", "X", "--province", "CABA", "--json")...)), &j)
		if j.Province != "Ciudad Autónoma de Buenos Aires" || time.Until(j.ExpiresAt) < 6*24*time.Hour {
			t.Errorf("--json: %+v", j)
		}
		if code, _, errs := run(t, cmd("enroll", "--office", "X", "--province", "Narnia")...); code != 1 || !strings.Contains(errs, "Narnia") {
			t.Errorf("bad province: exit %d %q", code, errs)
		}
	})

	// A device enrolls and pushes through the real server.
	enrollCode := strings.TrimSpace(mustRun(t, cmd("enroll", "--office", "Oficina Tandil", "--province", "Buenos Aires")...))
	base, stop := serve(t, cmd("serve", "--addr", "127.0.0.1:0"))
	var er wire.EnrollResponse
	post(t, base+wire.PathEnroll, "", wire.EnrollRequest{Code: enrollCode, DeviceName: "Notebook"}, &er)
	today := time.Now().Format("2006-01-02")
	p := demo.Person(5, 1)
	b := &wire.Batch{Protocol: wire.Protocol, ID: "cli-b-1", DeviceClock: time.Now(),
		Sessions: []wire.SessionRecord{{ID: "cli-s-1", ActivityCode: "TA-LENG-01", Date: today, Province: "Buenos Aires",
			Municipality: "Tandil", ClosedAt: time.Now()}},
		Attendances: []wire.AttendanceRecord{{ID: "cli-a-1", SessionID: "cli-s-1", DNI: p.DNI, Status: "presente", Method: "typed", At: time.Now()}}}
	var rc wire.Receipt
	post(t, base+wire.PathBatches, er.Token, b, &rc)
	if len(rc.Outcomes) != 2 || rc.Outcomes[1].Result != wire.Accepted {
		t.Fatalf("receipt %+v", rc)
	}
	t.Run("Ledger", func(t *testing.T) {
		var l regcli.LedgerReport
		if err := json.Unmarshal([]byte(mustRun(t, cmd("ledger", p.DNI, "--json", "--year", today[:4])...)), &l); err != nil {
			t.Fatal(err)
		}
		if l.TotalPoints != 6 || len(l.Entries) != 1 || l.Name != p.FullName() || fmt.Sprint(l.Year) != today[:4] {
			t.Errorf("ledger %+v", l)
		}
		out := mustRun(t, cmd("ledger", p.CUIL, "--year="+today[:4])...)
		if !strings.Contains(out, "Taller de lenguaje claro") || !strings.Contains(out, "Total") || !strings.Contains(out, "faltan 54") {
			t.Errorf("ledger by CUIL:\n%s", out)
		}
		if code, _, _ := run(t, cmd("ledger", p.DNI, "--year", "1999")...); code != 2 {
			t.Errorf("year 1999: exit %d, want 2", code)
		}
		if code, _, errs := run(t, cmd("ledger", "40999888")...); code != 1 || !strings.Contains(errs, "40.999.888") {
			t.Errorf("unknown DNI: exit %d %q", code, errs)
		}
	})
	t.Run("ImportUSB", func(t *testing.T) {
		usb := &wire.Batch{Protocol: wire.Protocol, ID: "cli-b-usb", DeviceClock: time.Now(),
			Attendances: []wire.AttendanceRecord{
				{ID: "cli-a-2", SessionID: "cli-s-1", DNI: demo.Person(6, 1).DNI, Status: "tarde", Method: "typed", At: time.Now()},
				{ID: "cli-a-3", SessionID: "cli-s-1", DNI: "1", Status: "tarde", Method: "typed", At: time.Now()},
			}}
		raw, _ := json.Marshal([]*wire.Batch{usb})
		mac := hmac.New(sha256.New, wire.HashSecret(er.Token))
		mac.Write(raw)
		file := filepath.Join(t.TempDir(), "lotes.puntos")
		good, _ := json.Marshal(wire.USBFile{Protocol: wire.Protocol, DeviceID: er.DeviceID, Batches: raw, Signature: hex.EncodeToString(mac.Sum(nil))})
		os.WriteFile(file, bytes.Replace(good, []byte("tarde"), []byte("ausente"), 1), 0o600)
		if code, _, errs := run(t, cmd("import", file)...); code != 1 || !strings.Contains(errs, "firma") {
			t.Errorf("tampered file: exit %d %q", code, errs)
		}
		os.WriteFile(file, good, 0o600)
		out := mustRun(t, cmd("import", file)...)
		if !strings.Contains(out, "1 lote del equipo") || !strings.Contains(out, "asistencias: 1 aceptada, 0 duplicadas, 0 en conflicto, 1 rechazada") {
			t.Errorf("import:\n%s", out)
		}
	})
	t.Run("Stats", func(t *testing.T) {
		var s struct {
			Attendances struct{ Accepted, Rejected int }
			Batches     int
			Points      int
		}
		if err := json.Unmarshal([]byte(mustRun(t, cmd("stats", "--json")...)), &s); err != nil {
			t.Fatal(err)
		}
		if s.Attendances.Accepted != 2 || s.Attendances.Rejected != 1 || s.Batches != 2 || s.Points != 12 {
			t.Errorf("stats %+v", s)
		}
		if out := mustRun(t, cmd("stats")...); !strings.Contains(out, "Asistencias: 2 aceptadas") {
			t.Errorf("stats:\n%s", out)
		}
	})
	t.Run("Devices", func(t *testing.T) {
		var devs []wire.EnrolledDevice
		if err := json.Unmarshal([]byte(mustRun(t, cmd("device", "list", "--json")...)), &devs); err != nil {
			t.Fatal(err)
		}
		if len(devs) != 1 || devs[0].ID != er.DeviceID || devs[0].LastBatchAt.IsZero() {
			t.Fatalf("devices %+v", devs)
		}
		if out := mustRun(t, cmd("device", "revoke", er.DeviceID, "--reason", "robado")...); !strings.Contains(out, "dado de baja") {
			t.Errorf("revoke: %s", out)
		}
		if out := mustRun(t, cmd("device", "list")...); !strings.Contains(out, "dado de baja el") {
			t.Errorf("list after revoke:\n%s", out)
		}
		var eb wire.ErrorBody
		post(t, base+wire.PathBatches, er.Token, b, &eb)
		if eb.Error.Code != wire.CodeTokenRevoked {
			t.Errorf("push after revoke: %+v", eb)
		}
		if code, _, _ := run(t, cmd("device", "revoke", "ffffffff-0000")...); code != 1 {
			t.Errorf("revoke unknown: exit %d, want 1", code)
		}
	})
	if out := stop(); !strings.Contains(out, "Registro detenido.") {
		t.Errorf("serve output after stop: %q", out)
	}
}

// serve starts "serve" in-process and returns its base URL and a stop
// function that cancels it, checks it exits 0 and returns the rest of its
// output.
func serve(t *testing.T, args []string) (string, func() string) {
	t.Helper()
	args = withDB(t, args)
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	exit := make(chan int, 1)
	go func() {
		exit <- regcli.Run(ctx, args, pw, io.Discard)
		pw.Close()
	}()
	sc := bufio.NewScanner(pr)
	if !sc.Scan() {
		cancel()
		t.Fatalf("serve printed nothing (exit %d)", <-exit)
	}
	addr := regexp.MustCompile(`http://\S+`).FindString(sc.Text())
	if addr == "" {
		cancel()
		t.Fatalf("no address in %q", sc.Text())
	}
	rest := make(chan string, 1)
	go func() {
		var b strings.Builder
		for sc.Scan() {
			b.WriteString(sc.Text() + "\n")
		}
		rest <- b.String()
	}()
	stopped := false
	stop := func() string {
		if stopped {
			return ""
		}
		stopped = true
		cancel()
		if code := <-exit; code != 0 {
			t.Errorf("serve exit %d, want 0", code)
		}
		return <-rest
	}
	t.Cleanup(func() { stop() })
	return addr, stop
}

func post(t *testing.T, url, token string, in, out any) {
	t.Helper()
	body, _ := json.Marshal(in)
	req, _ := http.NewRequest("POST", url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if err := json.NewDecoder(res.Body).Decode(out); err != nil {
		t.Fatal(err)
	}
}

// TestServeTrustedProxy runs serve behind a "proxy" on 127.0.0.1 (the
// test itself), given by flag or by environment: a guesser's address, as
// the proxy forwards it, is blocked; another address still enrolls.
func TestServeTrustedProxy(t *testing.T) {
	enroll := func(base, code, xff string) int {
		t.Helper()
		body, _ := json.Marshal(wire.EnrollRequest{Code: code, DeviceName: "Notebook"})
		req, _ := http.NewRequest("POST", base+wire.PathEnroll, bytes.NewReader(body))
		req.Header.Set("X-Forwarded-For", xff)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	for _, tc := range []struct {
		name string
		args []string
		env  string
	}{
		{"Flag", []string{"--trusted-proxy", "10.0.0.0/8", "--trusted-proxy", "127.0.0.1"}, ""},
		{"Environment", nil, "10.0.0.0/8, 127.0.0.1/32"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("PUNTOS_REGISTRY_TRUSTED_PROXY", tc.env)
			data := []string{"--data", t.TempDir()}
			code := func() string {
				return strings.TrimSpace(mustRun(t, append(data, "enroll", "--office", "Oficina", "--province", "Salta")...))
			}
			base, _ := serve(t, append(append(data, "serve", "--addr", "127.0.0.1:0"), tc.args...))
			for range 10 {
				if got := enroll(base, "AAAA-AAAA-AA", "203.0.113.9"); got != 403 {
					t.Fatalf("bad code: status %d, want 403", got)
				}
			}
			if got := enroll(base, code(), "203.0.113.9"); got != 429 {
				t.Errorf("the guesser: status %d, want 429", got)
			}
			if got := enroll(base, code(), "198.51.100.4, 10.1.1.1"); got != 200 {
				t.Errorf("another client through two proxies: status %d, want 200", got)
			}
		})
	}
	t.Run("ErrBadProxy", func(t *testing.T) {
		if code, _, errs := run(t, "--data", t.TempDir(), "serve", "--trusted-proxy", "proxy.local"); code != 2 || !strings.Contains(errs, "proxy.local") {
			t.Errorf("exit %d %q, want 2 naming the value", code, errs)
		}
	})
}

// TestConsoleAudited checks that the command line's changes are audited
// with the console as actor, as the staff API's are with a staff name.
func TestConsoleAudited(t *testing.T) {
	dir := t.TempDir()
	code := strings.TrimSpace(mustRun(t, "--data", dir, "enroll", "--office", "Oficina Salta", "--province", "Salta"))
	st := registrytest.Open(t, dir)
	_, hash := server.NewToken()
	dev, err := st.RedeemEnrollment(t.Context(), wire.HashSecret(code),
		wire.EnrolledDevice{ID: "0190cccc-3333-7000-8000-000000000001", Name: "Notebook", TokenHash: hash}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	mustRun(t, "--data", dir, "device", "revoke", dev.ID[:13], "--reason", "robado")
	page, err := st.AuditLog(t.Context(), "", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Entries) != 2 {
		t.Fatalf("audit log %+v, want an enrollment and a revocation", page.Entries)
	}
	revoke, enroll := page.Entries[0], page.Entries[1]
	if revoke.Action != wire.AuditDeviceRevoke || revoke.Actor != registry.ConsoleActor || revoke.Reason != "robado" ||
		!strings.Contains(revoke.Target, dev.ID) {
		t.Errorf("revocation audited as %+v", revoke)
	}
	if enroll.Action != wire.AuditEnroll || enroll.Actor != registry.ConsoleActor || !strings.Contains(enroll.Target, "Oficina Salta") {
		t.Errorf("enrollment audited as %+v", enroll)
	}
}

func TestHelp(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "registro")
	for _, flag := range []string{"-h", "--help", "help"} {
		code, out, errs := run(t, "--data", dir, flag)
		if code != 0 || errs != "" || !strings.HasPrefix(out, "Uso: puntos-registry") {
			t.Fatalf("puntos-registry %s: exit %d, stdout %q, stderr %q", flag, code, out, errs)
		}
	}
	_, help, _ := run(t, "help")
	names := cmdlinetest.CommandNames(help)
	if !slices.Contains(names, "serve") || len(names) < 8 {
		t.Fatalf("help lists %q", names)
	}
	for _, name := range names {
		for _, flag := range []string{"-h", "--help"} {
			args := append([]string{"--data", dir}, append(strings.Fields(name), flag)...)
			code, out, errs := run(t, args...)
			if want := "Uso: puntos-registry [--data CARPETA] [--db URL] " + name + " "; code != 0 || errs != "" || !strings.HasPrefix(out, want) {
				t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 0 and %q", args, code, out, errs, want)
			}
		}
	}
	if _, err := os.Stat(dir); err == nil {
		t.Error("asking for help created the registry's folder")
	}
}
