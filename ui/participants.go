package ui

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/storage/participants"
	"github.com/puntos-ar/puntos/ui/kit"
)

// Participants turns a meeting platform's participants report into the
// attendance of a virtual or hybrid session; *storage.Store satisfies it.
type Participants interface {
	// PreviewParticipants matches a report to the roster and says what
	// importing it would change, storing nothing; a bad session or
	// setting is a *domain.Error, a closed session wraps domain.ErrClosed.
	PreviewParticipants(ctx context.Context, sessionID string, rep *participants.Report, opt storage.ParticipantOptions) (*storage.ParticipantsResult, error)
	// ImportParticipants stores what PreviewParticipants showed, in one
	// transaction; on error nothing is stored.
	ImportParticipants(ctx context.Context, sessionID string, rep *participants.Report, opt storage.ParticipantOptions) (*storage.ParticipantsResult, error)
}

// reportLoader is the session screen's "Cargar informe de participantes":
// it reads the report, shows a preview (who was found, who is present,
// what changes) where unmatched participants are settled by hand (picked
// from the roster, added as walk-ins or ignored), and stores the
// attendance only when confirmed.
type reportLoader struct {
	v      *checkinView
	button *widget.Button

	name string // the report's file name
	rep  *participants.Report
	opt  storage.ParticipantOptions
	res  *storage.ParticipantsResult

	dlg       *dialog.CustomDialog
	summary   *widget.Label
	changes   *widget.Label
	rows      *fyne.Container
	unmatched []*unmatchedRow
	save      *widget.Button
	cancel    *widget.Button
	walkIn    *reportWalkIn // the walk-in form showing, if any
}

func newReportLoader(v *checkinView) *reportLoader {
	l := &reportLoader{v: v}
	l.button = widget.NewButtonWithIcon(v.a.tr("report.load"), theme.UploadIcon(), l.chooseFile)
	l.button.Hide()
	return l
}

// update shows the button for an open virtual or hybrid session.
func (l *reportLoader) update(info storage.SessionInfo) {
	if l.v.a.opt.Participants != nil && info.Modality.Online() && info.State == domain.Open {
		l.button.Show()
	} else {
		l.button.Hide()
	}
}

func (l *reportLoader) chooseFile() {
	l.v.a.openFile([]string{".csv", ".CSV", ".txt", ".tsv"}, l.loadFile, nil)
}

// loadFile reads the report at path and shows its preview.
func (l *reportLoader) loadFile(path string) {
	f, err := os.Open(path)
	if err != nil {
		l.v.a.showError(l.v.a.tr("report.cannotOpen", filepath.Base(path)))
		return
	}
	l.loadFrom(filepath.Base(path), f)
}

// loadFrom reads a report from r (closing it) in the background and
// previews it with nothing settled yet.
func (l *reportLoader) loadFrom(name string, r io.ReadCloser) {
	a, info := l.v.a, l.v.info
	l.button.Disable()
	a.work.Write(func() {
		defer r.Close()
		rep, err := participants.Parse(r, storage.ParticipantsDay(info.Session))
		var res *storage.ParticipantsResult
		if err == nil {
			res, err = a.opt.Participants.PreviewParticipants(a.ctx, info.ID, rep, storage.ParticipantOptions{})
		}
		a.do(func() {
			l.button.Enable()
			if err != nil {
				a.showError(a.message(err, "read participants report"))
				return
			}
			l.name, l.rep, l.opt, l.res = name, rep, storage.ParticipantOptions{}, res
			l.showPreview()
		})
	})
}

// showPreview opens the preview dialog, or refreshes it.
func (l *reportLoader) showPreview() {
	a := l.v.a
	if l.dlg == nil {
		l.summary = widget.NewLabel("")
		l.summary.Wrapping = fyne.TextWrapWord
		l.changes = widget.NewLabel("")
		l.changes.Wrapping = fyne.TextWrapWord
		l.rows = container.NewVBox()
		l.save = widget.NewButtonWithIcon(a.tr("report.save"), theme.ConfirmIcon(), l.store)
		l.save.Importance = widget.HighImportance
		l.cancel = widget.NewButton(a.tr("dialog.cancel"), l.close)
		body := container.NewBorder(container.NewVBox(l.summary, widget.NewSeparator()), nil, nil, nil,
			container.NewVScroll(container.NewVBox(l.changes, l.rows)))
		l.dlg = dialog.NewCustomWithoutButtons(a.tr("report.title"), body, a.win)
		l.dlg.SetButtons([]fyne.CanvasObject{l.cancel, l.save})
		l.dlg.Resize(fyne.NewSize(760, 560))
		l.dlg.Show()
	}
	res := l.res
	l.summary.SetText(a.tr("report.summary", l.name, l.rep.Format.Name(), len(res.Lines), res.Matched, res.Present,
		res.BelowThreshold, res.Required))
	l.changes.SetText(l.changeText())
	l.unmatched = l.unmatched[:0]
	l.rows.Objects = nil
	if un := res.Unmatched(); len(un) > 0 {
		l.rows.Add(kit.Bold(a.tr("report.unmatched", len(un))))
		for _, line := range un {
			row := newUnmatchedRow(l, line)
			l.unmatched = append(l.unmatched, row)
			l.rows.Add(row.box)
		}
	}
	l.rows.Refresh()
}

