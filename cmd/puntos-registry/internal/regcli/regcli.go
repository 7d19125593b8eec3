// Package regcli is the command line of puntos-registry: the server and the
// staff commands, runnable in-process from tests.
package regcli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"

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
	db     string // PostgreSQL URL, "" for the SQLite file in dir
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
		{migrateCommand, "--from CARPETA [--replace] [--json]", "copia todo el registro SQLite de la carpeta CARPETA a la base PostgreSQL de --db, en una sola transacción, y compara los conteos; si se corta no cambia nada y se puede repetir. Una base que ya atendió equipos (lotes o asientos que no están en el archivo) se reemplaza solo con --replace", migrate},
		{"demo", "", "carga el catálogo y el padrón de demostración (los mismos que usa el equipo de demo)", runDemo},
	}, staffCommands()...)
}

const usageHead = `Uso: puntos-registry [--data CARPETA] [--db postgres://…] COMANDO ...

El registro central de puntos. Datos en --data, o en $PUNTOS_REGISTRY_DATA,
o en la carpeta PuntosRegistry de la configuración del usuario. Con --db (o
$PUNTOS_REGISTRY_DB) los datos van a PostgreSQL
(postgres://usuario:clave@servidor:5432/base?sslmode=require) y la carpeta
queda solo para registros y cachés: varias instancias pueden compartir la base.

Comandos:
`

// Run runs the command line args (without the program name) and returns
// the exit code: 0 ok, 1 failed, 2 bad usage. ctx ends the server.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	e := &env{ctx: ctx, stdout: stdout, stderr: stderr, log: slog.New(slog.NewTextHandler(stderr, nil))}
	dbURL, args, err := dbFlag(args)
	if err != nil {
		return e.fail(err)
	}
	dir, args, err := cmdline.DataDir(args, registry.DefaultDir)
	if err == nil && dbURL == "" {
		dbURL, args, err = dbFlag(args) // --data DIR --db URL
	}
	if err != nil {
		return e.fail(err)
	}
	if dbURL == "" {
		dbURL = os.Getenv(EnvDB)
	}
	e.dir, e.db = dir, dbURL
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
		cmdline.PrintCommandUsage(stdout, "puntos-registry [--data CARPETA] [--db URL]", cmd)
		return 0
	}
	if cmd.name == migrateCommand && dbURL == "" {
		return e.fail(cmdline.Usagef("migrate copia el registro a PostgreSQL: indicá la base antes del comando, con --db postgres://usuario:clave@servidor:5432/base (o $%s)", EnvDB))
	}
	st, err := registry.OpenAt(ctx, dir, dbURL)
	if err != nil {
		return e.fail(fmt.Errorf("abrir el registro en %s: %w", e.where(), err))
	}
	defer st.Close()
	st.Workbook = xlsx.Reader{}
	if err := cmd.run(e, st, rest); err != nil {
		return e.fail(err)
	}
	return 0
}

// EnvDB names the environment variable that may hold the PostgreSQL URL.
const EnvDB = "PUNTOS_REGISTRY_DB"

// dbFlag takes a leading "--db URL" (or --db=URL) off args.
func dbFlag(args []string) (string, []string, error) {
	url, rest, _, err := cmdline.Leading(args, "db", "falta la dirección de la base después de --db (postgres://usuario:clave@servidor:5432/base)")
	return url, rest, err
}

// where names where the registry's data are, for messages: the database
// (without its password) or the data folder.
func (e *env) where() string {
	if e.db != "" {
		return registry.RedactURL(e.db)
	}
	return e.dir
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
