package regcli

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/puntos-ar/puntos/cmd/internal/cmdline"
	"github.com/puntos-ar/puntos/storage/csvin"
	"github.com/puntos-ar/puntos/storage/demo"
	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/storage/registry"
	"github.com/puntos-ar/puntos/sync/jws"
	"github.com/puntos-ar/puntos/sync/server"
	"github.com/puntos-ar/puntos/sync/wire"
)

// trustedProxyEnv lists the trusted proxies, comma-separated, when serve
// has no --trusted-proxy.
const trustedProxyEnv = "PUNTOS_REGISTRY_TRUSTED_PROXY"

func serve(e *env, st *registry.Store, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8080", "")
	var proxies []netip.Prefix
	addProxy := func(v string) error {
		p, err := server.ParseTrustedProxy(v)
		if err != nil {
			return fmt.Errorf("%q no es una dirección ni un rango CIDR (por ejemplo 127.0.0.1/32 o 10.0.0.0/8)", v)
		}
		proxies = append(proxies, p)
		return nil
	}
	fs.Func("trusted-proxy", "", addProxy)
	publicURL := fs.String("public-url", "", "")
	pos, err := cmdline.Parse(fs, args)
	if err != nil {
		return err
	}
	if err := cmdline.NoArgs(pos); err != nil {
		return err
	}
	if v := os.Getenv(trustedProxyEnv); len(proxies) == 0 && strings.TrimSpace(v) != "" {
		for _, p := range strings.Split(v, ",") {
			if err := addProxy(p); err != nil {
				return cmdline.Usagef("$%s: %v", trustedProxyEnv, err)
			}
		}
	}
	public, err := server.PublicURL(*publicURL)
	if err != nil {
		return cmdline.Usagef("--public-url: %v", err)
	}
	key, keyNote, err := registryKey(e, st, e.dir)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("no se puede escuchar en %s (¿ya hay otro registro o programa usando ese puerto?): %w", *addr, err)
	}
	srv := server.NewServer(st, e.log)
	srv.TrustedProxies, srv.PublicURL, srv.Key = proxies, public, key
	fmt.Fprintf(e.stdout, "Registro escuchando en http://%s (datos en %s). Ctrl+C para detenerlo.\n", ln.Addr(), e.where())
	if len(proxies) > 0 {
		names := make([]string, len(proxies))
		for i, p := range proxies {
			names[i] = p.String()
		}
		fmt.Fprintf(e.stdout, "Se cree X-Forwarded-For solo de: %s.\n", strings.Join(names, ", "))
	}
	if keyNote != "" {
		fmt.Fprintln(e.stdout, keyNote)
	}
	if public == "" {
		fmt.Fprintln(e.stdout, "Sin --public-url: los equipos no imprimen certificados verificables hasta que se indique la dirección pública.")
	} else {
		fmt.Fprintf(e.stdout, "Dirección pública para verificar certificados: %s\n", public)
	}
	if err := server.Serve(e.ctx, ln, srv, e.log); err != nil {
		return fmt.Errorf("servidor: %w", err)
	}
	fmt.Fprintln(e.stdout, "Registro detenido.")
	return nil
}

