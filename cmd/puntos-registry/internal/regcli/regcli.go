// Package regcli is the command line of puntos-registry: the server and the
// staff commands, runnable in-process from tests.
package regcli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	appversion "github.com/puntos-ar/puntos/cmd/internal/version"
	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/storage/registry"
	"github.com/puntos-ar/puntos/sync"
)

// Version overrides the program's version when set at build time with
// -ldflags "-X github.com/puntos-ar/puntos/cmd/puntos-registry/internal/regcli.Version=…";
// else it is FyneApp.toml's, through package version.
var Version = ""

// env is what a command runs with.
type env struct {
	ctx    context.Context
	stdout io.Writer
	stderr io.Writer
	dir    string
	// log receives the server's request log.
	log *slog.Logger
}

// usageError is a mistake in the command line itself (exit code 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// command is one subcommand.
type command struct {
	name, args, help string
	run              func(e *env, st *registry.Store, args []string) error
}

func commands() []command {
	return append([]command{
		{"serve", "[--addr 127.0.0.1:8080]", "atiende a los equipos (Ctrl+C o SIGTERM lo detienen sin cortar envíos en curso)", serve},
		{"enroll", "--office OFICINA --province PROVINCIA [--json]", "crea un código de alta de un solo uso, válido 7 días (imprime el código)", enroll},
		{"device list", "[--json]", "lista los equipos dados de alta", deviceList},
		{"device revoke", "ID [--reason MOTIVO]", "da de baja un equipo: su token deja de servir", deviceRevoke},
		{"catalog import", "ARCHIVO.csv [--json]", "importa o actualiza el catálogo de actividades (mismas reglas que el equipo)", catalogImport},
		{"roster import", "ARCHIVO.csv [--json]", "importa o actualiza el padrón de agentes (mismas reglas que el equipo)", rosterImport},
		{"import", "ARCHIVO [--json]", "importa un archivo de lotes firmado traído en un pendrive", importUSB},
		{"ledger", "DNI [--year AAAA] [--json]", "muestra los puntos de una persona, asiento por asiento", ledger},
		{"stats", "[--json]", "totales: lotes, registros por resultado, personas, puntos", stats},
		{"demo", "", "carga el catálogo y el padrón de demostración (los mismos que usa el equipo de demo)", runDemo},
	}, staffCommands()...)
}

const usageHead = `Uso: puntos-registry [--data CARPETA] COMANDO ...

El registro central de puntos. Datos en --data, o en $PUNTOS_REGISTRY_DATA,
o en la carpeta PuntosRegistry de la configuración del usuario.

Comandos:
`

// Run runs the command line args (without the program name) and returns
// the exit code: 0 ok, 1 failed, 2 bad usage. ctx ends the server.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	e := &env{ctx: ctx, stdout: stdout, stderr: stderr, log: slog.New(slog.NewTextHandler(stderr, nil))}
	dir, args, err := dataDir(args)
	if err != nil {
		return e.fail(err)
	}
	e.dir = dir
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		e.usage(stdout)
		return 0
	}
	if args[0] == "--version" || args[0] == "version" {
		fmt.Fprintf(stdout, "puntos-registry %s, protocolo %s\n", version(), sync.Protocol)
		return 0
	}
	cmd, rest, ok := find(args)
	if !ok {
		return e.fail(usagef("comando desconocido %q: ver «puntos-registry help»", strings.Join(args[:min(2, len(args))], " ")))
	}
	st, err := registry.Open(dir)
	if err != nil {
		return e.fail(fmt.Errorf("abrir el registro en %s: %w", dir, err))
	}
	defer st.Close()
	if err := cmd.run(e, st, rest); err != nil {
		return e.fail(err)
	}
	return 0
}

func version() string {
	if Version != "" {
		return Version
	}
	return appversion.String()
}

func find(args []string) (command, []string, bool) {
	for _, c := range commands() {
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
	dir, err := registry.DefaultDir()
	return dir, args, err
}

func (e *env) usage(w io.Writer) {
	fmt.Fprint(w, usageHead)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %s %s\n      %s\n", c.name, c.args, c.help)
	}
}

func (e *env) fail(err error) int {
	msg := err.Error()
	if _, ok := errors.AsType[*domain.Error](err); ok {
		msg = domain.Message(err, "es")
	}
	fmt.Fprintf(e.stderr, "puntos-registry: %s\n", msg)
	if _, ok := errors.AsType[usageError](err); ok {
		return 2
	}
	return 1
}

// parse parses flags anywhere among args and returns the positional
// arguments.
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

// oneArg returns the only positional argument, named what in messages.
func oneArg(pos []string, what string) (string, error) {
	switch len(pos) {
	case 0:
		return "", usagef("falta %s", what)
	case 1:
		return pos[0], nil
	}
	return "", usagef("sobran argumentos: %s", strings.Join(pos[1:], " "))
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
