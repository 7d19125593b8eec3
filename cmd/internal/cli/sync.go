package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/puntos-ar/puntos/cmd/internal/cmdline"
	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/sync/device"
	"github.com/puntos-ar/puntos/sync/wire"
)

func init() {
	// "sync export" and "sync status" before "sync": find takes the first
	// command whose words match.
	Register("enroll", "URL CÓDIGO [--name NOMBRE]", "inscribe este equipo en el registro central con un código del equipo central", enroll)
	Register("sync export", "ARCHIVO", "escribe lo pendiente en un archivo firmado para llevar en un pendrive al registro central", syncExport)
	Register("sync status", "[--json]", "muestra lo pendiente, la última sincronización y los registros rechazados", syncStatus)
	Register("sync", "[--registry URL] [--timeout 2m] [--json] [--verbose]", "envía lo pendiente al registro central y trae el catálogo y el padrón", syncRun)
}

// syncClient returns a sync client over st that logs to stderr when
// verbose.
func (env *Env) syncClient(st *storage.Store, verbose bool) *device.Client {
	c := device.NewClient(st)
	if verbose {
		c.Log = slog.New(slog.NewTextHandler(env.Stderr, nil))
	}
	return c
}

// syncError turns a sync error into one a person can read: the client's
// Spanish failures and domain errors as they are, anything else (a local
// database error) with a generic text.
func syncError(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, device.ErrAuth) || errors.Is(err, wire.ErrNotEnrolled) {
		return fmt.Errorf("%w Para inscribirlo: puntos enroll URL CÓDIGO", err)
	}
	if _, ok := errors.AsType[*device.Failure](err); ok {
		return err
	}
	if _, ok := errors.AsType[*domain.Error](err); ok {
		return err
	}
	return errors.New(device.FailureMessage(err))
}

func enroll(env *Env, st *storage.Store, args []string) error {
	fs := flag.NewFlagSet("enroll", flag.ContinueOnError)
	name := fs.String("name", "", "")
	timeout := fs.Duration("timeout", time.Minute, "")
	verbose := fs.Bool("verbose", false, "")
	pos, err := cmdline.Parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return cmdline.Usagef("se esperan la dirección del registro y el código de inscripción: puntos enroll URL CÓDIGO")
	}
	if *name == "" {
		*name, _ = os.Hostname()
		if *name == "" {
			*name = "Equipo Puntos"
		}
	}
	ctx, cancel := context.WithTimeout(env.Ctx, *timeout)
	defer cancel()
	e, err := env.syncClient(st, *verbose).Enroll(ctx, pos[0], pos[1], *name)
	if err != nil {
		return syncError(err)
	}
	fmt.Fprintf(env.Stdout, "Equipo «%s» inscripto en %s (%s, %s). ID del equipo: %s\n",
		e.DeviceName, e.Registry, e.Office, e.Province, e.DeviceID)
	return nil
}

// syncOutput is the JSON of "puntos sync --json", a stable interface for
// scripts.
type syncOutput struct {
	Pending   int                   `json:"pending"` // records still to send
	Accepted  int                   `json:"accepted"`
	Duplicate int                   `json:"duplicate"`
	Conflict  int                   `json:"conflict"`
	Rejected  int                   `json:"rejected"`
	Batches   int                   `json:"batches"`
	Records   int                   `json:"records"`
	Catalog   int                   `json:"catalog_changes"`
	Roster    int                   `json:"roster_changes"`
	BytesSent int64                 `json:"bytes_sent"`
	Retries   int                   `json:"retries"`
	Problems  []storage.SyncProblem `json:"problems"`
	Error     string                `json:"error,omitempty"`
}

