package cli

import (
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/puntos-ar/puntos/cmd/internal/cmdline"
	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/sync/wire"
)

// surveyCommands are the commands of the anonymous end-of-session survey.
func surveyCommands() []command {
	return []command{
		{"survey answer", "SESIÓN --value 1-5 --use 1-5 [--comment TEXTO]", "guarda una respuesta anónima a la encuesta de la sesión (valor de la clase y probabilidad de uso, de 1 a 5)", surveyAnswer},
		{"survey tally", "SESIÓN --value N1,N2,N3,N4,N5 --use N1,N2,N3,N4,N5", "suma conteos de encuestas en papel, del más bajo al más alto (un segundo conteo se suma al primero)", surveyTally},
		{"survey close", "SESIÓN", "cierra la encuesta de la sesión: se envía en la próxima sincronización", surveyClose},
		{"survey show", "SESIÓN [--json]", "muestra la encuesta de la sesión (los resultados, desde 5 respuestas)", surveyShow},
	}
}

// surveyView is a survey as show prints it: distributions and comments
// only from domain.SurveyMinResponses answers up (else null).
type surveyView struct {
	Session   string `json:"session"`
	Open      bool   `json:"open"`
	OpenUntil string `json:"open_until"`
	SyncState string `json:"sync_state"`
	wire.SurveyResults
	Comments []string `json:"comments"`
}

func newSurveyView(v storage.SurveyInfo) surveyView {
	out := surveyView{Session: v.SessionID, Open: v.Open, OpenUntil: v.OpenUntil, SyncState: v.SyncState,
		SurveyResults: wire.NewSurveyResults(v.Survey)}
	if v.Shown() {
		// Sorted, so their order does not tell who answered when.
		out.Comments = slices.Sorted(slices.Values(v.Comments))
		if out.Comments == nil {
			out.Comments = []string{}
		}
	}
	return out
}

func surveyAnswer(env *Env, st *storage.Store, args []string) error {
	fs := flag.NewFlagSet("survey answer", flag.ContinueOnError)
	value := fs.Int("value", 0, "")
	use := fs.Int("use", 0, "")
	comment := fs.String("comment", "", "")
	id, err := parseOne(fs, args, "el ID de la sesión")
	if err != nil {
		return err
	}
	if err := st.AnswerSurvey(env.Ctx, id, *value, *use, *comment); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, "Respuesta guardada (anónima).")
	return nil
}

func surveyTally(env *Env, st *storage.Store, args []string) error {
	fs := flag.NewFlagSet("survey tally", flag.ContinueOnError)
	value := fs.String("value", "", "")
	use := fs.String("use", "", "")
	id, err := parseOne(fs, args, "el ID de la sesión")
	if err != nil {
		return err
	}
	v, err := domain.ParseSurveyTally(*value, "value")
	if err != nil {
		return err
	}
	u, err := domain.ParseSurveyTally(*use, "use")
	if err != nil {
		return err
	}
	if err := st.TallySurvey(env.Ctx, id, v, u); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Conteo sumado: %s.\n", cmdline.Count(max(v.Total(), u.Total()), "respuesta", "respuestas"))
	return nil
}

func surveyClose(env *Env, st *storage.Store, args []string) error {
	id, err := parseOne(flag.NewFlagSet("survey close", flag.ContinueOnError), args, "el ID de la sesión")
	if err != nil {
		return err
	}
	v, err := st.CloseSurvey(env.Ctx, id)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Encuesta cerrada con %s: se envía en la próxima sincronización.\n",
		cmdline.Count(v.Responses(), "respuesta", "respuestas"))
	return nil
}

func surveyShow(env *Env, st *storage.Store, args []string) error {
	fs := flag.NewFlagSet("survey show", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	id, err := parseOne(fs, args, "el ID de la sesión")
	if err != nil {
		return err
	}
	info, err := st.Survey(env.Ctx, id)
	if err != nil {
		return err
	}
	v := newSurveyView(info)
	if *asJSON {
		return cmdline.WriteJSON(env.Stdout, v)
	}
	printSurvey(env.Stdout, v)
	return nil
}

// Labels of the points of the two questions, lowest first.
var (
	valueLabels = [domain.SurveyScale]string{"muy bajo", "bajo", "medio", "alto", "muy alto"}
	useLabels   = [domain.SurveyScale]string{"muy improbable", "improbable", "posible", "probable", "muy probable"}
)

func printSurvey(w io.Writer, v surveyView) {
	state := "abierta hasta el " + v.OpenUntil
	if !v.Open {
		state = "cerrada"
	}
	fmt.Fprintf(w, "Encuesta de la sesión %s: %s, %s.\n", v.Session, state, cmdline.Count(v.Responses, "respuesta", "respuestas"))
	if v.Value == nil {
		fmt.Fprintf(w, "Los resultados se muestran desde %d respuestas.\n", domain.SurveyMinResponses)
		return
	}
	tw := cmdline.Table(w)
	fmt.Fprintln(tw, "VALOR DE LA CLASE\t\tUSO DE LO APRENDIDO\t")
	for i := range domain.SurveyScale {
		k := fmt.Sprint(i + 1)
		fmt.Fprintf(tw, "%d %s\t%d\t%d %s\t%d\n", i+1, valueLabels[i], v.Value[k], i+1, useLabels[i], v.Use[k])
	}
	tw.Flush()
	if len(v.Comments) > 0 {
		fmt.Fprintln(w, "Comentarios:")
		for _, c := range v.Comments {
			fmt.Fprintln(w, "  - "+strings.ReplaceAll(c, "\n", " "))
		}
	}
}
