package regcli_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/puntos-ar/puntos/cmd/puntos-registry/internal/regcli"
	"github.com/puntos-ar/puntos/storage/demo"
	"github.com/puntos-ar/puntos/storage/registry"
	"github.com/puntos-ar/puntos/storage/registry/pgtest"
	"github.com/puntos-ar/puntos/sync/jws"
)

// runAs runs the command line args as given (no --db added: the SQLite
// source of a migrate is always a file).
func runAs(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = regcli.Run(t.Context(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestMigrate(t *testing.T) {
	if !pgtest.Enabled() {
		t.Skip("migrate copies into PostgreSQL: run with PUNTOS_TEST_DB=postgres")
	}
	// The source: the demo registry, with its batches to review, in SQLite.
	src := t.TempDir()
	for _, args := range [][]string{{"demo"}, {"staff", "demo"}} {
		if code, out, errs := runAs(t, append([]string{"--data", src}, args...)...); code != 0 {
			t.Fatalf("%v: exit %d\n%s%s", args, code, out, errs)
		}
	}
	// pgtest's cluster trusts every connection, so a password is accepted
	// and must never be printed.
	const secret = "clave-secreta-9876"
	url := strings.Replace(pgtest.DB(t, t.TempDir()), "postgres@", "postgres:"+secret+"@", 1)
	migrate := func(args ...string) (int, string, string) {
		t.Helper()
		code, out, errs := runAs(t, append([]string{"--db", url, "migrate"}, args...)...)
		if strings.Contains(out+errs, secret) {
			t.Errorf("the password was printed:\n%s%s", out, errs)
		}
		return code, out, errs
	}

	code, out, errs := migrate("--from", src)
	if code != 0 {
		t.Fatalf("migrate: exit %d\n%s%s", code, out, errs)
	}
	for _, want := range []string{"people: 2.000 de 2.000\n", "ledger: ", "TABLA", "EN POSTGRESQL", "los conteos coinciden", "postgres:xxxxx@"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	// Again, as JSON: the same counts, nothing else on stdout.
	code, out, errs = migrate("--from", src, "--json")
	if code != 0 {
		t.Fatalf("rerun: exit %d\n%s%s", code, out, errs)
	}
	var res struct {
		Destination string `json:"destination"`
		Rows        int64  `json:"rows"`
		Replaced    bool   `json:"replaced"`
		Tables      []struct {
			Table          string
			Source, Copied int64
		} `json:"tables"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("--json: %v\n%s", err, out)
	}
	var sum int64
	seen := map[string]int64{}
	for _, tc := range res.Tables {
		sum += tc.Copied
		seen[tc.Table] = tc.Copied
		if tc.Copied != tc.Source {
			t.Errorf("table %+v", tc)
		}
	}
	if sum != res.Rows || seen["people"] != 2000 || seen["batches"] != 3 || seen["ledger"] == 0 || res.Replaced || len(res.Tables) < 20 {
		t.Errorf("json %+v", res)
	}
	if !strings.Contains(errs, "people: 2.000 de 2.000") {
		t.Errorf("--json progress should go to stderr:\n%s", errs)
	}

	// The copy serves: its ledger and stats are the file's.
	for _, args := range [][]string{{"stats"}, {"ledger", "--json", firstLedgerDNI(t, src)}} {
		_, a, _ := runAs(t, append([]string{"--data", src}, args...)...)
		_, b, _ := runAs(t, append([]string{"--db", url}, args...)...)
		if a != b || a == "" {
			t.Errorf("%v: SQLite\n%s\nPostgreSQL\n%s", args, a, b)
		}
	}

	// Another file (without the batches) over it is refused: the batches
	// would be lost; with --replace it goes.
	other := t.TempDir()
	if code, out, errs := runAs(t, "--data", other, "demo"); code != 0 {
		t.Fatalf("demo: exit %d\n%s%s", code, out, errs)
	}
	// (The audit entry of the demo account is in both, made at other
	// times: a row with the same ID and other content counts too.)
	code, _, errs = migrate("--from", other)
	if code != 1 || !strings.Contains(errs, "3 lotes, ") || !strings.Contains(errs, " y 2 entradas de auditoría que no están en "+other) || !strings.Contains(errs, "--replace") || !strings.Contains(errs, "No se cambió nada") {
		t.Errorf("over a used base: exit %d %q", code, errs)
	}
	if _, b, _ := runAs(t, "--db", url, "stats"); !strings.Contains(b, "Lotes recibidos: 3\n") {
		t.Errorf("the refused copy changed the base:\n%s", b)
	}
	code, out, errs = migrate("--from", other, "--replace")
	if code != 0 || !strings.Contains(out, "Se reemplazó") {
		t.Errorf("--replace: exit %d\n%s%s", code, out, errs)
	}
	if _, b, _ := runAs(t, "--db", url, "stats"); !strings.Contains(b, "Lotes recibidos: 0\n") {
		t.Errorf("after --replace:\n%s", b)
	}
}

// firstLedgerDNI returns the DNI of a person with ledger entries in the
// SQLite registry of dir.
func firstLedgerDNI(t *testing.T, dir string) string {
	t.Helper()
	st, err := registry.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s, err := st.Stats(t.Context())
	if err != nil || s.Entries == 0 {
		t.Fatalf("stats %+v %v", s, err)
	}
	for i := range 20 {
		dni := demo.Person(i, 1).DNI // the seed of the demo command
		if l, err := st.Ledger(t.Context(), dni, 0); err == nil && len(l) > 0 {
			return dni
		}
	}
	t.Fatal("no one of the demo batches has ledger entries")
	return ""
}

// TestMigrateBadInput checks that migrate without --db or with a --from
// that holds no registry says what to do and creates or changes nothing.
func TestMigrateBadInput(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "no-existe")
	empty := filepath.Join(dir, "vacio")
	if err := os.Mkdir(empty, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(empty, registry.FileName), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "data")
	code, _, errs := runAs(t, "--data", data, "migrate", "--from", empty)
	if code != 2 || !strings.Contains(errs, "--db postgres://") {
		t.Errorf("without --db: exit %d %q", code, errs)
	}
	if _, err := os.Stat(data); err == nil {
		t.Errorf("migrate without --db created %s", data)
	}
	if !pgtest.Enabled() {
		t.Skip("the rest needs PostgreSQL: run with PUNTOS_TEST_DB=postgres")
	}
	url := pgtest.DB(t, t.TempDir())
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{}, 2, "falta --from"},
		{[]string{"--from", missing}, 1, "no existe"},
		{[]string{"--from", filepath.Join(empty, registry.FileName)}, 1, "no es una carpeta"},
		{[]string{"--from", dir}, 1, "no hay un registro"},
		{[]string{"--from", empty}, 1, "vacío"},
	} {
		code, out, errs := runAs(t, append([]string{"--db", url, "migrate"}, c.args...)...)
		if code != c.code || !strings.Contains(errs, c.want) || out != "" {
			t.Errorf("%v: exit %d %q %q, want %d %q", c.args, code, out, errs, c.code, c.want)
		}
	}
	if _, err := os.Stat(missing); err == nil {
		t.Error("migrate created the missing folder")
	}
	if fi, err := os.Stat(filepath.Join(empty, registry.FileName)); err != nil || fi.Size() != 0 {
		t.Errorf("the empty file was touched: %v %v", fi, err)
	}
	if _, b, _ := runAs(t, "--db", url, "stats"); !strings.Contains(b, "Personas: 0 ") {
		t.Errorf("PostgreSQL was changed:\n%s", b)
	}
}

// TestMigrateKeyFile: a registry that last served when its signing key
// was a file in its folder brings that key into PostgreSQL, so what it
// signed stays verifiable there.
func TestMigrateKeyFile(t *testing.T) {
	if !pgtest.Enabled() {
		t.Skip("migrate copies into PostgreSQL: run with PUNTOS_TEST_DB=postgres")
	}
	src := t.TempDir()
	if code, out, errs := runAs(t, "--data", src, "demo"); code != 0 {
		t.Fatalf("demo: exit %d\n%s%s", code, out, errs)
	}
	key, _, err := jws.LoadOrCreate(filepath.Join(src, jws.RegistryKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	dest := pgtest.DB(t, t.TempDir())
	code, out, errs := runAs(t, "--db", dest, "migrate", "--from", src)
	if code != 0 || !strings.Contains(out, "Se pasó la clave de firma del registro") {
		t.Fatalf("migrate: exit %d\n%s%s", code, out, errs)
	}
	st, err := registry.OpenURL(t.Context(), dest)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	got, source, err := st.SigningKey(t.Context(), nil)
	if err != nil || source != registry.KeyStored || !got.Equal(key) {
		t.Errorf("PostgreSQL's key: %v from %v, want the file's", err, source)
	}
}