// registryKey returns the registry's signing key, kept in its database so
// that every instance signs with the same one. A registry that kept it in
// its data folder dir before (jws.RegistryKeyFile) has that key imported on
// its first start, so what it signed stays verifiable; the file is no
// longer written nor needed. note tells, when not empty, that the key was
// made or imported.
func registryKey(e *env, st *registry.Store, dir string) (key ed25519.PrivateKey, note string, err error) {
	path := filepath.Join(dir, jws.RegistryKeyFile)
	file, err := jws.Load(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, "", fmt.Errorf("la clave de firma del registro en %s no se puede leer (%w): restaurala de un respaldo o sacá el archivo de la carpeta (sin él se usa la clave guardada en la base de datos, o se crea una nueva)", path, err)
	}
	key, source, err := st.SigningKey(e.ctx, file)
	if err != nil {
		return nil, "", fmt.Errorf("clave de firma del registro: %w", err)
	}
	switch {
	case source == registry.KeyImported:
		note = fmt.Sprintf("Se pasó la clave de firma del registro de %s a la base de datos: lo ya firmado se sigue verificando. "+
			"El archivo ya no se usa; se puede guardar aparte y borrar.", path)
	case source == registry.KeyNew:
		note = "Se creó la clave de firma del registro en la base de datos: se respalda con la base."
	case file != nil && !file.Equal(key):
		fmt.Fprintf(e.stderr, "Atención: %s tiene una clave distinta de la que está en la base de datos. Se usa la de la base, "+
			"y lo firmado con la del archivo ya no se verifica: no borres el archivo.\n", path)
	}
	return key, note, nil
}

func enroll(e *env, st *registry.Store, args []string) error {
	fs := flag.NewFlagSet("enroll", flag.ContinueOnError)
	office := fs.String("office", "", "")
	province := fs.String("province", "", "")
	asJSON := fs.Bool("json", false, "")
	pos, err := cmdline.Parse(fs, args)
	if err != nil {
		return err
	}
	if err := cmdline.NoArgs(pos); err != nil {
		return err
	}
	if *office == "" || *province == "" {
		return cmdline.Usagef("faltan --office OFICINA y --province PROVINCIA")
	}
	code, enr, err := server.NewEnrollment(*office, *province, st.Now())
	if err != nil {
		return err
	}
	if err := st.CreateEnrollmentBy(e.ctx, enr, console); err != nil {
		return err
	}
	if *asJSON {
		return cmdline.WriteJSON(e.stdout, map[string]any{"code": code, "office": enr.Office, "province": enr.Province, "expires_at": enr.ExpiresAt})
	}
	// The code alone on stdout, so a script can take it; the rest for people.
	fmt.Fprintln(e.stdout, code)
	fmt.Fprintf(e.stderr, "Código de alta para %s (%s). Sirve una sola vez y vence el %s.\n"+
		"En el equipo: Ajustes → Registro, o «puntos enroll URL %s».\n",
		enr.Office, enr.Province, enr.ExpiresAt.In(domain.Argentina).Format("02/01/2006 15:04"), code)
	return nil
}

