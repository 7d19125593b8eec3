package cli

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/puntos-ar/puntos/cmd/internal/cmdline"
	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/storage/participants"
)

// participantsCommand loads a meeting platform's participants report
// into a virtual or hybrid session.
var participantsCommand = command{"session participants",
	"ID ARCHIVO [--min-share 0.75 | --min-minutes N] [--assign 'CORREO_O_NOMBRE=DNI']... [--ignore NOMBRE]... [--json]",
	"carga la asistencia de una sesión virtual o híbrida desde el informe de participantes de Zoom, Teams, Meet o BigBlueButton",
	sessionParticipants}

// participantsJSON is the stable --json output.
type participantsJSON struct {
	Format         string          `json:"format"`
	Participants   int             `json:"participants"`
	Matched        int             `json:"matched"`
	Present        int             `json:"present"`
	BelowThreshold int             `json:"below_threshold"`
	Unmatched      []unmatchedJSON `json:"unmatched"`
}

type unmatchedJSON struct {
	Name    string `json:"name"`
	Email   string `json:"email"`
	Minutes int    `json:"minutes"`
}

func sessionParticipants(env *Env, st *storage.Store, args []string) error {
	fs := flag.NewFlagSet("session participants", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	var opt storage.ParticipantOptions
	fs.Float64Var(&opt.MinShare, "min-share", 0, "")
	fs.IntVar(&opt.MinMinutes, "min-minutes", 0, "")
	fs.Func("assign", "", func(v string) error {
		i := strings.LastIndexByte(v, '=')
		if i <= 0 || i == len(v)-1 {
			return cmdline.Usagef("--assign %q: escribí 'CORREO_O_NOMBRE=DNI'", v)
		}
		if opt.Assign == nil {
			opt.Assign = map[string]string{}
		}
		opt.Assign[strings.TrimSpace(v[:i])] = strings.TrimSpace(v[i+1:])
		return nil
	})
	fs.Func("ignore", "", func(v string) error {
		opt.Ignore = append(opt.Ignore, v)
		return nil
	})
	pos, err := cmdline.Parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return cmdline.Usagef("se espera el ID de la sesión y el archivo del informe de participantes")
	}
	if opt.MinShare != 0 && opt.MinMinutes != 0 {
		return cmdline.Usagef("usá --min-share o --min-minutes, no los dos")
	}
	s, err := st.Session(env.Ctx, pos[0])
	if err != nil {
		return err
	}
	f, err := os.Open(pos[1])
	if err != nil {
		return fmt.Errorf("no se puede abrir el informe %s: %w", pos[1], err)
	}
	defer f.Close()
	rep, err := participants.Parse(f, storage.ParticipantsDay(s.Session))
	if err != nil {
		return err
	}
	res, err := st.ImportParticipants(env.Ctx, s.ID, rep, opt)
	if err != nil {
		return err
	}
	unmatched := res.Unmatched()
	if *asJSON {
		out := participantsJSON{Format: string(rep.Format), Participants: len(rep.Participants), Matched: res.Matched,
			Present: res.Present, BelowThreshold: res.BelowThreshold, Unmatched: []unmatchedJSON{}}
		for _, l := range unmatched {
			out.Unmatched = append(out.Unmatched, unmatchedJSON{Name: displayName(l.Participant), Email: l.Email, Minutes: l.Minutes()})
		}
		return cmdline.WriteJSON(env.Stdout, out)
	}
	printParticipants(env.Stdout, rep, res, unmatched)
	return nil
}

// displayName is the name as the report shows it.
func displayName(p participants.Participant) string {
	if p.OriginalName != "" {
		return p.Name + " (" + p.OriginalName + ")"
	}
	return p.Name
}

func printParticipants(w io.Writer, rep *participants.Report, res *storage.ParticipantsResult, unmatched []storage.ParticipantLine) {
	fmt.Fprintf(w, "Informe reconocido: %s (%s). %s, %s: %s y %d por debajo del mínimo de %s.\n",
		rep.Format.Name(), rep.Encoding, cmdline.Count(len(rep.Participants), "participante", "participantes"),
		cmdline.Count(res.Matched, "identificado", "identificados"), cmdline.Count(res.Present, "presente", "presentes"),
		res.BelowThreshold, cmdline.Count(res.Required, "minuto", "minutos"))
	changed := 0
	for _, c := range res.Changes {
		who := fmt.Sprintf("%s (%s)", c.Person.FullName(), domain.FormatDNI(c.Person.DNI))
		switch c.Kind {
		case storage.ChangeAdded:
			fmt.Fprintf(w, "+ %s: %s, %d min\n", who, c.Status, c.Minutes)
		case storage.ChangeUpdated:
			fmt.Fprintf(w, "~ %s: %s → %s, %d → %d min\n", who, c.OldStatus, c.Status, c.OldMinutes, c.Minutes)
		case storage.ChangeDropped:
			fmt.Fprintf(w, "- %s: ya no figura en el informe, queda ausente (antes %s, %d min)\n", who, c.OldStatus, c.OldMinutes)
		case storage.ChangeInRoom:
			fmt.Fprintf(w, "= %s: registrado/a en la sala (%s), se deja como está\n", who, c.Status)
			continue
		}
		changed++
	}
	if changed == 0 {
		fmt.Fprintln(w, "Nada cambió: la asistencia ya coincidía con este informe.")
	}
	if len(unmatched) == 0 {
		return
	}
	fmt.Fprintf(w, "Sin identificar (%d): resolvelos con --assign 'CORREO_O_NOMBRE=DNI' o --ignore NOMBRE.\n", len(unmatched))
	for _, l := range unmatched {
		line := "  " + displayName(l.Participant)
		if l.Email != "" {
			line += " <" + l.Email + ">"
		}
		line += fmt.Sprintf(", %d min", l.Minutes())
		if l.FoundDNI != "" {
			line += ", DNI " + domain.FormatDNI(l.FoundDNI) + " no está en el padrón"
		}
		for i, c := range l.Candidates {
			if i == 3 {
				break
			}
			line += fmt.Sprintf("; ¿%s (%s)? %.0f%%", c.Person.FullName(), domain.FormatDNI(c.Person.DNI), 100*c.Confidence)
		}
		fmt.Fprintln(w, line)
	}
}
