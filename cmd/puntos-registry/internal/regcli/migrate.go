package regcli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/puntos-ar/puntos/cmd/internal/cmdline"
	"github.com/puntos-ar/puntos/storage/registry"
	"github.com/puntos-ar/puntos/sync/jws"
)

// migrateCommand is the name of the command that needs --db.
const migrateCommand = "migrate"

// migrateResult is what migrate --json prints.
type migrateResult struct {
	From        string  `json:"from"`
	Destination string  `json:"destination"` // without its password
	Rows        int64   `json:"rows"`
	Seconds     float64 `json:"seconds"`
	registry.CopyReport
}

// migrate copies the SQLite registry of --from into the PostgreSQL
// database of --db (the store Run opened).
func migrate(e *env, st *registry.Store, args []string) error {
	fs := flag.NewFlagSet(migrateCommand, flag.ContinueOnError)
	from := fs.String("from", "", "")
	replace := fs.Bool("replace", false, "")
	asJSON := fs.Bool("json", false, "")
	pos, err := cmdline.Parse(fs, args)
	if err != nil {
		return err
	}
	if err := cmdline.NoArgs(pos); err != nil {
		return err
	}
	if *from == "" {
		return cmdline.Usagef("falta --from CARPETA: la carpeta de datos del registro SQLite a copiar (la que tiene %s)", registry.FileName)
	}
	if err := checkSource(*from); err != nil {
		return err
	}
	src, err := registry.Open(*from)
	if err != nil {
		return fmt.Errorf("abrir el registro de %s: %w", *from, err)
	}
	defer src.Close()
	// With --json, stdout holds only the result: progress goes to stderr.
	out := e.stdout
	if *asJSON {
		out = e.stderr
	}
	// A registry that last served before its signing key moved into the
	// database has it only in its folder: the copy takes it along.
	if _, err := os.Stat(filepath.Join(*from, jws.RegistryKeyFile)); err == nil {
		_, note, err := registryKey(e, src, *from)
		if err != nil {
			return err
		}
		if note != "" {
			fmt.Fprintln(out, note)
		}
	}
	dest := registry.RedactURL(e.db)
	fmt.Fprintf(out, "Copiando el registro de %s a %s…\n", *from, dest)
	rep, err := st.CopyFrom(e.ctx, src, registry.CopyOptions{Replace: *replace, Progress: progressLines(out)})
	if err != nil {
		return migrateError(err, *from, dest)
	}
	res := migrateResult{From: *from, Destination: dest, Rows: rep.Rows(), Seconds: rep.Elapsed.Seconds(), CopyReport: rep}
	if *asJSON {
		return cmdline.WriteJSON(e.stdout, res)
	}
	w := cmdline.Table(e.stdout)
	fmt.Fprintln(w, "TABLA\tEN SQLITE\tEN POSTGRESQL")
	for _, t := range rep.Tables {
		fmt.Fprintf(w, "%s\t%s\t%s\n", t.Table, thousands(t.Source), thousands(t.Copied))
	}
	w.Flush()
	rate := ""
	if s := rep.Elapsed.Seconds(); s > 0 {
		rate = fmt.Sprintf(", %s filas/s", thousands(int64(float64(res.Rows)/s)))
	}
	fmt.Fprintf(e.stdout, "Listo: %s filas en %d tablas, en %s%s; los conteos coinciden.\n", thousands(res.Rows), len(rep.Tables),
		rep.Elapsed.Round(time.Millisecond), rate)
	if rep.Replaced {
		fmt.Fprintf(e.stdout, "Se reemplazó lo que había en %s (--replace).\n", dest)
	}
	return nil
}

// checkSource refuses a --from that holds no registry before anything is
// opened, so that a mistyped folder is not created.
func checkSource(dir string) error {
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("la carpeta %s no existe: indicá con --from la carpeta de datos del registro SQLite (la que tiene %s)", dir, registry.FileName)
	case err != nil:
		return fmt.Errorf("no se puede leer la carpeta %s: %w", dir, err)
	case !fi.IsDir():
		return fmt.Errorf("%s no es una carpeta: indicá con --from la carpeta de datos del registro SQLite (la que tiene %s)", dir, registry.FileName)
	}
	if _, err := os.Stat(filepath.Join(dir, registry.FileName)); err != nil {
		return fmt.Errorf("en %s no hay un registro (falta %s): indicá con --from la carpeta de datos del registro SQLite a copiar", dir, registry.FileName)
	}
	return nil
}

// migrateError says in Spanish why the copy was refused or failed; in
// every case PostgreSQL was left as it was.
func migrateError(err error, from, dest string) error {
	if e, ok := errors.AsType[*registry.InUseError](err); ok {
		var parts []string
		for _, t := range []struct{ table, one, many string }{{"batches", "lote", "lotes"}, {"ledger", "asiento", "asientos"},
			{"audit", "entrada de auditoría", "entradas de auditoría"}, {"registry_keys", "clave de firma distinta", "claves de firma distintas"}} {
			if n := e.Extra[t.table]; n > 0 {
				parts = append(parts, cmdline.Count(int(n), t.one, t.many))
			}
		}
		list := strings.Join(parts, ", ")
		if n := len(parts); n > 1 {
			list = strings.Join(parts[:n-1], ", ") + " y " + parts[n-1]
		}
		return fmt.Errorf("%s ya se usó como registro: tiene %s que no están en %s, y copiar los borraría. "+
			"Si querés reemplazarlos por el contenido del archivo, repetí con --replace; si no, usá una base vacía. No se cambió nada",
			dest, list, from)
	}
	if e, ok := errors.AsType[*registry.SchemaError](err); ok {
		return fmt.Errorf("el registro de %s y la base %s no tienen el mismo esquema (%s): usá la misma versión de puntos-registry en los dos y avisá al equipo técnico si sigue. No se cambió nada",
			from, dest, e.Detail)
	}
	return fmt.Errorf("copiar %s a %s: %w. No se cambió nada en PostgreSQL: podés volver a ejecutar migrate", from, dest, err)
}

// progressLines returns a progress function that writes "table: done de
// total" on w, at most once a second per table and once when it is done.
func progressLines(w io.Writer) func(string, int64, int64) {
	var last time.Time
	return func(table string, done, total int64) {
		if done < total && time.Since(last) < time.Second {
			return
		}
		last = time.Now()
		fmt.Fprintf(w, "%s: %s de %s\n", table, thousands(done), thousands(total))
	}
}

// spanish prints numbers as in Argentina, with dots between thousands.
var spanish = message.NewPrinter(language.Spanish)

// thousands writes n as in Argentina: 1.234.567.
func thousands(n int64) string { return spanish.Sprintf("%d", n) }