func deviceList(e *env, st *registry.Store, args []string) error {
	return cmdline.ShowList(e.stdout, args, func() ([]wire.EnrolledDevice, error) { return st.Devices(e.ctx) },
		"No hay equipos dados de alta. Creá un código con «puntos-registry enroll».",
		"ID\tNOMBRE\tOFICINA\tPROVINCIA\tALTA\tÚLTIMO LOTE\tESTADO",
		func(w io.Writer, d wire.EnrolledDevice) {
			state := "activo"
			if d.Revoked() {
				state = "dado de baja el " + day(d.RevokedAt)
			}
			last := "—"
			if !d.LastBatchAt.IsZero() {
				last = d.LastBatchAt.In(domain.Argentina).Format("02/01/2006 15:04")
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", d.ID, d.Name, d.Office, d.Province, day(d.EnrolledAt), last, state)
		})
}

func day(t time.Time) string { return t.In(domain.Argentina).Format("02/01/2006") }

func deviceRevoke(e *env, st *registry.Store, args []string) error {
	fs := flag.NewFlagSet("device revoke", flag.ContinueOnError)
	reason := fs.String("reason", "", "")
	id, err := cmdline.ParseOne(fs, args, "el ID del equipo (ver «puntos-registry device list»)")
	if err != nil {
		return err
	}
	d, err := st.DeviceByPrefix(e.ctx, id)
	if err == nil {
		d, err = st.RevokeDeviceBy(e.ctx, d.ID, wire.StaffScope{}, consoleAction(*reason))
	}
	if errors.Is(err, domain.ErrNotFound) {
		return fmt.Errorf("no hay ningún equipo con ID %q: ver «puntos-registry device list»", id)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Equipo %s (%s, %s) dado de baja: su token ya no sirve. Para volver a usarlo, creá un código con «enroll».\n",
		d.ID, d.Name, d.Office)
	return nil
}

func catalogImport(e *env, st *registry.Store, args []string) error {
	return importTable(e, args, nounActivities, func(r io.Reader, sheet csvin.Option) (registry.ImportReport, error) {
		return st.ImportCatalog(e.ctx, r, sheet)
	})
}

func rosterImport(e *env, st *registry.Store, args []string) error {
	return importTable(e, args, nounPeople, func(r io.Reader, sheet csvin.Option) (registry.ImportReport, error) {
		return st.ImportRoster(e.ctx, r, sheet)
	})
}

// importTable runs an import of a CSV file or a workbook: the file, an
// optional --json and an optional --sheet naming the workbook's sheet.
// The rows that catalog and roster imports count.
var (
	nounActivities = cmdline.Noun{One: "actividad", Many: "actividades"}
	nounPeople     = cmdline.Noun{One: "persona", Many: "personas"}
)

func importTable(e *env, args []string, noun cmdline.Noun, run func(io.Reader, csvin.Option) (registry.ImportReport, error)) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	sheet := fs.String("sheet", "", "")
	path, err := cmdline.ParseOne(fs, args, "el archivo CSV o Excel")
	if err != nil {
		return err
	}
	return cmdline.ImportFile(e.stdout, path, *asJSON, noun, func(r io.Reader) (registry.ImportReport, error) {
		return run(r, csvin.Sheet(*sheet))
	})
}

// fileArgs parses the arguments of an import: one file, named what in
// messages, and an optional --json.
func fileArgs(args []string, what string) (path string, asJSON bool, err error) {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.BoolVar(&asJSON, "json", false, "")
	path, err = cmdline.ParseOne(fs, args, what)
	return path, asJSON, err
}

// resultNames are the outcome results in Spanish, in print order, as
// words that agree with a masculine and a feminine record kind.
var resultNames = []struct {
	result string
	words  [2]cmdline.Noun
}{
	{wire.Accepted, [2]cmdline.Noun{{One: "aceptado", Many: "aceptados"}, {One: "aceptada", Many: "aceptadas"}}},
	{wire.Duplicate, [2]cmdline.Noun{{One: "duplicado", Many: "duplicados"}, {One: "duplicada", Many: "duplicadas"}}},
	{wire.Conflict, [2]cmdline.Noun{{One: "en conflicto", Many: "en conflicto"}, {One: "en conflicto", Many: "en conflicto"}}},
	{wire.Rejected, [2]cmdline.Noun{{One: "rechazado", Many: "rechazados"}, {One: "rechazada", Many: "rechazadas"}}},
}

// kindNames name the record kinds; feminine picks the results' words.
var kindNames = []struct {
	kind, name string
	feminine   int
}{
	{wire.KindPerson, "agentes nuevos", 0}, {wire.KindSession, "sesiones", 1},
	{wire.KindAttendance, "asistencias", 1}, {wire.KindCertificate, "certificados", 0},
}

