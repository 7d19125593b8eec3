package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/puntos-ar/puntos/cmd/internal/cmdline"
	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/storage/csvin"
	"github.com/puntos-ar/puntos/storage/domain"
)

// oneArg returns the only positional argument, named what in messages.
// Its message differs from cmdline.OneArg's: it is the one puntos has
// always printed.
func oneArg(pos []string, what string) (string, error) {
	if len(pos) != 1 {
		return "", cmdline.Usagef("se espera un argumento: %s", what)
	}
	return pos[0], nil
}

// parseOne parses args with fs and returns the only positional argument,
// named what in messages (see oneArg).
func parseOne(fs *flag.FlagSet, args []string, what string) (string, error) {
	pos, err := cmdline.Parse(fs, args)
	if err != nil {
		return "", err
	}
	return oneArg(pos, what)
}

// parseSession parses args with fs and returns the session its only
// positional argument names (a whole ID or its first characters).
func parseSession(env *Env, st *storage.Store, fs *flag.FlagSet, args []string) (storage.SessionInfo, error) {
	id, err := parseOne(fs, args, "el ID de la sesión")
	if err != nil {
		return storage.SessionInfo{}, err
	}
	return st.Session(env.Ctx, id)
}

// importFile runs an import command: the file, an optional --json, an
// optional --sheet for a workbook, and a progress line labelled label
// while run reads the file.
func importFile(env *Env, args []string, label string, run func(r io.Reader, p storage.Progress, sheet csvin.Option) (storage.ImportReport, error)) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	sheet := fs.String("sheet", "", "")
	path, err := parseOne(fs, args, "el archivo CSV o Excel")
	if err != nil {
		return err
	}
	return cmdline.ImportFile(env.Stdout, path, *asJSON, cmdline.Noun{}, func(r io.Reader) (storage.ImportReport, error) {
		progress, done := cmdline.ProgressLine(env.Stderr, label)
		defer done()
		return run(r, progress, csvin.Sheet(*sheet))
	})
}

func rosterImport(env *Env, st *storage.Store, args []string) error {
	return importFile(env, args, "Importando padrón", func(r io.Reader, p storage.Progress, sheet csvin.Option) (storage.ImportReport, error) {
		return st.ImportRoster(env.Ctx, r, p, sheet)
	})
}

func catalogImport(env *Env, st *storage.Store, args []string) error {
	return importFile(env, args, "Importando catálogo", func(r io.Reader, p storage.Progress, sheet csvin.Option) (storage.ImportReport, error) {
		return st.ImportCatalog(env.Ctx, r, p, sheet)
	})
}

func rosterFind(env *Env, st *storage.Store, args []string) error {
	fs := flag.NewFlagSet("roster find", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	limit := fs.Int("limit", 20, "")
	pos, err := cmdline.Parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return cmdline.Usagef("falta qué buscar: un DNI, un CUIL o parte del nombre")
	}
	people, err := st.FindPeople(env.Ctx, strings.Join(pos, " "), *limit)
	if err != nil {
		return err
	}
	return cmdline.PrintList(env.Stdout, *asJSON, people,
		"Sin resultados.",
		"DNI\tAPELLIDO Y NOMBRES\tORGANISMO\tPROVINCIA",
		func(w io.Writer, p domain.Person) {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", domain.FormatDNI(p.DNI), p.FullName(), p.Agency, p.Province)
		})
}

