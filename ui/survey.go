package ui

import (
	"context"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/ui/kit"
)

// Surveys keeps the anonymous end-of-session surveys; *storage.Store
// satisfies it.
type Surveys interface {
	// Survey returns a session's survey (an empty, open one before the
	// first answer).
	Survey(ctx context.Context, sessionID string) (storage.SurveyInfo, error)
	// AnswerSurvey stores one answer; a bad value is a *domain.Error, a
	// survey that takes no more answers domain.ErrSurveyClosed.
	AnswerSurvey(ctx context.Context, sessionID string, value, use int, comment string) error
	// TallySurvey adds counts from paper forms, lowest point first.
	TallySurvey(ctx context.Context, sessionID string, value, use domain.SurveyCounts) error
	// CloseSurvey closes the survey for answers; it travels on the next
	// sync.
	CloseSurvey(ctx context.Context, sessionID string) (storage.SurveyInfo, error)
}

// surveyKiosk is the "Encuesta" screen: people pass the laptop around and
// answer one after another (two questions from 1 to 5 and an optional
// comment); the instructor can add paper tallies and close the survey. It
// never shows one person's answer to the next.
type surveyKiosk struct {
	a         *App
	sessionID string
	info      storage.SurveyInfo

	button   *widget.Button // "Encuesta" on the session screen
	title    *widget.Label
	state    *widget.Label
	value    *widget.RadioGroup
	use      *widget.RadioGroup
	comment  *widget.Entry
	submit   *widget.Button
	thanks   *widget.Label
	tallyV   *widget.Entry
	tallyU   *widget.Entry
	addTally *widget.Button
	close    *widget.Button
	content  fyne.CanvasObject
}

