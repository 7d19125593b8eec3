// Package cli is the headless command line of the puntos binary: every core
// step (roster, catalog, sessions, check-in) without a window. It never
// imports Fyne, so it builds and tests without cgo.
package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/puntos-ar/puntos/cmd/internal/cmdline"
	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/storage/csvin/xlsx"
)

// Env is what a command runs with.
type Env struct {
	Ctx    context.Context
	Stdout io.Writer
	Stderr io.Writer
	// Lang is "es" (default) or "en" for messages.
	Lang string
}

// command is one subcommand.
type command struct {
	name, args, help string
	run              func(env *Env, st *storage.Store, args []string) error
}

// Usage returns the command's name, arguments and help, for cmdline.
func (c command) Usage() (name, args, help string) { return c.name, c.args, c.help }

// Usage is the text printed by "puntos help".
const Usage = `Uso: puntos [--data DIR] COMANDO ...

Sin COMANDO abre la aplicación de escritorio.

Comandos:
`

func commands() []command {
	return []command{
		{"roster import", "ARCHIVO.csv|.xlsx [--sheet HOJA] [--json]", "importa o actualiza el padrón de agentes (CSV o planilla de Excel)", rosterImport},
		{"roster find", "TEXTO [--json]", "busca agentes por DNI, CUIL o nombre", rosterFind},
		{"catalog import", "ARCHIVO.csv|.xlsx [--sheet HOJA] [--json]", "importa o actualiza el catálogo de actividades (CSV o planilla de Excel)", catalogImport},
		{"catalog list", "[--json]", "lista el catálogo", catalogList},
		{"session new", "--activity CÓDIGO --date AAAA-MM-DD [--start HH:MM] [--end HH:MM] --province P --municipality M [--venue V] [--instructor I] [--modality presencial|virtual|hibrida] [--platform NOMBRE] [--link URL] [--min-share F | --min-minutes N]", "crea una sesión e imprime su ID (una virtual no lleva municipio; virtual e híbrida llevan inicio y fin)", sessionNew},
		{"session list", "[--open|--closed|--waiting] [--json]", "lista las sesiones (hoy primero)", sessionList},
		{"session show", "ID [--json]", "muestra una sesión y sus asistentes", sessionShow},
		{"session checkin", "ID ENTRADA... [--status presente|tarde|justificado|ausente]", "registra asistencia por DNI, CUIL, nombre o código de barras del DNI", sessionCheckin},
		{"session close", "ID", "cierra la sesión (queda de solo lectura y lista para sincronizar)", sessionClose},
		{"demo", "", "llena la carpeta de datos con un catálogo, un padrón y sesiones de demostración", runDemo},
	}
}

func allCommands() []command {
	return append(append(append(append(commands(), printCommands()...), participantsCommand), surveyCommands()...), extra...)
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
	dir, args, err := DataDir(args)
	if err != nil {
		return env.fail(err)
	}
	cmd, rest, ok := cmdline.Find(allCommands(), args)
	if cmdline.IsHelp(args) || !ok && cmdline.WantsHelp(args) { // "puntos session --help" too
		cmdline.PrintUsage(env.Stdout, Usage, allCommands())
		return 0
	}
	if !ok {
		return env.fail(cmdline.UnknownCommand("puntos", args))
	}
	if cmdline.WantsHelp(rest) {
		cmdline.PrintCommandUsage(env.Stdout, "puntos [--data DIR]", cmd)
		return 0
	}
	st, err := storage.Open(dir)
	if err != nil {
		return env.fail(fmt.Errorf("abrir los datos en %s: %w", dir, err))
	}
	defer st.Close()
	st.Workbook = xlsx.Reader{}
	if err := cmd.run(env, st, rest); err != nil {
		return env.fail(err)
	}
	return 0
}

// DataDir takes a leading --data DIR (or --data=DIR) off args, else
// returns storage.DefaultDir; the desktop app resolves its folder with it.
func DataDir(args []string) (string, []string, error) {
	return cmdline.DataDir(args, storage.DefaultDir)
}

func (env *Env) fail(err error) int {
	return cmdline.Fail(env.Stderr, "puntos", err, env.Lang)
}