// changeText lists what saving does, one line per attendance.
func (l *reportLoader) changeText() string {
	a := l.v.a
	var b strings.Builder
	for _, c := range l.res.Changes {
		who := fmt.Sprintf("%s (%s)", c.Person.FullName(), domain.FormatDNI(c.Person.DNI))
		switch c.Kind {
		case storage.ChangeAdded:
			b.WriteString(a.tr("report.added", who, a.statusLabel(c.Status), c.Minutes))
		case storage.ChangeUpdated:
			b.WriteString(a.tr("report.updated", who, a.statusLabel(c.OldStatus), a.statusLabel(c.Status), c.OldMinutes, c.Minutes))
		case storage.ChangeDropped:
			b.WriteString(a.tr("report.dropped", who, c.OldMinutes))
		case storage.ChangeInRoom:
			b.WriteString(a.tr("report.inRoom", who))
		}
		b.WriteByte('\n')
	}
	if b.Len() == 0 {
		return a.tr("report.noChanges")
	}
	return strings.TrimSpace(b.String())
}

// settle re-previews with the settlements changed by change; a settlement
// the store refuses is taken back and its message shown.
func (l *reportLoader) settle(change func(o *storage.ParticipantOptions)) {
	a, id, rep := l.v.a, l.v.info.ID, l.rep
	before := cloneOptions(l.opt)
	change(&l.opt)
	opt := cloneOptions(l.opt)
	a.work.Write(func() {
		res, err := a.opt.Participants.PreviewParticipants(a.ctx, id, rep, opt)
		a.do(func() {
			if err != nil {
				l.opt = before
				a.showError(a.message(err, "preview participants"))
				return
			}
			l.res = res
			l.showPreview()
		})
	})
}

func cloneOptions(o storage.ParticipantOptions) storage.ParticipantOptions {
	o.Assign = maps.Clone(o.Assign)
	o.WalkIns = maps.Clone(o.WalkIns)
	o.Ignore = append([]string(nil), o.Ignore...)
	return o
}

// store imports the report with the settlements made and shows what
// changed in the session screen's banner.
func (l *reportLoader) store() {
	a, v, rep, opt := l.v.a, l.v, l.rep, cloneOptions(l.opt)
	id := v.info.ID
	l.save.Disable()
	a.work.Write(func() {
		res, err := a.opt.Participants.ImportParticipants(a.ctx, id, rep, opt)
		a.do(func() {
			l.save.Enable()
			if err != nil {
				a.showError(a.message(err, "import participants"))
				return
			}
			l.close()
			v.banner.show(bannerOK, a.tr("report.saved"), rep.Format.Name(),
				a.tr("report.savedDetail", res.Present, res.BelowThreshold, len(res.Changes), len(res.Unmatched())))
			v.reload()
		})
	})
}

func (l *reportLoader) close() {
	if l.dlg != nil {
		l.dlg.Hide()
	}
	l.dlg, l.unmatched, l.rep, l.res = nil, nil, nil, nil
}

// participantKey names a participant in ParticipantOptions: the email,
// else the name as the report writes it.
func participantKey(p participants.Participant) string {
	if p.Email != "" {
		return p.Email
	}
	if p.OriginalName != "" {
		return p.OriginalName
	}
	return p.Name
}

// unmatchedRow is one participant to settle: pick a candidate or search
// the roster, add as a walk-in, or ignore.
type unmatchedRow struct {
	l      *reportLoader
	line   storage.ParticipantLine
	key    string
	people []domain.Person // what pick offers
	pick   *widget.Select
	search *widget.Entry
	walkIn *widget.Button
	ignore *widget.Button
	box    fyne.CanvasObject
}