func catalogList(env *Env, st *storage.Store, args []string) error {
	fs := flag.NewFlagSet("catalog list", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	pos, err := cmdline.Parse(fs, args)
	if err != nil {
		return err
	}
	acts, err := st.Activities(env.Ctx, strings.Join(pos, " "), 0)
	if err != nil {
		return err
	}
	return cmdline.PrintList(env.Stdout, *asJSON, acts, "",
		"CÓDIGO\tTÍTULO\tTIPO\tHORAS\tPUNTOS\tSESIONES",
		func(w io.Writer, a domain.Activity) {
			fmt.Fprintf(w, "%s\t%s\t%s\t%g\t%d\t%d\n", a.Code, a.Title, a.Type, a.Hours, a.Points, a.Sessions)
		})
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
	fs.StringVar(&modality, "modality", "", "")
	fs.StringVar(&in.Platform, "platform", "", "")
	fs.StringVar(&in.Link, "link", "", "")
	fs.Float64Var(&in.MinShare, "min-share", 0, "")
	fs.IntVar(&in.MinMinutes, "min-minutes", 0, "")
	pos, err := cmdline.Parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return cmdline.Usagef("argumento de más %q: los datos de la sesión van con opciones (--activity, --date…)", pos[0])
	}
	if modality != "" {
		m, err := domain.ParseModality(modality)
		if err != nil {
			return cmdline.Usagef("--modality %q no válida: usá presencial, virtual o hibrida", modality)
		}
		in.Modality = m
	}
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
	if _, err := cmdline.Parse(fs, args); err != nil {
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
	return cmdline.PrintList(env.Stdout, *asJSON, list, "",
		"ID\tFECHA\tHORA\tACTIVIDAD\tLUGAR\tESTADO\tASIST.",
		func(w io.Writer, s storage.SessionInfo) {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%d\n", s.ID, s.Date, s.Start, s.ActivityTitle,
				s.Place(), stateLabel(s), s.Attendees)
		})
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
	s, err := parseSession(env, st, fs, args)
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
		return cmdline.WriteJSON(env.Stdout, struct {
			Session   storage.SessionInfo `json:"session"`
			Summary   storage.Summary     `json:"summary"`
			Attendees []storage.Attendee  `json:"attendees"`
		}{s, sum, att})
	}
	fmt.Fprintf(env.Stdout, "Sesión %s (%s)\n%s — %s\n%s %s–%s, %s, %s %s\nInstructor/a: %s · %s\n",
		s.ID, stateLabel(s), s.ActivityCode, s.ActivityTitle, s.Date, s.Start, s.End, s.Municipality, s.Province,
		s.Venue, s.Instructor, s.Modality)
	if s.Modality.Online() {
		fmt.Fprintf(env.Stdout, "Plataforma: %s %s · asistencia con %d minutos conectados\n", s.Platform, s.Link, (s.RequiredSeconds()+59)/60)
	}
	fmt.Fprintf(env.Stdout, "Asistentes: %d (presentes %d, tarde %d, justificados %d, ausentes %d, sin inscripción %d)\n",
		sum.Total, sum.Presente, sum.Tarde, sum.Justificado, sum.Ausente, sum.WalkIns)
	tw := cmdline.Table(env.Stdout)
	for _, a := range att {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", domain.FormatDNI(a.DNI), a.Person.FullName(), a.Person.Agency,
			a.Status, a.At.In(domain.Argentina).Format("15:04"))
	}
	return tw.Flush()
}

func sessionCheckin(env *Env, st *storage.Store, args []string) error {
	fs := flag.NewFlagSet("session checkin", flag.ContinueOnError)
	status := fs.String("status", "presente", "")
	pos, err := cmdline.Parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) < 2 {
		return cmdline.Usagef("se espera el ID de la sesión y al menos un DNI, CUIL, nombre o código escaneado")
	}
	if !domain.Status(*status).Valid() {
		return cmdline.Usagef("--status %q no válido: usá presente, tarde, justificado o ausente", *status)
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
			fmt.Fprintf(env.Stdout, "✗ entrada %d: %s\n", i+1, cmdline.Message(err, env.Lang))
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
		return fmt.Errorf("%d de %s no se registraron", failed, cmdline.Count(len(pos)-1, "entrada", "entradas"))
	}
	return nil
}

func sessionClose(env *Env, st *storage.Store, args []string) error {
	s, err := parseSession(env, st, flag.NewFlagSet("session close", flag.ContinueOnError), args)
	if err != nil {
		return err
	}
	sum, err := st.CloseSession(env.Ctx, s.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Sesión %s cerrada: %s, %d tarde, %s, %s, %d sin inscripción previa.\n",
		s.ID, cmdline.Count(sum.Presente, "presente", "presentes"), sum.Tarde,
		cmdline.Count(sum.Justificado, "justificado", "justificados"), cmdline.Count(sum.Ausente, "ausente", "ausentes"), sum.WalkIns)
	return nil
}
