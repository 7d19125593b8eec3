// Package cli is the headless command line of the puntos binary: every core
// step (roster, catalog, sessions, check-in) without a window. It never
// imports Fyne, so it builds and tests without cgo.
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/storage/domain"
)

// Env is what a command runs with.
type Env struct {
	Ctx    context.Context
	Stdout io.Writer
	Stderr io.Writer
	// Lang is "es" (default) or "en" for messages.
	Lang string
}

// usageError is a mistake in the command line itself (exit code 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// command is one subcommand.
type command struct {
	name, args, help string
	run              func(env *Env, st *storage.Store, args []string) error
}

// Usage is the text printed by "puntos help".
const Usage = `Uso: puntos [--data DIR] COMANDO ...

Sin COMANDO abre la aplicación de escritorio.

Comandos:
`

func commands() []command {
	return []command{
		{"roster import", "ARCHIVO.csv", "importa o actualiza el padrón de agentes", rosterImport},
		{"roster find", "TEXTO [--json]", "busca agentes por DNI, CUIL o nombre", rosterFind},
		{"catalog import", "ARCHIVO.csv", "importa o actualiza el catálogo de actividades", catalogImport},
		{"catalog list", "[--json]", "lista el catálogo", catalogList},
		{"session new", "--activity CÓDIGO --date AAAA-MM-DD [--start HH:MM] [--end HH:MM] --province P --municipality M [--venue V] [--instructor I] [--modality presencial|virtual]", "crea una sesión e imprime su ID", sessionNew},
		{"session list", "[--open|--closed|--waiting] [--json]", "lista las sesiones (hoy primero)", sessionList},
		{"session show", "ID [--json]", "muestra una sesión y sus asistentes", sessionShow},
		{"session checkin", "ID ENTRADA... [--status presente|tarde|justificado|ausente]", "registra asistencia por DNI, CUIL, nombre o código de barras del DNI", sessionCheckin},
		{"session close", "ID", "cierra la sesión (queda de solo lectura y lista para sincronizar)", sessionClose},
		{"demo", "", "llena la carpeta de datos con un catálogo, un padrón y sesiones de demostración", runDemo},
	}
}

func allCommands() []command {
	return append(append(commands(), printCommands()...), extra...)
}

// Extra commands registered by other packages of the binary (reports, sync).
var extra []command

// Register adds a subcommand; name may hold two words ("sync export").
func Register(name, args, help string, run func(env *Env, st *storage.Store, args []string) error) {
	extra = append(extra, command{name, args, help, run})
}

// Run runs the command line args (without the program name) and returns
// the exit code: 0 ok, 1 failed, 2 bad usage.
func Run(env *Env, args []string) int {
	if env.Ctx == nil {
		env.Ctx = context.Background()
	}
	dir, args, err := dataDir(args)
	if err != nil {
		return env.fail(err)
	}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		env.usage(env.Stdout)
		return 0
	}
	cmd, rest, ok := find(args)
	if !ok {
		return env.fail(usagef("comando desconocido %q: ver «puntos help»", strings.Join(args[:min(2, len(args))], " ")))
	}
	st, err := storage.Open(dir)
	if err != nil {
		return env.fail(fmt.Errorf("abrir los datos en %s: %w", dir, err))
	}
	defer st.Close()
	if err := cmd.run(env, st, rest); err != nil {
		return env.fail(err)
	}
	return 0
}

func find(args []string) (command, []string, bool) {
	for _, c := range allCommands() {
		words := strings.Fields(c.name)
		if len(args) >= len(words) && strings.Join(args[:len(words)], " ") == c.name {
			return c, args[len(words):], true
		}
	}
	return command{}, nil, false
}

// dataDir takes a leading --data DIR (or --data=DIR) off args.
func dataDir(args []string) (string, []string, error) {
	if len(args) > 0 {
		a := args[0]
		switch {
		case a == "--data" || a == "-data":
			if len(args) < 2 {
				return "", nil, usagef("falta la carpeta después de --data")
			}
			return args[1], args[2:], nil
		case strings.HasPrefix(a, "--data="):
			return strings.TrimPrefix(a, "--data="), args[1:], nil
		}
	}
	dir, err := storage.DefaultDir()
	return dir, args, err
}

// DataDir resolves the data directory from the command line the same way
// Run does, for the desktop app.
func DataDir(args []string) (string, []string, error) { return dataDir(args) }

func (env *Env) usage(w io.Writer) {
	fmt.Fprint(w, Usage)
	for _, c := range allCommands() {
		fmt.Fprintf(w, "  %s %s\n      %s\n", c.name, c.args, c.help)
	}
}

func (env *Env) fail(err error) int {
	msg := message(err, env.Lang)
	fmt.Fprintf(env.Stderr, "puntos: %s\n", msg)
	var u usageError
	if errors.As(err, &u) {
		return 2
	}
	return 1
}

// message is what the command line shows for err: the localized text of a
// domain rule, else the error's own sentence (this package and storage
// write them for people, in Spanish).
func message(err error, lang string) string {
	if _, ok := errors.AsType[*domain.Error](err); ok {
		return domain.Message(err, lang)
	}
	return err.Error()
}

// parse parses flags anywhere among args (a scanned barcode or a name may
// come before --status) and returns the positional arguments.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for len(args) > 0 {
		a := args[0]
		if a == "--" {
			pos = append(pos, args[1:]...)
			break
		}
		name := strings.TrimLeft(a, "-")
		if !strings.HasPrefix(a, "-") || name == "" || len(a)-len(name) > 2 {
			pos = append(pos, a)
			args = args[1:]
			continue
		}
		if i := strings.IndexByte(name, '='); i >= 0 {
			name = name[:i]
		}
		f := fs.Lookup(name)
		if f == nil {
			return nil, usagef("opción desconocida %s", a)
		}
		n := 1
		if bf, ok := f.Value.(interface{ IsBoolFlag() bool }); !(ok && bf.IsBoolFlag()) && !strings.Contains(a, "=") {
			n = 2
		}
		if len(args) < n {
			return nil, usagef("falta el valor de %s", a)
		}
		if err := fs.Parse(args[:n]); err != nil {
			return nil, usagef("%s: %v", a, err)
		}
		args = args[n:]
	}
	return pos, nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func openFile(path string) (*os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("no existe el archivo %s: revisá la ruta", path)
		}
		return nil, fmt.Errorf("no se puede abrir %s: %w", path, err)
	}
	return f, nil
}