func newUnmatchedRow(l *reportLoader, line storage.ParticipantLine) *unmatchedRow {
	a := l.v.a
	r := &unmatchedRow{l: l, line: line, key: participantKey(line.Participant)}
	title := line.Name
	if line.OriginalName != "" {
		title += " (" + line.OriginalName + ")"
	}
	if line.Email != "" {
		title += " <" + line.Email + ">"
	}
	title += " · " + a.tr("report.minutes", line.Minutes())
	if line.Host {
		title += " · " + a.tr("report.host")
	}
	r.pick = widget.NewSelect(nil, r.picked)
	r.pick.PlaceHolder = a.tr("report.pick")
	r.setOptions(line.Candidates)
	r.search = widget.NewEntry()
	r.search.SetPlaceHolder(a.tr("report.search"))
	r.search.OnSubmitted = r.find
	r.walkIn = widget.NewButtonWithIcon(a.tr("report.walkIn"), theme.ContentAddIcon(), r.addWalkIn)
	r.ignore = widget.NewButtonWithIcon(a.tr("report.ignore"), theme.VisibilityOffIcon(), func() {
		l.settle(func(o *storage.ParticipantOptions) { o.Ignore = append(o.Ignore, r.key) })
	})
	r.walkIn.Importance, r.ignore.Importance = widget.LowImportance, widget.LowImportance
	r.box = container.NewVBox(kit.Bold(title),
		container.NewGridWithColumns(2, r.pick, r.search),
		container.NewHBox(r.walkIn, r.ignore), widget.NewSeparator())
	return r
}

// setOptions fills the pick list from candidates (with their confidence)
// or from people found in the roster (confidence 0: not shown).
func (r *unmatchedRow) setOptions(cs []storage.Candidate) {
	opts := make([]string, len(cs))
	r.people = r.people[:0]
	for i, c := range cs {
		opts[i] = fmt.Sprintf("%s (%s)", c.Person.FullName(), domain.FormatDNI(c.Person.DNI))
		if c.Confidence > 0 {
			opts[i] += fmt.Sprintf(" · %.0f%%", 100*c.Confidence)
		}
		r.people = append(r.people, c.Person)
	}
	r.pick.SetOptions(opts)
}

// find looks the roster up with what was typed (DNI or name).
func (r *unmatchedRow) find(q string) {
	a := r.l.v.a
	a.work.Write(func() {
		ps, err := a.st.FindPeople(a.ctx, q, maxResults)
		a.do(func() {
			if err != nil {
				a.showError(a.message(err, "find people"))
				return
			}
			cs := make([]storage.Candidate, len(ps))
			for i, p := range ps {
				cs[i] = storage.Candidate{Person: p}
			}
			r.setOptions(cs)
			if len(ps) == 0 {
				r.pick.PlaceHolder = a.tr("report.noneFound")
			}
			r.pick.Refresh()
		})
	})
}

func (r *unmatchedRow) picked(string) {
	i := r.pick.SelectedIndex()
	if i < 0 || i >= len(r.people) {
		return
	}
	dni := r.people[i].DNI
	r.l.settle(func(o *storage.ParticipantOptions) {
		if o.Assign == nil {
			o.Assign = map[string]string{}
		}
		o.Assign[r.key] = dni
	})
}

// addWalkIn opens the walk-in form pre-filled from the report.
func (r *unmatchedRow) addWalkIn() {
	r.l.walkIn = newReportWalkIn(r)
}

// reportWalkIn is the small form that adds a participant not on the roster.
type reportWalkIn struct {
	dni, surname, given, email *widget.Entry
	dlg                        *dialog.ConfirmDialog
}

func newReportWalkIn(r *unmatchedRow) *reportWalkIn {
	a := r.l.v.a
	w := &reportWalkIn{dni: widget.NewEntry(), surname: widget.NewEntry(), given: widget.NewEntry(), email: widget.NewEntry()}
	w.dni.SetText(r.line.FoundDNI)
	given, surname := splitDisplayName(r.line.OriginalName, r.line.Name)
	w.given.SetText(given)
	w.surname.SetText(surname)
	w.email.SetText(r.line.Email)
	form := widget.NewForm(
		widget.NewFormItem(a.tr("report.dni"), w.dni),
		widget.NewFormItem(a.tr("report.surname"), w.surname),
		widget.NewFormItem(a.tr("report.given"), w.given),
		widget.NewFormItem(a.tr("report.email"), w.email))
	w.dlg = dialog.NewCustomConfirm(a.tr("report.walkInTitle"), a.tr("report.walkInAdd"), a.tr("dialog.cancel"), form, func(ok bool) {
		r.l.walkIn = nil
		if !ok {
			return
		}
		p := domain.Person{DNI: w.dni.Text, Surname: w.surname.Text, GivenNames: w.given.Text, Email: w.email.Text}
		r.l.settle(func(o *storage.ParticipantOptions) {
			if o.WalkIns == nil {
				o.WalkIns = map[string]domain.Person{}
			}
			o.WalkIns[r.key] = p
		})
	}, a.win)
	w.dlg.Resize(fyne.NewSize(480, 300))
	w.dlg.Show()
	return w
}

