package ui

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/storage/geo"
	"github.com/puntos-ar/puntos/ui/kit"
)

// sessionForm creates a session: activity by type-ahead on the catalog,
// date and times, province and municipality (type-ahead on the official
// list, free text allowed), venue, instructor and modality. Every field's
// problem shows next to it before anything is saved.
type sessionForm struct {
	a *App

	activity     *typeahead
	activityInfo *widget.Label
	found        []domain.Activity // the suggestions showing
	chosen       *domain.Activity
	date         *widget.Entry
	start        *widget.Entry
	end          *widget.Entry
	province     *widget.Select
	municipality *typeahead
	venue        *widget.Entry
	instructor   *widget.Entry
	modality     *widget.RadioGroup
	online       *onlineFields // platform, link and threshold of a virtual or hybrid session
	saveButton   *widget.Button
	cancelButton *widget.Button
	formError    *widget.Label

	fields  map[string]*kit.Field // by name: activity, date, start, end, province, municipality, venue, instructor
	content fyne.CanvasObject

	search kit.Latest
	seq    int
}

func newSessionForm(a *App) *sessionForm {
	v := &sessionForm{a: a, search: kit.Latest{Work: a.work}, fields: map[string]*kit.Field{}}
	v.activity = newTypeahead(a.tr("form.activityHint"))
	v.activity.onChanged = v.findActivities
	v.activity.onPick = func(i int) {
		act := v.found[i]
		v.chosen = &act
		v.activity.setPicked(act.Code + " — " + act.Title)
		v.showChosen()
		if act.Type == domain.Virtual {
			v.modality.SetSelected(a.tr("modality.virtual"))
		}
		v.fields["activity"].SetError("")
	}
	v.activityInfo = kit.Muted("")
	v.date = kit.NewDateEntry(a.tr("form.datePlaceholder"))
	v.start = kit.NewEntry("09:00")
	v.end = kit.NewEntry("12:00")
	names := []string{}
	for _, p := range geo.Provinces() {
		names = append(names, p.Name)
	}
	v.province = widget.NewSelect(names, func(string) {
		v.fields["province"].SetError("")
		v.suggestPlaces(v.municipality.entry.Text)
	})
	v.province.PlaceHolder = a.tr("form.provincePlaceholder")
	v.municipality = newTypeahead(a.tr("form.municipalityHint"))
	v.municipality.onChanged = v.suggestPlaces
	v.municipality.onPick = func(i int) { v.municipality.setPicked(v.municipality.items[i]) }
	v.venue = kit.NewEntry(a.tr("form.venuePlaceholder"))
	v.instructor = widget.NewEntry()
	v.modality = widget.NewRadioGroup([]string{a.tr("modality.presencial"), a.tr("modality.virtual"), a.tr("modality.hibrida")}, nil)
	v.modality.Horizontal = true
	v.modality.Required = true
	v.online = newOnlineFields(v)
	v.modality.OnChanged = func(string) { v.online.update() }
	for name, e := range map[string]*widget.Entry{"date": v.date, "start": v.start, "end": v.end, "venue": v.venue, "instructor": v.instructor} {
		e.OnSubmitted = func(string) { v.submit() }
		// An error goes once the person edits its field.
		e.OnChanged = func(string) { v.fields[name].SetError("") }
	}
	v.municipality.onSubmit = v.submit

	v.saveButton = widget.NewButtonWithIcon(a.tr("form.save"), theme.ConfirmIcon(), v.submit)
	v.saveButton.Importance = widget.HighImportance
	v.cancelButton = widget.NewButton(a.tr("form.cancel"), a.showSessions)
	v.formError = widget.NewLabel("")
	v.formError.Importance = widget.DangerImportance
	v.formError.Wrapping = fyne.TextWrapWord
	v.formError.Hide()

	v.layout()
	return v
}