func importUSB(e *env, st *registry.Store, args []string) error {
	path, asJSON, err := fileArgs(args, "el archivo de lotes")
	if err != nil {
		return err
	}
	f, err := cmdline.OpenFile(path)
	if err != nil {
		return err
	}
	defer f.Close()
	srv := server.NewServer(st, slog.New(slog.DiscardHandler))
	srv.Now = st.Now
	res, err := srv.ImportUSB(e.ctx, f)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	counts := res.Counts()
	if asJSON {
		return cmdline.WriteJSON(e.stdout, map[string]any{"device_id": res.DeviceID, "batches": len(res.Receipts),
			"counts": counts, "receipts": res.Receipts, "conflicts": res.Conflicts})
	}
	fmt.Fprintf(e.stdout, "%s: %s del equipo %s\n", path, cmdline.Count(len(res.Receipts), "lote", "lotes"), res.DeviceID)
	for _, k := range kindNames {
		c, ok := counts[k.kind]
		if !ok {
			continue
		}
		parts := make([]string, 0, len(resultNames))
		for _, r := range resultNames {
			w := r.words[k.feminine]
			parts = append(parts, cmdline.Count(c[r.result], w.One, w.Many))
		}
		fmt.Fprintf(e.stdout, "  %s: %s\n", k.name, strings.Join(parts, ", "))
	}
	for _, rc := range res.Receipts {
		for _, o := range rc.Outcomes {
			if o.Result == wire.Rejected || o.Result == wire.Conflict {
				fmt.Fprintf(e.stdout, "  %s %s %s: %s\n", o.Kind, o.ID, o.Result, o.Message)
			}
		}
		if len(rc.Flags) > 0 {
			fmt.Fprintf(e.stdout, "  lote %s marcado: %s\n", rc.BatchID, strings.Join(rc.Flags, ", "))
		}
	}
	for _, id := range res.Conflicts {
		fmt.Fprintf(e.stdout, "  lote %s no importado: el registro ya tiene otro lote con ese ID; el equipo lo reenvía con un ID nuevo al sincronizar por internet\n", id)
	}
	return nil
}

// LedgerReport is the JSON of the ledger command.
type LedgerReport struct {
	DNI            string                 `json:"dni"`
	Name           string                 `json:"name,omitempty"`
	Year           int                    `json:"year"`
	TotalPoints    int                    `json:"total_points"`
	RequiredPoints int                    `json:"required_points"`
	Entries        []registry.LedgerEntry `json:"entries"`
}

func ledger(e *env, st *registry.Store, args []string) error {
	fs := flag.NewFlagSet("ledger", flag.ContinueOnError)
	year := fs.Int("year", 0, "")
	asJSON := fs.Bool("json", false, "")
	in, err := cmdline.ParseOne(fs, args, "el DNI (o el CUIL)")
	if err != nil {
		return err
	}
	dni, err := parseDNI(in)
	if err != nil {
		return err
	}
	if *year == 0 {
		*year = wire.LocalDate(st.Now()).Year()
	}
	if *year < 2000 || *year > 2200 {
		return cmdline.Usagef("el año %d no es válido: usá --year AAAA", *year)
	}
	rep := LedgerReport{DNI: dni, Year: *year, RequiredPoints: domain.RequiredPoints}
	p, err := st.Person(e.ctx, dni)
	switch {
	case err == nil:
		rep.Name = p.FullName()
	case !errors.Is(err, domain.ErrNotFound):
		return err
	}
	if rep.Entries, err = st.Ledger(e.ctx, dni, *year); err != nil {
		return err
	}
	if rep.Name == "" && len(rep.Entries) == 0 {
		return fmt.Errorf("no hay ninguna persona con DNI %s en el registro", domain.FormatDNI(dni))
	}
	for _, en := range rep.Entries {
		rep.TotalPoints += en.Points
	}
	if *asJSON {
		return cmdline.WriteJSON(e.stdout, rep)
	}
	fmt.Fprintf(e.stdout, "%s — DNI %s — año %d\n", rep.Name, domain.FormatDNI(dni), rep.Year)
	if len(rep.Entries) > 0 {
		tw := cmdline.Table(e.stdout)
		fmt.Fprintln(tw, "Nº\tFECHA\tACTIVIDAD\tPUNTOS\tASIENTO\tORIGEN")
		for _, en := range rep.Entries {
			kind, origin := "crédito", "lote "+en.BatchID+", equipo "+en.DeviceID
			if en.Kind == registry.EntryReversal {
				kind, origin = fmt.Sprintf("reversión del %d", en.Reverses), en.Actor+": "+en.Reason
			}
			fmt.Fprintf(tw, "%d\t%s\t%s (%s)\t%+d\t%s\t%s\n", en.ID, en.SessionDate, en.Activity, en.ActivityCode, en.Points, kind, origin)
		}
		tw.Flush()
	}
	fmt.Fprintf(e.stdout, "Total %d: %d puntos", rep.Year, rep.TotalPoints)
	if missing := domain.RequiredPoints - rep.TotalPoints; missing > 0 {
		fmt.Fprintf(e.stdout, " (faltan %d para los %d del año)", missing, domain.RequiredPoints)
	}
	fmt.Fprintln(e.stdout)
	return nil
}

