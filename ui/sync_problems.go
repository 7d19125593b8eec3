package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/sync/wire"
	"github.com/puntos-ar/puntos/ui/kit"
)

// maxProblemRows bounds the rows drawn; a note counts the rest.
const maxProblemRows = 300

// colorWarnBg is the background of the strip that warns of problems.
var colorWarnBg = color.NRGBA{0xfd, 0xf1, 0xe4, 0xff}

// problemsView lists the records the registry rejected or found in
// conflict, each with the registry's message (its code and batch on
// demand, for a call with central staff), so the person can act on them. A strip above the session list leads here
// while there are any.
type problemsView struct {
	a       *App
	summary *widget.Label
	showIDs *widget.Check // the rows' codes and batch IDs
	list    *fyne.Container
	more    *widget.Label
	empty   *widget.Label
	back    *widget.Button
	content fyne.CanvasObject
	items   []storage.SyncProblem
	rows    []*problemRow
	load    kit.Latest
	seq     int

	banner       *fyne.Container
	bannerText   *widget.Label
	bannerButton *widget.Button
}

func newProblemsView(a *App) *problemsView {
	v := &problemsView{a: a, load: kit.Latest{Work: a.work}}
	v.back = widget.NewButtonWithIcon(a.tr("problems.back"), theme.NavigateBackIcon(), a.showSessions)
	v.summary = widget.NewLabel("")
	v.summary.Wrapping = fyne.TextWrapWord
	v.showIDs = widget.NewCheck(a.tr("problems.showIDs"), func(on bool) {
		for _, r := range v.rows {
			r.detail.Hidden = !on
			r.detail.Refresh()
		}
	})
	v.list = container.NewVBox()
	v.more = kit.Muted("")
	v.more.Hide()
	v.empty = kit.Muted(a.tr("problems.empty"))
	v.empty.Hide()
	top := container.NewVBox(
		container.NewBorder(nil, nil, v.back, nil),
		kit.Heading(a.tr("problems.title")),
		kit.Muted(a.tr("problems.intro")),
		container.NewBorder(nil, nil, nil, v.showIDs, v.summary),
		widget.NewSeparator(),
	)
	page := container.NewVBox(top, v.empty, v.list, v.more)
	v.content = container.NewVScroll(container.New(&kit.PaddedBy{H: 24, V: 12}, kit.Centered(900, page)))

	v.bannerText = widget.NewLabel("")
	v.bannerText.Importance = widget.WarningImportance
	v.bannerText.Truncation = fyne.TextTruncateEllipsis
	v.bannerButton = widget.NewButtonWithIcon(a.tr("problems.see"), theme.WarningIcon(), a.showProblems)
	v.bannerButton.Importance = widget.WarningImportance
	v.banner = container.NewStack(canvas.NewRectangle(colorWarnBg), container.New(&kit.PaddedBy{H: 16, V: 4},
		container.NewBorder(nil, nil, nil, container.NewCenter(v.bannerButton), v.bannerText)))
	v.banner.Hide()
	return v
}

// showProblems shows the list of records the registry objected to.
func (a *App) showProblems() {
	a.show(screenProblems, a.problems.content)
	a.problems.refresh()
}

// showProblemsBanner shows, above the session list, how many records the
// registry objected to; none hides it.
func (a *App) showProblemsBanner(n int) {
	v := a.problems
	if n == 0 {
		v.banner.Hide()
		return
	}
	v.bannerText.SetText(a.plural(n, "problems.bannerOne", "problems.bannerMany"))
	v.banner.Show()
}

// refresh reloads the list in the background.
func (v *problemsView) refresh() {
	v.seq++
	seq := v.seq
	v.load.Submit(func() {
		list, err := v.a.st.SyncProblems(v.a.ctx)
		v.a.do(func() { v.show(seq, list, err) })
	})
}