// layout puts the inputs in labelled fields, their rows and the
// scrolling page, with the buttons kept in view below it.
func (v *sessionForm) layout() {
	a := v.a
	f := func(name, label string, input fyne.CanvasObject) *kit.Field {
		fl := kit.NewField(label, input)
		v.fields[name] = fl
		return fl
	}
	activity := f("activity", a.tr("form.activity"), container.NewVBox(v.activity.box, v.activityInfo))
	date := f("date", a.tr("form.date"), v.date)
	start := f("start", a.tr("form.start"), v.start)
	end := f("end", a.tr("form.end"), v.end)
	province := f("province", a.tr("form.province"), v.province)
	municipality := f("municipality", a.tr("form.municipality"), v.municipality.box)
	venue := f("venue", a.tr("form.venue"), v.venue)
	instructor := f("instructor", a.tr("form.instructor"), v.instructor)
	modality := f("modality", a.tr("form.modality"), v.modality)

	grid := func(cols int, fs ...*kit.Field) fyne.CanvasObject {
		objs := make([]fyne.CanvasObject, len(fs))
		for i, fl := range fs {
			objs[i] = fl.Box
		}
		return container.NewGridWithColumns(cols, objs...)
	}
	form := container.NewVBox(
		activity.Box,
		grid(3, date, start, end),
		grid(2, province, municipality),
		grid(2, venue, instructor),
		modality.Box,
		v.online.box,
		v.formError,
	)
	title := kit.Heading(a.tr("form.title"))
	page := container.NewVBox(title, kit.Muted(a.tr("form.intro")), widget.NewSeparator(), form)
	// The buttons stay in view below the scrolling form.
	actions := container.NewVBox(widget.NewSeparator(), container.New(&kit.PaddedBy{H: 24, V: 4},
		kit.Centered(860, container.NewHBox(layout.NewSpacer(), v.cancelButton, v.saveButton))))
	v.content = container.NewBorder(nil, actions, nil, nil,
		container.NewVScroll(container.New(&kit.PaddedBy{H: 24, V: 12}, kit.Centered(860, page))))
}

// reset clears the form for a new session: today's date, and the
// instructor and province of the last session.
func (v *sessionForm) reset() {
	v.chosen, v.found = nil, nil
	v.activity.setPicked("")
	v.activityInfo.SetText(v.a.tr("form.activityNone"))
	v.date.SetText(time.Now().In(domain.Argentina).Format("02/01/2006"))
	v.start.SetText("")
	v.end.SetText("")
	v.venue.SetText("")
	v.municipality.setPicked("")
	v.modality.SetSelected(v.a.tr("modality.presencial"))
	v.online.reset()
	v.saveButton.Enable()
	for _, f := range v.fields {
		f.SetError("")
	}
	v.formError.Hide()
	v.a.work.Write(func() {
		inst, _ := v.a.st.Setting(v.a.ctx, settingLastInstructor, "")
		prov, _ := v.a.st.Setting(v.a.ctx, settingLastProvince, "")
		v.a.do(func() { v.remembered(inst, prov) })
	})
}

func (v *sessionForm) remembered(instructor, province string) {
	if v.instructor.Text == "" {
		v.instructor.SetText(instructor)
	}
	if v.province.Selected == "" {
		if p, ok := geo.FindProvince(province); ok {
			v.province.SetSelected(p.Name)
		}
	}
}

// findActivities looks the catalog up for what was typed, off the main
// goroutine; an answer for older text is dropped.
func (v *sessionForm) findActivities(text string) {
	v.chosen = nil
	v.seq++
	seq := v.seq
	if strings.TrimSpace(text) == "" {
		v.found = nil
		v.activity.setItems(nil)
		v.activityInfo.SetText(v.a.tr("form.activityNone"))
		return
	}
	v.search.Submit(func() {
		acts, err := v.a.st.Activities(v.a.ctx, strings.TrimSpace(text), maxSuggestions)
		v.a.do(func() { v.showActivities(seq, acts, err) })
	})
}

func (v *sessionForm) showActivities(seq int, acts []domain.Activity, err error) {
	if seq != v.seq {
		return
	}
	if err != nil {
		v.fields["activity"].SetError(v.a.message(err, "find activities"))
		return
	}
	v.found = acts
	items := make([]string, len(acts))
	for i, act := range acts {
		items[i] = act.Code + " — " + act.Title
	}
	v.activity.setItems(items)
	if len(acts) == 0 {
		v.activityInfo.SetText(v.a.tr("form.activityNoMatch"))
	} else {
		v.activityInfo.SetText(v.a.tr("form.activityPick"))
	}
}

func (v *sessionForm) showChosen() {
	act := v.chosen
	v.activityInfo.SetText(v.a.tr("form.activityChosen", act.Type, v.a.decimal(act.Hours), v.a.count(act.Points, "unit.point"), v.a.count(act.Sessions, "unit.meeting")))
}

