package cli

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"golang.org/x/term"

	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/storage/domain"
)

func oneArg(pos []string, what string) (string, error) {
	if len(pos) != 1 {
		return "", usagef("se espera un argumento: %s", what)
	}
	return pos[0], nil
}

// progressLine returns a Progress that redraws one line on a terminal, or
// nil when stderr is not a terminal (scripts, CI).
func (env *Env) progressLine(label string) (storage.Progress, func()) {
	f, ok := env.Stderr.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil, func() {}
	}
	last := time.Time{}
	p := func(done, total int64) {
		if time.Since(last) < 100*time.Millisecond && done < total {
			return
		}
		last = time.Now()
		pct := 100.0
		if total > 0 {
			pct = float64(done) * 100 / float64(total)
		}
		fmt.Fprintf(f, "\r%s… %3.0f%% (%.1f de %.1f MB)", label, pct, float64(done)/1e6, float64(total)/1e6)
	}
	return p, func() { fmt.Fprint(f, "\r\033[K") }
}

func importFile(env *Env, args []string, label string, run func(f *os.File, p storage.Progress) (storage.ImportReport, error)) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	path, err := oneArg(pos, "el archivo CSV")
	if err != nil {
		return err
	}
	f, err := openFile(path)
	if err != nil {
		return err
	}
	defer f.Close()
	progress, done := env.progressLine(label)
	rep, err := run(f, progress)
	done()
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if *asJSON {
		if err := writeJSON(env.Stdout, rep); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(env.Stdout, "%s: %d nuevas, %d actualizadas, %d sin cambios, %d repetidas, %d rechazadas\n",
			path, rep.Added, rep.Updated, rep.Unchanged, rep.Skipped, len(rep.Rejects))
		for _, r := range rep.Rejects {
			fmt.Fprintf(env.Stdout, "  rechazada: %s\n", r.Message)
		}
	}
	if len(rep.Rejects) > 0 {
		return fmt.Errorf("%d filas rechazadas en %s: corregilas y volvé a importar el archivo (las filas válidas ya se guardaron)", len(rep.Rejects), path)
	}
	return nil
}

func rosterImport(env *Env, st *storage.Store, args []string) error {
	return importFile(env, args, "Importando padrón", func(f *os.File, p storage.Progress) (storage.ImportReport, error) {
		return st.ImportRoster(env.Ctx, f, p)
	})
}

func catalogImport(env *Env, st *storage.Store, args []string) error {
	return importFile(env, args, "Importando catálogo", func(f *os.File, p storage.Progress) (storage.ImportReport, error) {
		return st.ImportCatalog(env.Ctx, f, p)
	})
}

