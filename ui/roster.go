package ui

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/data/binding"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/storage/csvin"
	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/ui/kit"
)

// maxRosterResults is how many people a roster search shows.
const maxRosterResults = 200

// rosterView searches the roster and imports a roster CSV with a progress
// bar and a report of the rejected lines, which can be saved to a file.
type rosterView struct {
	a       *App
	search  *widget.Entry
	count   *widget.Label
	list    *widget.List
	results []domain.Person
	empty   *widget.Label

	importButton *widget.Button
	progress     binding.Float
	bar          *widget.ProgressBar
	importing    bool
	importStatus *widget.Label
	summary      *widget.Label
	rejectList   *widget.List
	saveButton   *widget.Button
	report       storage.ImportReport
	reportName   string // the imported file's name
	importBox    *fyne.Container

	content fyne.CanvasObject
	find    kit.Latest
	seq     int
}

func newRosterView(a *App) *rosterView {
	v := &rosterView{a: a, find: kit.Latest{Work: a.work}, progress: binding.NewFloat()}
	v.search = kit.NewEntry(a.tr("roster.searchHint"))
	v.search.OnChanged = func(string) { v.refresh() }
	v.count = widget.NewLabel("")
	v.count.Importance = widget.LowImportance
	v.list = widget.NewList(
		func() int { return len(v.results) },
		func() fyne.CanvasObject {
			l := func() *widget.Label {
				l := widget.NewLabel("")
				l.Truncation = fyne.TextTruncateEllipsis
				return l
			}
			name := l()
			name.TextStyle.Bold = true
			return container.New(&kit.PaddedBy{H: 8}, container.New(rosterColumns(), name, l(), l(), l(), l()))
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= len(v.results) {
				return
			}
			p := v.results[id]
			cells := o.(*fyne.Container).Objects[0].(*fyne.Container).Objects
			cuil := ""
			if p.CUIL != "" {
				cuil = domain.FormatCUIL(p.CUIL)
			}
			agency := p.Agency
			if p.WalkIn {
				agency = strings.TrimPrefix(agency+" · "+a.tr("checkin.walkInTag"), " · ")
			}
			for i, s := range []string{p.FullName(), domain.FormatDNI(p.DNI), cuil, agency, p.Province} {
				cells[i].(*widget.Label).SetText(s)
			}
		})
	v.empty = kit.Muted("")
	v.empty.Alignment = fyne.TextAlignCenter

	v.buildImport()

	cols := container.New(&kit.PaddedBy{H: 8}, container.New(rosterColumns(),
		kit.Bold(a.tr("checkin.colName")), kit.Bold(a.tr("checkin.colDNI")), kit.Bold("CUIL"),
		kit.Bold(a.tr("checkin.colAgency")), kit.Bold(a.tr("roster.colProvince"))))
	top := container.NewVBox(
		container.NewBorder(nil, nil, kit.Heading(a.tr("roster.title")), container.NewHBox(container.NewCenter(v.count), v.importButton)),
		kit.Muted(a.tr("roster.intro")),
		v.search, cols, widget.NewSeparator())
	v.content = container.New(&kit.PaddedBy{H: 16, V: 10},
		container.NewBorder(top, v.importBox, nil, nil, container.NewStack(v.list, container.NewVBox(v.empty))))
	return v
}

// buildImport makes the import button and the box that shows an
// import's progress, its summary and the rejected lines.
func (v *rosterView) buildImport() {
	a := v.a
	v.importButton = widget.NewButtonWithIcon(a.tr("roster.import"), theme.UploadIcon(), v.chooseFile)
	v.importButton.Importance = widget.HighImportance
	v.bar = widget.NewProgressBarWithData(v.progress)
	v.importStatus = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.summary = widget.NewLabel("")
	v.summary.Wrapping = fyne.TextWrapWord
	v.rejectList = widget.NewList(
		func() int { return len(v.report.Rejects) },
		func() fyne.CanvasObject {
			reason := widget.NewLabel("")
			reason.Truncation = fyne.TextTruncateEllipsis
			return container.New(kit.NewColumns(90, 140, -1), widget.NewLabel(""), widget.NewLabel(""), reason)
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= len(v.report.Rejects) {
				return
			}
			r := v.report.Rejects[id]
			cells := o.(*fyne.Container).Objects
			cells[0].(*widget.Label).SetText(a.tr("roster.line", r.Line))
			cells[1].(*widget.Label).SetText(r.Field)
			cells[2].(*widget.Label).SetText(r.Reason)
		})
	v.saveButton = widget.NewButtonWithIcon(a.tr("roster.saveReport"), theme.DocumentSaveIcon(), v.chooseReportFile)
	rejects := container.NewBorder(
		container.NewBorder(nil, nil, kit.Bold(a.tr("roster.rejected")), v.saveButton), nil, nil, nil,
		container.New(&minHeight{h: 160}, v.rejectList))
	hide := widget.NewButtonWithIcon("", theme.CancelIcon(), func() {
		if !v.importing {
			v.importBox.Hide()
		}
	})
	hide.Importance = widget.LowImportance
	v.importBox = container.NewVBox(widget.NewSeparator(),
		container.NewBorder(nil, nil, nil, hide, v.importStatus), v.bar, v.summary, rejects)
	v.importBox.Hide()
}

func rosterColumns() *kit.Columns { return kit.NewColumns(-3, 100, 130, -3, -2) }

// minHeight gives its objects a minimum height.
type minHeight struct{ h float32 }

func (m *minHeight) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return fyne.NewSize(s.Width, max(s.Height, m.h))
}

func (m *minHeight) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

