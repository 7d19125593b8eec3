package ui

import (
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// The survey kiosk ("Encuesta").
func (a *App) SurveyButton() *widget.Button { return a.survey.button }
func (a *App) SurveyShowing() bool          { return a.current == screenSurvey }
func (a *App) SurveyState() string          { return a.survey.state.Text }
func (a *App) SurveyThanks() string         { return a.survey.thanks.Text }
func (a *App) SurveySubmitEnabled() bool    { return !a.survey.submit.Disabled() }

// SurveyAnswer picks points value and use (1–5), types comment and taps
// "Enviar respuesta".
func (a *App) SurveyAnswer(value, use int, comment string) {
	k := a.survey
	if value > 0 {
		k.value.SetSelected(k.value.Options[value-1])
	}
	if use > 0 {
		k.use.SetSelected(k.use.Options[use-1])
	}
	test.Type(k.comment, comment)
	test.Tap(k.submit)
}

// SurveyPicked returns what the form holds after an answer.
func (a *App) SurveyPicked() (value, use, comment string) {
	return a.survey.value.Selected, a.survey.use.Selected, a.survey.comment.Text
}

// SurveyTally types paper counts and taps "Sumar conteo".
func (a *App) SurveyTally(value, use string) {
	a.survey.tallyV.SetText(value)
	a.survey.tallyU.SetText(use)
	test.Tap(a.survey.addTally)
}

// SurveyClose taps "Cerrar encuesta".
func (a *App) SurveyClose() { test.Tap(a.survey.close) }
