// Package regcli is the command line of puntos-registry: the server and the
// staff commands, runnable in-process from tests.
package regcli

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/puntos-ar/puntos/cmd/internal/cmdline"
	appversion "github.com/puntos-ar/puntos/cmd/internal/version"
	"github.com/puntos-ar/puntos/storage/csvin/xlsx"
	"github.com/puntos-ar/puntos/storage/registry"
	"github.com/puntos-ar/puntos/sync/wire"
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

// command is one subcommand.
type command struct {
	name, args, help string
	run              func(e *env, st *registry.Store, args []string) error
}

// Usage returns the command's name, arguments and help, for cmdline.
func (c command) Usage() (name, args, help string) { return c.name, c.args, c.help }

func commands() []command {
	return append([]command{
		{"serve", "[--addr 127.0.0.1:8080] [--public-url https://…] [--trusted-proxy CIDR]...", "atiende a los equipos; --public-url es la dirección que la gente abre desde el teléfono para verificar certificados (Ctrl+C o SIGTERM lo detienen sin cortar envíos en curso); X-Forwarded-For se cree solo de los proxies de --trusted-proxy (o $PUNTOS_REGISTRY_TRUSTED_PROXY, separados por comas)", serve},
		{"enroll", "--office OFICINA --province PROVINCIA [--json]", "crea un código de alta de un solo uso, válido 7 días (imprime el código)", enroll},
		{"device list", "[--json]", "lista los equipos dados de alta", deviceList},
		{"device revoke", "ID [--reason MOTIVO]", "da de baja un equipo: su token deja de servir", deviceRevoke},
		{"catalog import", "ARCHIVO.csv|.xlsx [--sheet HOJA] [--json]", "importa o actualiza el catálogo de actividades, CSV o planilla de Excel (mismas reglas que el equipo)", catalogImport},
		{"roster import", "ARCHIVO.csv|.xlsx [--sheet HOJA] [--json]", "importa o actualiza el padrón de agentes, CSV o planilla de Excel (mismas reglas que el equipo)", rosterImport},
		{"import", "ARCHIVO [--json]", "importa un archivo de lotes firmado traído en un pendrive", importUSB},
		{"ledger", "DNI [--year AAAA] [--json]", "muestra los puntos de una persona, asiento por asiento", ledger},
		{"impact", "--year AAAA [--province P] [--json] [--pdf ARCHIVO] [--png ARCHIVO] [--csv ARCHIVO]", "el impacto del año: personas, sesiones, horas, puntos, en línea y presencial, alcance, encuestas, meses y cambio respecto del año anterior, con el mapa (PDF, PNG) y los municipios (CSV)", impact},
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
	dir, args, err := cmdline.DataDir(args, registry.DefaultDir)
	if err != nil {
		return e.fail(err)
	}
	e.dir = dir
	cmd, rest, ok := cmdline.Find(commands(), args)
	if cmdline.IsHelp(args) || !ok && cmdline.WantsHelp(args) { // "puntos-registry device --help" too
		cmdline.PrintUsage(stdout, usageHead, commands())
		return 0
	}
	if args[0] == "--version" || args[0] == "version" {
		fmt.Fprintf(stdout, "puntos-registry %s, protocolo %s\n", version(), wire.Protocol)
		return 0
	}
	if !ok {
		return e.fail(cmdline.UnknownCommand("puntos-registry", args))
	}
	if cmdline.WantsHelp(rest) {
		cmdline.PrintCommandUsage(stdout, "puntos-registry [--data CARPETA]", cmd)
		return 0
	}
	st, err := registry.Open(dir)
	if err != nil {
		return e.fail(fmt.Errorf("abrir el registro en %s: %w", dir, err))
	}
	defer st.Close()
	st.Workbook = xlsx.Reader{}
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

func (e *env) fail(err error) int {
	return cmdline.Fail(e.stderr, "puntos-registry", err, "es")
}