// refresh runs the search for what is typed (or counts the roster) in
// the background.
func (v *rosterView) refresh() {
	v.seq++
	seq, q := v.seq, strings.TrimSpace(v.search.Text)
	v.find.Submit(func() {
		var ps []domain.Person
		var err error
		if q != "" {
			ps, err = v.a.st.FindPeople(v.a.ctx, q, maxRosterResults)
		}
		n, cerr := v.a.st.CountPeople(v.a.ctx)
		v.a.do(func() { v.show(seq, q, ps, err, n, cerr) })
	})
}

func (v *rosterView) show(seq int, q string, ps []domain.Person, err error, n int, cerr error) {
	if seq != v.seq {
		return
	}
	if cerr == nil {
		v.count.SetText(v.a.plural(n, "status.peopleOne", "status.peopleMany"))
	}
	v.results = ps
	v.list.Refresh()
	v.list.ScrollToTop()
	switch {
	case err != nil:
		v.empty.SetText(v.a.message(err, "find people"))
	case q == "" && n == 0:
		v.empty.SetText(v.a.tr("roster.emptyRoster"))
	case q == "":
		v.empty.SetText(v.a.tr("roster.typeToSearch"))
	case len(ps) == 0:
		v.empty.SetText(v.a.tr("roster.noMatch"))
	default:
		v.empty.SetText("")
	}
	v.empty.Hidden = v.empty.Text == ""
	v.empty.Refresh()
}

func (v *rosterView) chooseFile() {
	// .ods and .xls are offered so that picking one tells how to save it as .xlsx or CSV.
	v.a.openFile([]string{".csv", ".CSV", ".txt", ".xlsx", ".XLSX", ".ods", ".xls", ".XLS"}, v.importFile, nil)
}

// importFile imports the roster CSV at path in the background.
func (v *rosterView) importFile(path string) {
	f, err := os.Open(path)
	if err != nil {
		v.a.showError(v.a.tr("roster.cannotOpen", filepath.Base(path)))
		return
	}
	v.importFrom(filepath.Base(path), f)
}

// importFrom imports a roster CSV from r, closing it when done. The
// import runs on the write queue with the progress bar showing; the
// report and its rejected lines show when it ends.
func (v *rosterView) importFrom(name string, r io.ReadCloser) {
	if v.importing {
		r.Close()
		return
	}
	v.importing = true
	v.importButton.Disable()
	v.progress.Set(0)
	v.importStatus.SetText(v.a.tr("roster.importing", name))
	v.summary.SetText("")
	v.report = storage.ImportReport{}
	v.rejectList.Refresh()
	v.saveButton.Disable()
	v.importBox.Show()
	v.a.work.Write(func() {
		defer r.Close()
		rep, err := v.a.st.ImportRoster(v.a.ctx, r, func(done, total int64) {
			if total > 0 {
				v.progress.Set(float64(done) / float64(total))
			}
		})
		v.a.do(func() { v.imported(name, rep, err) })
	})
}

func (v *rosterView) imported(name string, rep storage.ImportReport, err error) {
	a := v.a
	v.importing = false
	v.importButton.Enable()
	if err != nil {
		v.importStatus.SetText(a.tr("roster.importFailed", name))
		msg, ok := csvin.Message(err) // what is wrong with the file as a whole
		if !ok {
			msg = a.message(err, "import roster")
		}
		v.summary.SetText(msg)
		return
	}
	v.progress.Set(1)
	v.report, v.reportName = rep, name
	v.importStatus.SetText(a.tr("roster.imported", name))
	v.summary.SetText(a.tr("roster.summary", a.count(rep.Added, "unit.added"), a.count(rep.Updated, "unit.updated"),
		a.count(rep.Unchanged, "unit.unchanged"), a.count(rep.Skipped, "unit.repeated"), a.count(len(rep.Rejects), "unit.rejected")))
	v.rejectList.Refresh()
	if len(rep.Rejects) > 0 {
		v.saveButton.Enable()
	}
	v.refresh()
	a.status.refresh()
}

func (v *rosterView) chooseReportFile() {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			return
		}
		path := w.URI().Path()
		w.Close()
		if err := v.saveReport(path); err != nil {
			v.a.showError(v.a.tr("roster.cannotSave", filepath.Base(path)))
		}
	}, v.a.win)
	d.SetFileName(v.reportFileName())
	d.Show()
	kit.NamePlaces(v.a.win, v.a.lang)
}

func (v *rosterView) reportFileName() string {
	base := strings.TrimSuffix(v.reportName, filepath.Ext(v.reportName))
	if base == "" {
		base = "padron"
	}
	return base + "-rechazos.csv"
}

// saveReport writes the rejected lines of the last import to path.
func (v *rosterView) saveReport(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("save report: %w", err)
	}
	if err := v.writeReport(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// writeReport writes the rejected lines as a CSV a spreadsheet opens
// as is: UTF-8 with a BOM, ';' between fields.
func (v *rosterView) writeReport(w io.Writer) error {
	a := v.a
	bw := bufio.NewWriter(w)
	bw.WriteString("\ufeff")
	fmt.Fprintf(bw, "%s;%s;%s\r\n", a.tr("report.line"), a.tr("report.field"), a.tr("report.reason"))
	for _, r := range v.report.Rejects {
		fmt.Fprintf(bw, "%d;%s;%s\r\n", r.Line, csvField(r.Field), csvField(r.Reason))
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// csvField quotes a field when it holds a separator, a quote or a newline.
func csvField(s string) string {
	if strings.ContainsAny(s, ";\"\r\n") {
		return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	return s
}