// splitDisplayName guesses given names and surname from a display name
// ("María José Núñez", "Núñez, María José"), stripping a DNI in it.
func splitDisplayName(names ...string) (given, surname string) {
	for _, n := range names {
		n = strings.TrimSpace(strings.Trim(strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return -1
			}
			return r
		}, n), " -.·"))
		if n == "" {
			continue
		}
		if s, g, ok := strings.Cut(n, ","); ok {
			return strings.TrimSpace(g), strings.TrimSpace(s)
		}
		words := strings.Fields(n)
		if len(words) < 2 {
			return n, ""
		}
		return strings.Join(words[:len(words)-1], " "), words[len(words)-1]
	}
	return "", ""
}

func init() { maps.Copy(texts, reportTexts) }

// reportTexts are the labels of the participants report.
var reportTexts = kit.Labels{
	"modality.hibrida":           {"Híbrida", "Hybrid"},
	"form.errTimesOnline":        {"Una sesión virtual o híbrida necesita hora de inicio y de fin.", "An online or hybrid session needs a start and an end time."},
	"form.platform":              {"Plataforma", "Platform"},
	"form.link":                  {"Enlace de la reunión", "Meeting link"},
	"form.minMinutes":            {"Minutos mínimos conectados", "Minimum minutes connected"},
	"form.minMinutesPlaceholder": {"75% de la duración", "75% of the length"},
	"form.errMinMinutes":         {"Escribí los minutos como un número entero (por ejemplo 90), o dejalo vacío para el 75% de la duración.", "Type the minutes as a whole number (for example 90), or leave it empty for 75% of the length."},
	"report.load":                {"Cargar informe de participantes", "Load participants report"},
	"report.cannotOpen":          {"No se puede abrir %s: revisá que el archivo exista y no esté abierto en otro programa.", "Cannot open %s: check the file exists and is not open in another program."},
	"report.title":               {"Informe de participantes", "Participants report"},
	"report.summary":             {"%s: informe de %s. %d participantes, %d identificados: %d presentes y %d por debajo del mínimo de %d minutos. Nada se guarda hasta que confirmes.", "%s: %s report. %d participants, %d identified: %d present and %d below the %d-minute minimum. Nothing is stored until you confirm."},
	"report.added":               {"+ %s: %s, %d min", "+ %s: %s, %d min"},
	"report.updated":             {"~ %s: %s → %s, %d → %d min", "~ %s: %s → %s, %d → %d min"},
	"report.dropped":             {"− %s: ya no figura en el informe, queda ausente (tenía %d min)", "− %s: no longer in the report, now absent (had %d min)"},
	"report.inRoom":              {"= %s: registrado/a en la sala, se deja como está", "= %s: checked in in the room, left as is"},
	"report.noChanges":           {"Nada cambia: la asistencia ya coincide con este informe.", "Nothing changes: the attendance already matches this report."},
	"report.unmatched":           {"Sin identificar (%d): elegí a la persona, agregala sin inscripción o ignorala.", "Not identified (%d): pick the person, add them as a walk-in or ignore them."},
	"report.minutes":             {"%d min", "%d min"},
	"report.host":                {"organizador/a", "host"},
	"report.pick":                {"Elegir del padrón…", "Pick from the roster…"},
	"report.search":              {"Buscar DNI o nombre y Enter", "Search DNI or name, then Enter"},
	"report.noneFound":           {"Nadie coincide en el padrón", "No one on the roster matches"},
	"report.walkIn":              {"Sin inscripción", "Walk-in"},
	"report.ignore":              {"Ignorar", "Ignore"},
	"report.walkInTitle":         {"Agregar asistente sin inscripción previa", "Add a walk-in"},
	"report.walkInAdd":           {"Agregar", "Add"},
	"report.dni":                 {"DNI *", "DNI *"},
	"report.surname":             {"Apellido *", "Surname *"},
	"report.given":               {"Nombres *", "Given names *"},
	"report.email":               {"Correo", "Email"},
	"report.save":                {"Guardar asistencia", "Save attendance"},
	"report.saved":               {"Informe de participantes cargado", "Participants report loaded"},
	"report.savedDetail":         {"%d presentes, %d por debajo del mínimo, %d cambios, %d sin identificar.", "%d present, %d below the minimum, %d changes, %d not identified."},
}
