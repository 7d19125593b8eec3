package ui

import (
	"io"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// Participants report of an online session.
func (a *App) ReportButton() *widget.Button            { return a.checkin.report.button }
func (a *App) LoadReport(name string, r io.ReadCloser) { a.checkin.report.loadFrom(name, r) }
func (a *App) ReportShowing() bool                     { return a.checkin.report.dlg != nil }
func (a *App) ReportSummary() string                   { return a.checkin.report.summary.Text }
func (a *App) ReportChanges() string                   { return a.checkin.report.changes.Text }
func (a *App) ReportSave() *widget.Button              { return a.checkin.report.save }

// ReportUnmatched returns the keys of the participants left to settle.
func (a *App) ReportUnmatched() []string {
	var out []string
	for _, r := range a.checkin.report.unmatched {
		out = append(out, r.key)
	}
	return out
}

// ReportIgnore taps "Ignorar" on unmatched row i.
func (a *App) ReportIgnore(i int) { test.Tap(a.checkin.report.unmatched[i].ignore) }

// ReportSearch types q in row i's roster search and presses Enter.
func (a *App) ReportSearch(i int, q string) {
	r := a.checkin.report.unmatched[i]
	r.search.SetText(q)
	r.search.OnSubmitted(q)
}

// ReportOptions returns what row i's pick list offers.
func (a *App) ReportOptions(i int) []string { return a.checkin.report.unmatched[i].pick.Options }

// ReportPick picks option j of row i.
func (a *App) ReportPick(i, j int) { a.checkin.report.unmatched[i].pick.SetSelectedIndex(j) }

// ReportWalkIn taps "Sin inscripción" on row i and returns the form's
// DNI, surname and given names entries.
func (a *App) ReportWalkIn(i int) (dni, surname, given *widget.Entry) {
	test.Tap(a.checkin.report.unmatched[i].walkIn)
	w := a.checkin.report.walkIn
	return w.dni, w.surname, w.given
}

// FormModality is the new-session form's modality choice.
func (a *App) FormModality() *widget.RadioGroup { return a.form.modality }

// FormPlatform and FormMinMinutes are the form's online fields.
func (a *App) FormPlatform() *widget.Entry   { return a.form.online.platform }
func (a *App) FormMinMinutes() *widget.Entry { return a.form.online.minMinutes }
