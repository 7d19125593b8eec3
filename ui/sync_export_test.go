package ui

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/data/binding"
	"fyne.io/fyne/v2/widget"
)

// Status bar, sync part.
func (a *App) SyncRecordsText() string {
	if !a.status.records.Visible() {
		return ""
	}
	return a.status.records.Text
}
func (a *App) SyncProgressBar() *widget.ProgressBar { return a.status.bar }
func (a *App) SyncProgressShowing() bool            { return a.status.barBox.Visible() }
func (a *App) SyncSettingsButton() *widget.Button   { return a.status.settings }
func (a *App) SyncDetailsButton() *widget.Button    { return a.status.details }
func (a *App) StatusContent() fyne.CanvasObject     { return a.status.content }
func (a *App) RefreshStatus()                       { a.status.refresh() }
func (a *App) When(t, now time.Time) string         { return a.when(t, now) }

// SyncOnProgress calls fn with each value the status bar's progress bar
// takes.
func (a *App) SyncOnProgress(fn func(float64)) {
	a.status.progress.AddListener(binding.NewDataListener(func() {
		f, _ := a.status.progress.Get()
		fn(f)
	}))
}

// ProblemsButton is the status bar's link to the problems screen, nil
// when hidden.
func (a *App) ProblemsButton() *widget.Button {
	if !a.status.problems.Visible() {
		return nil
	}
	return a.status.problems
}

// Problems screen.
func (a *App) ProblemsShowing() bool { return a.current == screenProblems }

// ProblemsShowIDs is the problems screen's "Mostrar identificadores".
func (a *App) ProblemsShowIDs() *widget.Check { return a.problems.showIDs }

// ProblemDetailsShown tells whether the rows show their code and batch.
func (a *App) ProblemDetailsShown() bool {
	return len(a.problems.rows) > 0 && a.problems.rows[0].detail.Visible()
}

// ProblemRows returns each row's kind, result, label, message and detail.
func (a *App) ProblemRows() [][]string {
	var out [][]string
	for _, r := range a.problems.rows {
		out = append(out, r.text())
	}
	return out
}
func (a *App) ProblemsSummary() string { return a.problems.summary.Text }

// ProblemsBanner returns the text of the strip above the session list
// and its button, or "" and nil when hidden.
func (a *App) ProblemsBanner() (string, *widget.Button) {
	if !a.problems.banner.Visible() {
		return "", nil
	}
	return a.problems.bannerText.Text, a.problems.bannerButton
}

// Enrollment form.
func (a *App) EnrollEntry(name string) *widget.Entry {
	v := a.settings.enroll
	return map[string]*widget.Entry{"url": v.url, "code": v.code, "name": v.name}[name]
}
func (a *App) EnrollButton() *widget.Button      { return a.settings.enroll.submit }
func (a *App) EnrollAgainButton() *widget.Button { return a.settings.enroll.again }
func (a *App) EnrollError(name string) string    { return a.settings.enroll.fields[name].ErrorText() }
func (a *App) EnrollFormShowing() bool           { return a.settings.enroll.form.Visible() }
func (a *App) EnrollResult() string {
	if !a.settings.enroll.result.Visible() {
		return ""
	}
	return a.settings.enroll.result.Text
}

// EnrollInfo returns the note on the enrollment (not enrolled, refused),
// if any, then the enrollment shown, one "label: value" a line.
func (a *App) EnrollInfo() string {
	v := a.settings.enroll
	var b strings.Builder
	if v.state.Visible() {
		b.WriteString(v.state.Text + "\n")
	}
	if !v.info.Visible() {
		return b.String()
	}
	for _, k := range enrollInfoKeys {
		b.WriteString(a.tr("enroll.info."+k) + ": " + v.infoVal[k].Text + "\n")
	}
	return b.String()
}