func syncRun(env *Env, st *storage.Store, args []string) error {
	fs := flag.NewFlagSet("sync", flag.ContinueOnError)
	registry := fs.String("registry", "", "")
	asJSON := fs.Bool("json", false, "")
	timeout := fs.Duration("timeout", 2*time.Minute, "")
	verbose := fs.Bool("verbose", false, "")
	pos, err := cmdline.Parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return cmdline.Usagef("argumento de más %q: ver «puntos help»", pos[0])
	}
	if *timeout <= 0 {
		return cmdline.Usagef("--timeout debe ser positivo, por ejemplo 2m o 30s")
	}
	c := env.syncClient(st, *verbose)
	c.Registry = *registry
	// A dead link must not hang a script: the whole run is bounded.
	ctx, cancel := context.WithTimeout(env.Ctx, *timeout)
	defer cancel()
	progress, done := env.syncProgress()
	res, err := c.Sync(ctx, progress)
	done()
	err = syncError(err)
	status, serr := st.SyncStatus(env.Ctx)
	if serr != nil {
		return serr
	}
	problems, perr := st.SyncProblems(env.Ctx)
	if perr != nil {
		return perr
	}
	if *asJSON {
		out := syncOutput{Pending: status.Pending, Accepted: res.Accepted, Duplicate: res.Duplicate, Conflict: res.Conflict,
			Rejected: res.Rejected, Batches: res.Batches, Records: res.Records, Catalog: res.Activities, Roster: res.People,
			BytesSent: res.BytesSent, Retries: res.Retries, Problems: problems}
		if err != nil {
			out.Error = err.Error()
		}
		if werr := cmdline.WriteJSON(env.Stdout, out); werr != nil {
			return werr
		}
		return err
	}
	if res.Batches > 0 {
		fmt.Fprintf(env.Stdout, "Enviados %s en %s: %s, %d ya estaban, %d en conflicto, %s.\n",
			cmdline.Count(res.Records, "registro", "registros"), cmdline.Count(res.Batches, "lote", "lotes"),
			cmdline.Count(res.Accepted, "aceptado", "aceptados"), res.Duplicate, res.Conflict, cmdline.Count(res.Rejected, "rechazado", "rechazados"))
	} else if err == nil {
		fmt.Fprintln(env.Stdout, "No había nada pendiente de envío.")
	}
	if res.Activities > 0 || res.People > 0 {
		fmt.Fprintf(env.Stdout, "Recibidos del registro: %s y %s nuevos o actualizados.\n",
			cmdline.Count(res.Activities, "actividad", "actividades"), cmdline.Count(res.People, "agente", "agentes"))
	}
	if status.Pending > 0 {
		verb := "Quedan"
		if status.Pending == 1 {
			verb = "Queda"
		}
		fmt.Fprintf(env.Stdout, "%s %s por enviar.\n", verb, cmdline.Count(status.Pending, "registro", "registros"))
	}
	printProblems(env.Stdout, problems)
	warnClock(env.Stderr, c)
	return err
}

// warnClock says on w, after a sync that reached the registry, when this
// computer's clock was more than domain.MaxClockDrift off the registry's,
// or its zone is not Argentina's.
func warnClock(w io.Writer, c *device.Client) {
	_, off := time.Now().Zone()
	chk := domain.ClockCheck{ZoneOffset: off}
	chk.Drift, chk.Checked = c.ClockDrift()
	if !chk.Checked {
		return // the registry did not answer: nothing to compare with
	}
	if chk.Drifted() {
		fmt.Fprintf(w, "Atención: el reloj de este equipo difiere %s del registro central; corregí la fecha y la hora del sistema.\n",
			chk.Drift.Abs().Round(time.Minute))
	}
	if chk.WrongZone() {
		fmt.Fprintf(w, "Atención: la zona horaria de este equipo no es la de Argentina (UTC−03:00); Puntos muestra igual la hora de Argentina.\n")
	}
}

func printProblems(w io.Writer, problems []storage.SyncProblem) {
	if len(problems) == 0 {
		return
	}
	fmt.Fprintf(w, "%s (revisalos con el equipo central):\n", cmdline.Count(len(problems), "registro rechazado o en conflicto", "registros rechazados o en conflicto"))
	for _, p := range problems {
		what := "rechazado"
		if p.Result == wire.Conflict {
			what = "en conflicto"
		}
		fmt.Fprintf(w, "  %s %s — %s: %s\n", kindLabel(p.Kind), p.Label, what, p.Message)
	}
}

func kindLabel(kind string) string {
	switch kind {
	case wire.KindSession:
		return "Sesión"
	case wire.KindAttendance:
		return "Asistencia de"
	case wire.KindPerson:
		return "Agente"
	case wire.KindCertificate:
		return "Certificado"
	case wire.KindSurvey:
		return "Encuesta de"
	}
	return kind
}