// parseDNI accepts a DNI (dots allowed) or a CUIL and returns the DNI.
func parseDNI(s string) (string, error) {
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
	if len(digits) == 11 {
		cuil, err := domain.ParseCUIL(s)
		if err != nil {
			return "", err
		}
		return domain.CUILDNI(cuil), nil
	}
	return domain.NormalizeDNI(s)
}

func stats(e *env, st *registry.Store, args []string) error {
	return cmdline.Show(e.stdout, args, func() (registry.Stats, error) { return st.Stats(e.ctx) }, printStats)
}

func printStats(w io.Writer, s registry.Stats) {
	counts := func(c registry.Counts) string {
		return fmt.Sprintf("%s, %s, %d en conflicto, %s", cmdline.Count(c.Accepted, "aceptada", "aceptadas"),
			cmdline.Count(c.Duplicate, "duplicada", "duplicadas"), c.Conflict, cmdline.Count(c.Rejected, "rechazada", "rechazadas"))
	}
	fmt.Fprintf(w, "Lotes recibidos: %d\n", s.Batches)
	fmt.Fprintf(w, "Asistencias: %s\n", counts(s.Attendances))
	fmt.Fprintf(w, "Sesiones: %s\n", counts(s.Sessions))
	fmt.Fprintf(w, "Personas: %d (%s en sesiones)\n", s.People, cmdline.Count(s.WalkIns, "agregada", "agregadas"))
	fmt.Fprintf(w, "Actividades: %d\n", s.Activities)
	fmt.Fprintf(w, "Equipos activos: %d\n", s.Devices)
	fmt.Fprintf(w, "Certificados: %d\n", s.Certificates)
	fmt.Fprintf(w, "Puntos acreditados: %d (%s)\n", s.Points, cmdline.Count(s.Entries, "asiento", "asientos"))
	fmt.Fprintf(w, "Para revisar: %d\n", s.Review)
	if len(s.Flags) > 0 {
		var parts []string
		for f, n := range s.Flags {
			parts = append(parts, fmt.Sprintf("%s %d", f, n))
		}
		slices.Sort(parts)
		fmt.Fprintf(w, "Lotes marcados: %s\n", strings.Join(parts, ", "))
	}
}

// Demo sizes: the same roster the device's demo imports (demo.Fill).
const (
	demoPeople = 2000
	demoSeed   = 1
)

func runDemo(e *env, st *registry.Store, args []string) error {
	if len(args) > 0 {
		return cmdline.Usagef("demo no lleva argumentos")
	}
	cat, err := st.ImportCatalog(e.ctx, strings.NewReader(demo.Catalog))
	if err != nil {
		return fmt.Errorf("catálogo de demostración: %w", err)
	}
	var roster bytes.Buffer
	if err := demo.Roster(&roster, demoPeople, demoSeed); err != nil {
		return err
	}
	ppl, err := st.ImportRoster(e.ctx, &roster)
	if err != nil {
		return fmt.Errorf("padrón de demostración: %w", err)
	}
	cmdline.PrintReport(e.stdout, "Catálogo de demostración", nounActivities, cat)
	cmdline.PrintReport(e.stdout, "Padrón de demostración", nounPeople, ppl)
	return demoStaff(e, st) // the staff account and batches to review (staff_demo.go)
}
