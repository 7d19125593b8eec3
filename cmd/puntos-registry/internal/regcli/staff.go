package regcli

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/puntos-ar/puntos/cmd/internal/cmdline"
	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/storage/registry"
	"github.com/puntos-ar/puntos/sync/server"
	"github.com/puntos-ar/puntos/sync/wire"
)

// Stdin is where the staff commands read a password from: with
// --password-stdin its first line, else the terminal when it is one.
// Tests replace it.
var Stdin io.Reader = os.Stdin

// staffCommands are the staff account commands, listed with the others.
func staffCommands() []command {
	return []command{
		{"staff add", "USUARIO [--role admin|reviewer|viewer] [--province PROVINCIA] [--name NOMBRE] [--password-stdin]",
			"crea una cuenta del equipo central (pide la contraseña; rol reviewer si no se indica; --province la limita a esa provincia)", staffAdd},
		{"staff list", "[--json]", "lista las cuentas del equipo central", staffList},
		{"staff disable", "USUARIO [--reason MOTIVO]", "deshabilita una cuenta y cierra sus sesiones", staffDisable},
		{"staff password", "USUARIO [--password-stdin]", "cambia la contraseña de una cuenta y cierra sus sesiones", staffPassword},
		{"staff demo", "", "carga tres lotes de ejemplo (rechazos, un conflicto, un reporte tardío) para practicar la revisión en Central", staffDemo},
	}
}

// console is the actor of changes made with the command line: every
// change the command line makes is audited as registry.ConsoleActor.
var console = wire.StaffAction{Actor: registry.ConsoleActor}

// consoleAction is an action of the command line for reason.
func consoleAction(reason string) wire.StaffAction {
	a := console
	a.Reason = reason
	return a
}

// readPassword reads a new password: the first line of Stdin with
// fromStdin, else twice from the terminal without echo.
func readPassword(e *env, fromStdin bool) (string, error) {
	if fromStdin {
		line, err := bufio.NewReader(Stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("leer la contraseña: %w", err)
		}
		return strings.TrimRight(line, "\r\n"), nil
	}
	f, ok := cmdline.Terminal(Stdin)
	if !ok {
		return "", cmdline.Usagef("no hay una terminal para pedir la contraseña: usá --password-stdin (la primera línea de la entrada estándar)")
	}
	ask := func(prompt string) (string, error) {
		fmt.Fprint(e.stderr, prompt)
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(e.stderr)
		return string(b), err
	}
	pw, err := ask(fmt.Sprintf("Contraseña (al menos %d caracteres): ", wire.MinPasswordLen))
	if err != nil {
		return "", fmt.Errorf("leer la contraseña: %w", err)
	}
	if err := server.CheckPasswordRules(pw); err != nil {
		return "", err
	}
	again, err := ask("Repetila: ")
	if err != nil {
		return "", fmt.Errorf("leer la contraseña: %w", err)
	}
	if again != pw {
		return "", errors.New("las dos contraseñas no coinciden: probá de nuevo")
	}
	return pw, nil
}

// newPasswordHash reads a new password (see readPassword) and returns its
// hash.
func newPasswordHash(e *env, fromStdin bool) (string, error) {
	pw, err := readPassword(e, fromStdin)
	if err != nil {
		return "", err
	}
	return server.HashPassword(pw)
}

func staffAdd(e *env, st *registry.Store, args []string) error {
	fs := flag.NewFlagSet("staff add", flag.ContinueOnError)
	role := fs.String("role", wire.RoleReviewer, "")
	province := fs.String("province", "", "")
	name := fs.String("name", "", "")
	fromStdin := fs.Bool("password-stdin", false, "")
	user, err := cmdline.ParseOne(fs, args, "el nombre de usuario")
	if err != nil {
		return err
	}
	if _, err := registry.NormalizeUsername(user); err != nil {
		return err
	}
	if !wire.ValidRole(*role) {
		return cmdline.Usagef("el rol %q no existe: usá admin, reviewer o viewer", *role)
	}
	if _, _, err := st.StaffAccount(e.ctx, user); err == nil {
		return fmt.Errorf("ya existe la cuenta %q: ver «puntos-registry staff list»", strings.ToLower(user))
	}
	hash, err := newPasswordHash(e, *fromStdin)
	if err != nil {
		return err
	}
	u, err := st.AddStaff(e.ctx, registry.NewStaff{Username: user, Name: *name, Role: *role, Province: *province, PasswordHash: hash}, console)
	if err != nil {
		return err
	}
	scope := "todas las provincias"
	if u.Province != "" {
		scope = u.Province
	}
	fmt.Fprintf(e.stdout, "Cuenta %s creada (rol %s, %s). Entra desde la app: Ajustes → Central.\n", u.Username, u.Role, scope)
	return nil
}

func staffList(e *env, st *registry.Store, args []string) error {
	return cmdline.ShowList(e.stdout, args, func() ([]wire.StaffUser, error) { return st.StaffList(e.ctx) },
		"No hay cuentas del equipo central. Creá una con «puntos-registry staff add USUARIO».",
		"USUARIO\tNOMBRE\tROL\tPROVINCIA\tALTA\tÚLTIMO INGRESO\tESTADO",
		func(w io.Writer, u wire.StaffUser) {
			state, prov, last := "activa", u.Province, "—"
			if u.Disabled() {
				state = "deshabilitada el " + day(u.DisabledAt)
			}
			if prov == "" {
				prov = "todas"
			}
			if !u.LastLoginAt.IsZero() {
				last = u.LastLoginAt.In(domain.Argentina).Format("02/01/2006 15:04")
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", u.Username, u.Name, u.Role, prov, day(u.CreatedAt), last, state)
		})
}

func staffDisable(e *env, st *registry.Store, args []string) error {
	fs := flag.NewFlagSet("staff disable", flag.ContinueOnError)
	reason := fs.String("reason", "", "")
	user, err := cmdline.ParseOne(fs, args, "el nombre de usuario")
	if err != nil {
		return err
	}
	by := console
	by.Reason = *reason
	u, err := st.DisableStaff(e.ctx, user, by)
	if errors.Is(err, domain.ErrNotFound) {
		return fmt.Errorf("no hay ninguna cuenta %q: ver «puntos-registry staff list»", user)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Cuenta %s deshabilitada: sus sesiones se cerraron y ya no puede entrar.\n", u.Username)
	return nil
}

func staffPassword(e *env, st *registry.Store, args []string) error {
	fs := flag.NewFlagSet("staff password", flag.ContinueOnError)
	fromStdin := fs.Bool("password-stdin", false, "")
	user, err := cmdline.ParseOne(fs, args, "el nombre de usuario")
	if err != nil {
		return err
	}
	if _, _, err := st.StaffAccount(e.ctx, user); errors.Is(err, domain.ErrNotFound) {
		return fmt.Errorf("no hay ninguna cuenta %q: ver «puntos-registry staff list»", user)
	}
	hash, err := newPasswordHash(e, *fromStdin)
	if err != nil {
		return err
	}
	if err := st.SetStaffPassword(e.ctx, user, hash, console); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Contraseña de %s cambiada: sus sesiones se cerraron.\n", strings.ToLower(strings.TrimSpace(user)))
	return nil
}