func newSurveyKiosk(a *App) *surveyKiosk {
	k := &surveyKiosk{a: a}
	k.button = widget.NewButtonWithIcon(a.tr("survey.open"), theme.DocumentCreateIcon(), func() { a.showSurvey(a.checkin.info.ID) })
	k.button.Hide()
	back := widget.NewButtonWithIcon(a.tr("survey.back"), theme.NavigateBackIcon(), func() { a.openSession(k.sessionID) })
	back.Importance = widget.LowImportance
	k.title = kit.Heading(a.tr("survey.title"))
	k.state = kit.Muted("")
	k.value = widget.NewRadioGroup(a.scale("survey.value"), nil)
	k.value.Horizontal = true
	k.use = widget.NewRadioGroup(a.scale("survey.use"), nil)
	k.use.Horizontal = true
	k.comment = widget.NewMultiLineEntry()
	k.comment.SetPlaceHolder(a.tr("survey.commentHint"))
	k.comment.SetMinRowsVisible(3)
	k.comment.Validator = func(s string) error {
		if len([]rune(s)) > domain.MaxSurveyComment {
			return &domain.Error{Code: domain.CodeTooLong, Field: "comment", Max: domain.MaxSurveyComment}
		}
		return nil
	}
	k.submit = widget.NewButtonWithIcon(a.tr("survey.submit"), theme.ConfirmIcon(), k.answer)
	k.submit.Importance = widget.HighImportance
	k.thanks = widget.NewLabel("")
	k.thanks.Wrapping = fyne.TextWrapWord
	k.tallyV = widget.NewEntry()
	k.tallyV.SetPlaceHolder("0,0,0,0,0")
	k.tallyU = widget.NewEntry()
	k.tallyU.SetPlaceHolder("0,0,0,0,0")
	k.addTally = widget.NewButton(a.tr("survey.tallyAdd"), k.tally)
	k.close = widget.NewButtonWithIcon(a.tr("survey.close"), theme.CancelIcon(), k.askClose)
	k.close.Importance = widget.WarningImportance

	form := container.NewVBox(
		widget.NewLabelWithStyle(a.tr("survey.valueQ"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), k.value,
		widget.NewLabelWithStyle(a.tr("survey.useQ"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), k.use,
		widget.NewLabelWithStyle(a.tr("survey.commentQ"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), k.comment,
		container.NewHBox(k.submit), k.thanks)
	paper := widget.NewCard(a.tr("survey.paper"), a.tr("survey.paperHint"), container.NewVBox(
		widget.NewForm(widget.NewFormItem(a.tr("survey.tallyValue"), k.tallyV), widget.NewFormItem(a.tr("survey.tallyUse"), k.tallyU)),
		container.NewHBox(k.addTally)))
	header := container.NewBorder(nil, nil, back, k.close, container.NewVBox(k.title, k.state))
	k.content = container.New(&kit.PaddedBy{H: 24, V: 12}, container.NewBorder(header, nil, nil, nil,
		container.NewVScroll(container.NewVBox(form, layout.NewSpacer(), paper))))
	return k
}

// scale returns the labels of the points of a question, "1 muy bajo" …
func (a *App) scale(prefix string) []string {
	out := make([]string, domain.SurveyScale)
	for i := range out {
		out[i] = strconv.Itoa(i+1) + " " + a.tr(prefix+strconv.Itoa(i+1))
	}
	return out
}

// update shows "Encuesta" on the session screen when the app keeps
// surveys.
func (k *surveyKiosk) update(storage.SessionInfo) {
	if k.a.opt.Surveys != nil {
		k.button.Show()
	} else {
		k.button.Hide()
	}
}

// showSurvey opens the survey screen of the session id.
func (a *App) showSurvey(id string) {
	k := a.survey
	k.sessionID = id
	k.reset()
	k.thanks.SetText("")
	a.show(screenSurvey, k.content)
	k.load()
}

func (k *surveyKiosk) reset() {
	k.value.SetSelected("")
	k.use.SetSelected("")
	k.comment.SetText("")
}

// load reads the survey and sets the screen's state.
func (k *surveyKiosk) load() {
	a, id := k.a, k.sessionID
	a.work.Write(func() {
		info, err := a.opt.Surveys.Survey(a.ctx, id)
		a.do(func() {
			if err != nil {
				a.showError(a.message(err, "load survey"))
				return
			}
			k.set(info)
		})
	})
}

func (k *surveyKiosk) set(info storage.SurveyInfo) {
	a := k.a
	k.info = info
	if info.Open {
		k.state.SetText(a.tr("survey.openState", a.count(info.Responses(), "unit.answer"), dayText(info.OpenUntil)))
		for _, w := range []fyne.Disableable{k.value, k.use, k.comment, k.submit, k.tallyV, k.tallyU, k.addTally, k.close} {
			w.Enable()
		}
		return
	}
	k.state.SetText(a.tr("survey.closedState", a.count(info.Responses(), "unit.answer")))
	for _, w := range []fyne.Disableable{k.value, k.use, k.comment, k.submit, k.tallyV, k.tallyU, k.addTally, k.close} {
		w.Disable()
	}
}

// answer stores the answer on screen and clears it for the next person.
func (k *surveyKiosk) answer() {
	a, id := k.a, k.sessionID
	value, use := k.value.Selected, k.use.Selected
	if value == "" || use == "" {
		a.showError(a.tr("survey.missing"))
		return
	}
	v, _ := strconv.Atoi(value[:1])
	u, _ := strconv.Atoi(use[:1])
	comment := k.comment.Text
	k.submit.Disable()
	a.work.Write(func() {
		err := a.opt.Surveys.AnswerSurvey(a.ctx, id, v, u, comment)
		info, lerr := a.opt.Surveys.Survey(a.ctx, id)
		a.do(func() {
			k.submit.Enable()
			if err != nil {
				a.showError(a.message(err, "answer survey"))
			} else {
				k.reset()
				k.thanks.SetText(a.tr("survey.thanks"))
			}
			if lerr == nil {
				k.set(info)
			}
		})
	})
}

// tally adds the paper counts typed in.
func (k *surveyKiosk) tally() {
	a, id := k.a, k.sessionID
	value, err := domain.ParseSurveyTally(k.tallyV.Text, "value")
	if err == nil {
		var use domain.SurveyCounts
		if use, err = domain.ParseSurveyTally(k.tallyU.Text, "use"); err == nil {
			a.work.Write(func() {
				err := a.opt.Surveys.TallySurvey(a.ctx, id, value, use)
				info, lerr := a.opt.Surveys.Survey(a.ctx, id)
				a.do(func() {
					if err != nil {
						a.showError(a.message(err, "tally survey"))
					} else {
						k.tallyV.SetText("")
						k.tallyU.SetText("")
						k.thanks.SetText(a.tr("survey.tallied", a.count(max(value.Total(), use.Total()), "unit.answer")))
					}
					if lerr == nil {
						k.set(info)
					}
				})
			})
			return
		}
	}
	a.showError(domain.Message(err, a.lang))
}

// askClose confirms "Cerrar encuesta".
func (k *surveyKiosk) askClose() {
	a := k.a
	d := dialog.NewConfirm(a.tr("survey.closeTitle"), a.tr("survey.closeAsk", a.count(k.info.Responses(), "unit.answer")),
		func(ok bool) {
			if ok {
				k.closeSurvey()
			}
		}, a.win)
	d.SetConfirmText(a.tr("survey.close"))
	d.SetDismissText(a.tr("dialog.cancel"))
	d.Show()
}

func (k *surveyKiosk) closeSurvey() {
	a, id := k.a, k.sessionID
	a.work.Write(func() {
		info, err := a.opt.Surveys.CloseSurvey(a.ctx, id)
		a.do(func() {
			if err != nil {
				a.showError(a.message(err, "close survey"))
				return
			}
			k.set(info)
		})
	})
}

// dayText writes a YYYY-MM-DD date as DD/MM/YYYY.
func dayText(d string) string {
	t, err := domain.ParseDate(d)
	if err != nil {
		return d
	}
	return t.Format("02/01/2006")
}