// syncProgress returns a progress callback that redraws one line on a
// terminal (nil off a terminal) and a function that clears it.
func (env *Env) syncProgress() (func(device.Progress), func()) {
	f, ok := cmdline.Terminal(env.Stderr)
	if !ok {
		return nil, func() {}
	}
	var last time.Time
	return func(p device.Progress) {
			if time.Since(last) < 100*time.Millisecond && p.Done < p.Total {
				return
			}
			last = time.Now()
			switch p.Phase {
			case device.PhasePush:
				pct := 100.0
				if p.Total > 0 {
					pct = float64(p.Done) * 100 / float64(p.Total)
				}
				fmt.Fprintf(f, "\r\033[KEnviando al registro… %3.0f%% (%d de %d registros)", pct, p.Done, p.Total)
			case device.PhaseCatalog:
				fmt.Fprintf(f, "\r\033[KTrayendo el catálogo… página %d", p.Done)
			case device.PhaseRoster:
				fmt.Fprintf(f, "\r\033[KTrayendo el padrón… página %d", p.Done)
			}
		}, func() {
			fmt.Fprint(f, "\r\033[K")
		}
}

func syncExport(env *Env, st *storage.Store, args []string) error {
	path, err := parseOne(flag.NewFlagSet("sync export", flag.ContinueOnError), args, "el archivo a escribir")
	if err != nil {
		return err
	}
	e, err := st.Enrollment(env.Ctx)
	if errors.Is(err, wire.ErrNotEnrolled) {
		return errors.New("este equipo no está inscripto en el registro: inscribilo primero (puntos enroll URL CÓDIGO), el archivo se firma con sus credenciales")
	}
	if err != nil {
		return err
	}
	batches, err := st.ExportBatches(env.Ctx)
	if err != nil {
		return syncError(err)
	}
	if len(batches) == 0 {
		fmt.Fprintln(env.Stdout, "No hay nada pendiente de envío: no se escribió ningún archivo.")
		return nil
	}
	f, err := device.NewUSBFile(e, batches, time.Now())
	if err != nil {
		return err
	}
	data, err := json.Marshal(f)
	if err != nil {
		return err
	}
	if err := writeFileAtomic(path, data); err != nil {
		return fmt.Errorf("no se pudo escribir %s: %w", path, err)
	}
	ids := make([]string, len(batches))
	records := 0
	for i, b := range batches {
		ids[i] = b.ID
		records += b.Records()
	}
	if err := st.MarkExported(env.Ctx, ids); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s en %s exportados a %s.\n"+
		"Llevá el archivo al equipo central; el resultado aparece acá en la próxima sincronización con conexión.\n",
		cmdline.Count(records, "registro", "registros"), cmdline.Count(len(batches), "lote", "lotes"), path)
	return nil
}

// writeFileAtomic writes data to path through a temporary file in the same
// folder, synced and renamed, so a pulled-out stick never holds half a file
// under the final name.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".puntos-export-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// statusOutput is the JSON of "puntos sync status --json".
type statusOutput struct {
	storage.SyncStatus
	States   map[string]map[string]int `json:"states"`
	Problems []storage.SyncProblem     `json:"problems"`
}

func syncStatus(env *Env, st *storage.Store, args []string) error {
	return cmdline.Show(env.Stdout, args, func() (statusOutput, error) {
		var out statusOutput
		var err error
		if out.SyncStatus, err = st.SyncStatus(env.Ctx); err != nil {
			return out, err
		}
		if out.States, err = st.SyncStates(env.Ctx); err != nil {
			return out, err
		}
		out.Problems, err = st.SyncProblems(env.Ctx)
		return out, err
	}, printStatus)
}

func printStatus(w io.Writer, out statusOutput) {
	s := out.SyncStatus
	if s.Enrolled {
		fmt.Fprintf(w, "Registro: %s (equipo %s)\n", s.Registry, s.DeviceID)
	} else {
		fmt.Fprintln(w, "Este equipo no está inscripto en un registro (puntos enroll URL CÓDIGO).")
	}
	fmt.Fprintf(w, "Por enviar: %s", cmdline.Count(s.Pending, "registro", "registros"))
	if s.InFlightBatches > 0 {
		fmt.Fprintf(w, " (%s esperando respuesta)", cmdline.Count(s.InFlightBatches, "lote", "lotes"))
	}
	fmt.Fprintln(w)
	if s.LastSync.IsZero() {
		fmt.Fprintln(w, "Nunca se sincronizó.")
	} else {
		fmt.Fprintf(w, "Última sincronización: %s\n", s.LastSync.In(domain.Argentina).Format("02/01/2006 15:04"))
	}
	if s.LastError != "" {
		fmt.Fprintf(w, "Último error (%s): %s\n", s.LastAttempt.In(domain.Argentina).Format("02/01/2006 15:04"), strings.TrimSpace(s.LastError))
	}
	printProblems(w, out.Problems)
}