// decimal writes a number of hours as a person of the language would.
func (a *App) decimal(h float64) string {
	s := strconv.FormatFloat(h, 'f', -1, 64)
	if a.lang == "es" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// suggestPlaces lists the province's places matching what was typed.
func (v *sessionForm) suggestPlaces(text string) {
	if text == v.municipality.picked {
		return
	}
	p, ok := geo.FindProvince(v.province.Selected)
	if !ok || strings.TrimSpace(text) == "" {
		v.municipality.setItems(nil)
		return
	}
	items := geo.Suggest(p.ID, text, maxSuggestions)
	if len(items) == 1 && domain.Fold(items[0]) == domain.Fold(text) {
		items = nil // already spelled out
	}
	v.municipality.setItems(items)
}

// check validates every field, shows each problem next to its field,
// and returns the session when there is none.
func (v *sessionForm) check() (domain.Session, bool) {
	a := v.a
	errs := map[string]string{}
	s := domain.Session{
		Venue:      strings.TrimSpace(v.venue.Text),
		Instructor: strings.TrimSpace(v.instructor.Text),
	}
	if v.chosen == nil {
		v.chooseTyped()
	}
	switch {
	case v.chosen != nil:
		s.ActivityCode = v.chosen.Code
	case strings.TrimSpace(v.activity.entry.Text) == "":
		errs["activity"] = a.tr("form.errActivity")
	default:
		errs["activity"] = a.tr("form.errActivityPick")
	}
	if d, err := domain.ParseDate(v.date.Text); err != nil {
		errs["date"] = domain.Message(err, a.lang)
	} else {
		s.Date = d.Format("2006-01-02")
	}
	for name, e := range map[string]*widget.Entry{"start": v.start, "end": v.end} {
		if strings.TrimSpace(e.Text) == "" {
			continue
		}
		c, err := domain.ParseClock(e.Text)
		if err != nil {
			errs[name] = domain.Message(err, a.lang)
			continue
		}
		if name == "start" {
			s.Start = c
		} else {
			s.End = c
		}
	}
	if s.Start != "" && s.End != "" && s.End <= s.Start {
		errs["end"] = a.tr("form.errEndBeforeStart", s.Start)
	}
	if v.province.Selected == "" {
		errs["province"] = a.tr("form.errProvince")
	}
	s.Province = v.province.Selected
	s.Municipality = strings.Join(strings.Fields(v.municipality.entry.Text), " ")
	v.online.check(&s, errs)
	if s.Municipality == "" && s.Modality != domain.Remote {
		errs["municipality"] = a.tr("form.errMunicipality")
	}
	for name, val := range map[string]string{"municipality": s.Municipality, "venue": s.Venue, "instructor": s.Instructor} {
		if len(val) > 200 {
			errs[name] = a.tr("form.errTooLong")
		}
	}
	for name, f := range v.fields {
		f.SetError(errs[name])
	}
	v.formError.Hide()
	return s, len(errs) == 0
}

// chooseTyped takes the activity typed without picking it: an exact code,
// or the only suggestion.
func (v *sessionForm) chooseTyped() {
	typed := domain.Fold(v.activity.entry.Text)
	for _, act := range v.found {
		if domain.Fold(act.Code) == typed || domain.Fold(act.Code+" — "+act.Title) == typed || len(v.found) == 1 {
			act := act
			v.chosen = &act
			return
		}
	}
}

// submit checks the form and creates the session in the background; on
// success the check-in screen opens on it.
func (v *sessionForm) submit() {
	s, ok := v.check()
	if !ok {
		return
	}
	v.saveButton.Disable()
	v.a.work.Write(func() {
		created, err := v.a.st.CreateSession(v.a.ctx, s)
		if err == nil {
			if created.Instructor != "" {
				v.a.st.SetSetting(v.a.ctx, settingLastInstructor, created.Instructor)
			}
			v.a.st.SetSetting(v.a.ctx, settingLastProvince, created.Province)
		}
		v.a.do(func() { v.created(created, err) })
	})
}

// storeFields maps the field names in the store's errors to the form's.
var storeFields = map[string]string{
	"actividad": "activity", "date": "date", "fin": "end", "inicio": "start",
	"provincia": "province", "municipio": "municipality", "modalidad": "modality",
	"plataforma": "platform", "enlace": "link", "mínimo": "minMinutes",
	// fields over their maximum (domain.CodeTooLong)
	"code": "activity", "province": "province", "municipality": "municipality", "venue": "venue", "instructor": "instructor",
	"platform": "platform", "link": "link",
}

func (v *sessionForm) created(s domain.Session, err error) {
	v.saveButton.Enable()
	if err != nil {
		msg := v.a.message(err, "create session")
		var de *domain.Error
		if errors.As(err, &de) {
			if f, ok := v.fields[storeFields[de.Field]]; ok {
				f.SetError(msg)
				return
			}
		}
		v.formError.SetText(msg)
		v.formError.Show()
		return
	}
	v.a.status.refresh()
	v.a.openSession(s.ID)
}