func (v *problemsView) show(seq int, list []storage.SyncProblem, err error) {
	if seq != v.seq {
		return
	}
	a := v.a
	v.items = list
	v.rows = nil
	v.list.RemoveAll()
	v.more.Hide()
	if err != nil {
		v.summary.SetText(a.message(err, "list sync problems"))
		v.empty.Hide()
		return
	}
	if len(list) == 0 {
		v.summary.SetText("")
		v.empty.Show()
		return
	}
	v.empty.Hide()
	rejected, conflict := 0, 0
	for _, p := range list {
		if p.Result == wire.Conflict {
			conflict++
		} else {
			rejected++
		}
	}
	v.summary.SetText(a.tr("problems.summary", a.count(rejected, "unit.rejected"), a.count(conflict, "unit.conflict")))
	for i, p := range list {
		if i == maxProblemRows {
			v.more.SetText(a.tr("problems.more", a.num(len(list)-maxProblemRows)))
			v.more.Show()
			break
		}
		r := newProblemRow(a, p, v.showIDs.Checked)
		v.rows = append(v.rows, r)
		v.list.Add(r.box)
	}
	v.list.Refresh()
}

// problemRow is one record the registry objected to: what it is, what
// the registry said and, when asked for, its code and batch.
type problemRow struct {
	kind, result *kit.Badge
	label        *widget.Label
	message      *widget.Label
	detail       *widget.Label
	open         *widget.Button
	box          fyne.CanvasObject
}

func newProblemRow(a *App, p storage.SyncProblem, showIDs bool) *problemRow {
	r := &problemRow{kind: kit.NewBadge(), result: kit.NewBadge()}
	r.kind.Set(a.problemKind(p.Kind), kit.ColorIdle)
	if p.Result == wire.Conflict {
		r.result.Set(a.tr("problems.conflict"), kit.ColorWarn)
	} else {
		r.result.Set(a.tr("problems.rejected"), kit.ColorError)
	}
	r.label = widget.NewLabelWithStyle(p.Label, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.label.Truncation = fyne.TextTruncateEllipsis
	r.message = widget.NewLabel(p.Message)
	r.message.Wrapping = fyne.TextWrapWord
	if p.Message == "" {
		r.message.SetText(a.tr("problems.noMessage"))
	}
	code := p.Code
	if code == "" {
		code = "—"
	}
	batch := p.BatchID
	if batch == "" {
		batch = "—"
	}
	r.detail = widget.NewLabel(a.tr("problems.detail", code, batch))
	r.detail.SizeName = theme.SizeNameCaptionText
	r.detail.Importance = widget.LowImportance
	r.detail.Selectable = true
	r.detail.Hidden = !showIDs
	r.open = widget.NewButtonWithIcon(a.tr("problems.openSession"), theme.NavigateNextIcon(), func() {
		a.openSession(p.SessionID)
	})
	r.open.Importance = widget.LowImportance
	if p.SessionID == "" {
		r.open.Hide()
	}
	head := container.NewBorder(nil, nil,
		container.NewHBox(container.NewCenter(r.kind.Box), container.NewCenter(r.result.Box)),
		r.open, r.label)
	body := container.New(layout.NewCustomPaddedVBoxLayout(0), head, r.message, r.detail)
	bg := canvas.NewRectangle(kit.ColorRowAlt)
	bg.CornerRadius = 6
	bg.StrokeColor = kit.ColorBorder
	bg.StrokeWidth = 1
	card := container.NewStack(bg, container.New(&kit.PaddedBy{H: 10, V: 6}, body))
	r.box = container.New(&kit.PaddedBy{H: 0, V: 3}, card)
	return r
}

// text returns the row's text, for tests: kind, result, label, message
// and detail.
func (r *problemRow) text() []string {
	return []string{r.kind.Text.Text, r.result.Text.Text, r.label.Text, r.message.Text, r.detail.Text}
}

// problemKind names a record's kind for a person.
func (a *App) problemKind(kind string) string {
	switch kind {
	case wire.KindSession:
		return a.tr("problems.kindSession")
	case wire.KindAttendance:
		return a.tr("problems.kindAttendance")
	case wire.KindPerson:
		return a.tr("problems.kindPerson")
	case wire.KindCertificate:
		return a.tr("problems.kindCertificate")
	case wire.KindSurvey:
		return a.tr("problems.kindSurvey")
	}
	return kind
}