func rosterFind(env *Env, st *storage.Store, args []string) error {
	fs := flag.NewFlagSet("roster find", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	limit := fs.Int("limit", 20, "")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("falta qué buscar: un DNI, un CUIL o parte del nombre")
	}
	people, err := st.FindPeople(env.Ctx, strings.Join(pos, " "), *limit)
	if err != nil {
		return err
	}
	if *asJSON {
		if people == nil {
			people = []domain.Person{}
		}
		return writeJSON(env.Stdout, people)
	}
	if len(people) == 0 {
		fmt.Fprintln(env.Stdout, "Sin resultados.")
		return nil
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DNI\tAPELLIDO Y NOMBRES\tORGANISMO\tPROVINCIA")
	for _, p := range people {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", domain.FormatDNI(p.DNI), p.FullName(), p.Agency, p.Province)
	}
	return tw.Flush()
}

func catalogList(env *Env, st *storage.Store, args []string) error {
	fs := flag.NewFlagSet("catalog list", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	acts, err := st.Activities(env.Ctx, strings.Join(pos, " "), 0)
	if err != nil {
		return err
	}
	if *asJSON {
		if acts == nil {
			acts = []domain.Activity{}
		}
		return writeJSON(env.Stdout, acts)
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CÓDIGO\tTÍTULO\tTIPO\tHORAS\tPUNTOS\tSESIONES")
	for _, a := range acts {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%g\t%d\t%d\n", a.Code, a.Title, a.Type, a.Hours, a.Points, a.Sessions)
	}
	return tw.Flush()
}

func sessionNew(env *Env, st *storage.Store, args []string) error {
	fs := flag.NewFlagSet("session new", flag.ContinueOnError)
	var in domain.Session
	var modality string
	fs.StringVar(&in.ActivityCode, "activity", "", "")
	fs.StringVar(&in.Date, "date", "", "")
	fs.StringVar(&in.Start, "start", "", "")
	fs.StringVar(&in.End, "end", "", "")
	fs.StringVar(&in.Province, "province", "", "")
	fs.StringVar(&in.Municipality, "municipality", "", "")
	fs.StringVar(&in.Venue, "venue", "", "")
	fs.StringVar(&in.Instructor, "instructor", "", "")
	fs.StringVar(&modality, "modality", "presencial", "")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("argumento de más %q: los datos de la sesión van con opciones (--activity, --date…)", pos[0])
	}
	in.Modality = domain.Modality(modality)
	if in.Instructor == "" {
		in.Instructor, _ = st.Setting(env.Ctx, "last_instructor", "")
	}
	s, err := st.CreateSession(env.Ctx, in)
	if err != nil {
		return err
	}
	if s.Instructor != "" {
		if err := st.SetSetting(env.Ctx, "last_instructor", s.Instructor); err != nil {
			return err
		}
	}
	fmt.Fprintln(env.Stdout, s.ID)
	return nil
}

func sessionList(env *Env, st *storage.Store, args []string) error {
	fs := flag.NewFlagSet("session list", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	open := fs.Bool("open", false, "")
	closed := fs.Bool("closed", false, "")
	waiting := fs.Bool("waiting", false, "")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	f := storage.AllSessions
	switch {
	case *open:
		f = storage.OpenSessions
	case *closed:
		f = storage.ClosedSessions
	case *waiting:
		f = storage.WaitingSessions
	}
	list, err := st.Sessions(env.Ctx, f)
	if err != nil {
		return err
	}
	if *asJSON {
		if list == nil {
			list = []storage.SessionInfo{}
		}
		return writeJSON(env.Stdout, list)
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tFECHA\tHORA\tACTIVIDAD\tLUGAR\tESTADO\tASIST.")
	for _, s := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s, %s\t%s\t%d\n", s.ID, s.Date, s.Start, s.ActivityTitle,
			s.Municipality, s.Province, stateLabel(s), s.Attendees)
	}
	return tw.Flush()
}

func stateLabel(s storage.SessionInfo) string {
	if s.State == domain.Open {
		return "abierta"
	}
	switch s.SyncState {
	case "pending", "in_flight":
		return "cerrada, por sincronizar"
	case "accepted", "duplicate":
		return "cerrada, sincronizada"
	case "rejected", "conflict":
		return "cerrada, rechazada"
	}
	return "cerrada"
}

func sessionShow(env *Env, st *storage.Store, args []string) error {
	fs := flag.NewFlagSet("session show", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	id, err := oneArg(pos, "el ID de la sesión")
	if err != nil {
		return err
	}
	s, err := st.Session(env.Ctx, id)
	if err != nil {
		return err
	}
	att, err := st.Attendees(env.Ctx, s.ID)
	if err != nil {
		return err
	}
	sum, err := st.SessionSummary(env.Ctx, s.ID)
	if err != nil {
		return err
	}
	if *asJSON {
		if att == nil {
			att = []storage.Attendee{}
		}
		return writeJSON(env.Stdout, struct {
			Session   storage.SessionInfo `json:"session"`
			Summary   storage.Summary     `json:"summary"`
			Attendees []storage.Attendee  `json:"attendees"`
		}{s, sum, att})
	}
	fmt.Fprintf(env.Stdout, "Sesión %s (%s)\n%s — %s\n%s %s–%s, %s, %s %s\nInstructor/a: %s · %s\n",
		s.ID, stateLabel(s), s.ActivityCode, s.ActivityTitle, s.Date, s.Start, s.End, s.Municipality, s.Province,
		s.Venue, s.Instructor, s.Modality)
	fmt.Fprintf(env.Stdout, "Asistentes: %d (presentes %d, tarde %d, justificados %d, ausentes %d, sin inscripción %d)\n",
		sum.Total, sum.Presente, sum.Tarde, sum.Justificado, sum.Ausente, sum.WalkIns)
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	for _, a := range att {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", domain.FormatDNI(a.DNI), a.Person.FullName(), a.Person.Agency,
			a.Status, a.At.Local().Format("15:04"))
	}
	return tw.Flush()
}

func sessionCheckin(env *Env, st *storage.Store, args []string) error {
	fs := flag.NewFlagSet("session checkin", flag.ContinueOnError)
	status := fs.String("status", "presente", "")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) < 2 {
		return usagef("se espera el ID de la sesión y al menos un DNI, CUIL, nombre o código escaneado")
	}
	if !domain.Status(*status).Valid() {
		return usagef("--status %q no válido: usá presente, tarde, justificado o ausente", *status)
	}
	s, err := st.Session(env.Ctx, pos[0])
	if err != nil {
		return err
	}
	failed := 0
	for i, input := range pos[1:] {
		res, err := st.CheckIn(env.Ctx, s.ID, input, storage.CheckInOptions{Status: domain.Status(*status), WalkInFromScan: true})
		if errors.Is(err, domain.ErrClosed) {
			return err
		}
		if err != nil {
			failed++
			fmt.Fprintf(env.Stdout, "✗ entrada %d: %s\n", i+1, message(err, env.Lang))
			continue
		}
		switch {
		case res.Already:
			fmt.Fprintf(env.Stdout, "= %s (%s) ya estaba registrado/a: %s\n", res.Person.FullName(), domain.FormatDNI(res.Person.DNI), res.Attendance.Status)
		case res.Created:
			fmt.Fprintf(env.Stdout, "+ %s (%s) agregado/a desde el escaneo (sin inscripción previa): %s\n", res.Person.FullName(), domain.FormatDNI(res.Person.DNI), res.Attendance.Status)
		default:
			fmt.Fprintf(env.Stdout, "✓ %s (%s): %s\n", res.Person.FullName(), domain.FormatDNI(res.Person.DNI), res.Attendance.Status)
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d de %d entradas no se registraron", failed, len(pos)-1)
	}
	return nil
}

func sessionClose(env *Env, st *storage.Store, args []string) error {
	pos, err := parse(flag.NewFlagSet("session close", flag.ContinueOnError), args)
	if err != nil {
		return err
	}
	id, err := oneArg(pos, "el ID de la sesión")
	if err != nil {
		return err
	}
	s, err := st.Session(env.Ctx, id)
	if err != nil {
		return err
	}
	sum, err := st.CloseSession(env.Ctx, s.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Sesión %s cerrada: %d presentes, %d tarde, %d justificados, %d ausentes, %d sin inscripción previa.\n",
		s.ID, sum.Presente, sum.Tarde, sum.Justificado, sum.Ausente, sum.WalkIns)
	return nil
}
