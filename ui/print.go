package ui

import (
	"bufio"
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/data/binding"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	fynestorage "fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/puntos-ar/puntos/reports"
	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/ui/kit"
)

// Reports is what printing and the office settings need from the store
// besides Store; *storage.Store satisfies it. The app offers them only
// when Options.Reports is set.
type Reports interface {
	reports.Store
	// SetOffice validates and stores the office that issues certificates;
	// a bad field is a *domain.Error naming it.
	SetOffice(ctx context.Context, o storage.Office) error
}

// settingPrintFolder remembers the folder chosen for printed files.
const settingPrintFolder = "print_folder"

// sheetBlankRows is how many blank rows an open session's sheet ends with,
// for walk-ins to write themselves in.
const sheetBlankRows = 15

// printKind names what a print action makes.
type printKind int

const (
	printCertificates printKind = iota
	printSheet
	printCSV
)

// printResult is what a print action wrote, or why it failed.
type printResult struct {
	kind   printKind
	dir    string
	main   string // the file to open: the session PDF, the sheet, the CSV
	run    reports.CertificateRun
	closed bool // the session was closed (the sheet has statuses)
	err    error
}

// printer is the session screen's print actions: the sheet, the
// certificates and the CSV export, written to a folder outside the data
// folder, with a progress dialog and a results dialog that opens the PDF
// or its folder with the system's viewer.
type printer struct {
	v  *checkinView
	a  *App
	rs Reports // nil when the store cannot print
	// open shows a file or folder with the system's viewer; tests replace
	// it to see the call instead of launching one.
	open func(*url.URL) error

	sheetButton  *widget.Button
	certButton   *widget.Button
	csvButton    *widget.Button
	folderButton *widget.Button
	folderLabel  *widget.Label
	bar          fyne.CanvasObject

	// base is the folder chosen for printed files; "" until read from the
	// settings (or when none was chosen: the default then).
	base     string
	progress binding.Float
	progBar  *widget.ProgressBar // the bar of the progress dialog last shown
	busy     bool
	working  *dialog.CustomDialog
	result   *printResult         // the last result shown
	shown    *dialog.CustomDialog // the dialog showing it
	load     kit.Latest
}

func newPrinter(v *checkinView) *printer {
	a := v.a
	p := &printer{v: v, a: a, progress: binding.NewFloat(), load: kit.Latest{Work: a.work}}
	p.rs = a.opt.Reports
	p.open = func(u *url.URL) error {
		app := fyne.CurrentApp()
		if app == nil {
			return errors.New("no app")
		}
		return app.OpenURL(u)
	}
	p.sheetButton = widget.NewButtonWithIcon(a.tr("print.sheet"), theme.DocumentPrintIcon(), p.printSheet)
	p.certButton = widget.NewButtonWithIcon(a.tr("print.certificates"), theme.DocumentIcon(), p.printCertificates)
	p.csvButton = widget.NewButtonWithIcon(a.tr("print.csv"), theme.DownloadIcon(), p.exportCSV)
	p.folderButton = widget.NewButtonWithIcon(a.tr("print.changeFolder"), theme.FolderOpenIcon(), p.chooseFolder)
	p.folderButton.Importance = widget.LowImportance
	p.folderLabel = widget.NewLabel("")
	p.folderLabel.Importance = widget.LowImportance
	p.folderLabel.Truncation = fyne.TextTruncateEllipsis
	p.bar = container.NewBorder(nil, nil,
		container.NewHBox(p.sheetButton, p.certButton, p.csvButton),
		p.folderButton, p.folderLabel)
	if p.rs == nil {
		p.bar.Hide()
	}
	return p
}

// update fits the actions to a session just loaded: certificates are the
// main action of a closed session; the folder line names its folder.
func (p *printer) update(info storage.SessionInfo) {
	if info.State == domain.Closed {
		p.certButton.Importance = widget.HighImportance
	} else {
		p.certButton.Importance = widget.MediumImportance
	}
	p.certButton.Refresh()
	p.showFolder()
	if p.base != "" || p.rs == nil {
		return
	}
	p.load.Submit(func() {
		base := p.readBase()
		p.a.do(func() { p.setBase(base) })
	})
}

// readBase returns the remembered folder, "" when none is.
func (p *printer) readBase() string {
	base, err := p.a.st.Setting(p.a.ctx, settingPrintFolder, "")
	if err != nil {
		slog.Error("read print folder", "err", err)
	}
	return base
}

func (p *printer) setBase(base string) {
	if p.base == "" {
		p.base = base
	}
	p.showFolder()
}

func (p *printer) showFolder() {
	info := p.v.info
	if info.Date == "" {
		p.folderLabel.SetText("")
		return
	}
	p.folderLabel.SetText(p.a.tr("print.folder", p.folderFor(info)))
}

// baseFolder is the folder sessions' folders go in: the one chosen, else
// Puntos in the person's documents.
func (p *printer) baseFolder() string {
	if p.base != "" {
		return p.base
	}
	return filepath.Join(documentsDir(), "Puntos")
}

// folderFor is where a session's files go: <base>/<date>_<activity>.
func (p *printer) folderFor(info storage.SessionInfo) string {
	return filepath.Join(p.baseFolder(), info.Date+"_"+fileSafe(info.ActivityCode))
}

// documentsDir returns the person's documents folder (the XDG one on
// Linux, so "Documentos" on a Spanish desktop), else their home.
func documentsDir() string {
	home, err := os.UserHomeDir()
	if err != nil {
		return os.TempDir()
	}
	candidates := []string{os.Getenv("XDG_DOCUMENTS_DIR"), xdgDocuments(home),
		filepath.Join(home, "Documents"), filepath.Join(home, "Documentos")}
	for _, c := range candidates {
		if c == "" || c == home {
			continue
		}
		if fi, err := os.Stat(c); err == nil && fi.IsDir() {
			return c
		}
	}
	return home
}

// xdgDocuments reads XDG_DOCUMENTS_DIR from user-dirs.dirs, "" if unset.
func xdgDocuments(home string) string {
	cfg, err := os.UserConfigDir()
	if err != nil {
		return ""
	}
	f, err := os.Open(filepath.Join(cfg, "user-dirs.dirs"))
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		v, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "XDG_DOCUMENTS_DIR=")
		if !ok {
			continue
		}
		v = strings.Trim(v, `"`)
		v = strings.Replace(v, "$HOME", home, 1)
		if filepath.IsAbs(v) {
			return v
		}
	}
	return ""
}

// fileSafe is s as part of a folder or file name on any system (see
// domain.FileSafe), "sesion" when nothing is left.
func fileSafe(s string) string { return domain.FileSafe(s, "sesion") }

// within reports whether path is dir or inside it.
func within(dir, path string) bool {
	if dir == "" {
		return false
	}
	d, err1 := filepath.Abs(dir)
	f, err2 := filepath.Abs(path)
	if err1 != nil || err2 != nil {
		return false
	}
	rel, err := filepath.Rel(d, f)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// chooseFolder lets the person pick where printed files go.
func (p *printer) chooseFolder() {
	d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
		if err != nil || u == nil {
			return
		}
		p.setFolder(u.Path())
	}, p.a.win)
	d.SetTitleText(p.a.tr("print.folderTitle"))
	if l := existingLister(p.baseFolder()); l != nil {
		d.SetLocation(l)
	}
	d.Resize(fyne.NewSize(760, 520))
	d.Show()
	kit.NamePlaces(p.a.win, p.a.lang)
}

// existingLister is dir, or its nearest parent that exists, for a file
// dialog to start in; nil when none does.
func existingLister(dir string) fyne.ListableURI {
	for d := dir; ; d = filepath.Dir(d) {
		if fi, err := os.Stat(d); err == nil && fi.IsDir() {
			l, err := fynestorage.ListerForURI(fynestorage.NewFileURI(d))
			if err != nil {
				return nil
			}
			return l
		}
		if filepath.Dir(d) == d {
			return nil
		}
	}
}

// setFolder makes dir the folder for printed files and remembers it. A
// folder inside the data folder is refused: the data folder is the
// app's, and its backups should not fill with PDFs.
func (p *printer) setFolder(dir string) bool {
	if within(p.a.opt.DataDir, dir) {
		p.a.showError(p.a.tr("print.folderInData"))
		return false
	}
	p.base = dir
	p.showFolder()
	p.a.work.Write(func() {
		if err := p.a.st.SetSetting(p.a.ctx, settingPrintFolder, dir); err != nil {
			slog.Error("save print folder", "err", err)
			p.a.do(func() { p.a.showError(p.a.tr("print.folderSaveFail")) })
		}
	})
	return true
}

// ready reports whether a print action may start now.
func (p *printer) ready() bool {
	return p.rs != nil && !p.busy && p.v.info.ActivityCode != ""
}

// printSheet prints the session's attendance sheet: while it is open,
// who checked in so far and blank rows; once closed, with statuses.
func (p *printer) printSheet() {
	p.writeOne(printSheet, "print.workingSheet", "planilla", ".pdf", func(id, path string) error {
		return reports.PrintSheet(p.a.ctx, p.rs, id, nil, sheetBlankRows, path)
	})
}

// printCertificates issues a closed session's certificates: one PDF to
// print and one file per person. An open session gets an explanation.
func (p *printer) printCertificates() {
	if !p.ready() {
		return
	}
	info := p.v.info
	if info.State != domain.Closed {
		p.explainOpen()
		return
	}
	p.run(printCertificates, info, "print.workingCerts", func(dir string) printResult {
		run, err := reports.PrintCertificates(p.a.ctx, p.rs, info.ID, dir, func(done, total int) {
			if total > 0 {
				p.progress.Set(float64(done) / float64(total))
			}
		})
		r := printResult{run: run, err: err}
		if err == nil && len(run.SessionPDFs) == 0 {
			p.progress.Set(1) // nothing to draw
		}
		if len(run.SessionPDFs) > 0 {
			r.main = run.SessionPDFs[0]
		}
		return r
	})
}

// exportCSV writes the session's attendance as CSV for Excel.
func (p *printer) exportCSV() {
	p.writeOne(printCSV, "print.workingCSV", "asistencia", ".csv", func(id, path string) error {
		return reports.ExportAttendance(p.a.ctx, p.rs, id, ';', path)
	})
}

// writeOne runs a print action that writes one file, named
// prefix_DATE_ACTIVITY.ext, with write(sessionID, path).
func (p *printer) writeOne(kind printKind, working, prefix, ext string, write func(id, path string) error) {
	if !p.ready() {
		return
	}
	info := p.v.info
	p.run(kind, info, working, func(dir string) printResult {
		path := filepath.Join(dir, prefix+"_"+info.Date+"_"+fileSafe(info.ActivityCode)+ext)
		err := write(info.ID, path)
		if err == nil {
			p.progress.Set(1)
		}
		return printResult{main: path, err: err}
	})
}

// run shows the progress dialog and runs work on the write queue (issuing
// writes to the store, and so no check-in races it), then shows the
// result in one step on the main goroutine.
func (p *printer) run(kind printKind, info storage.SessionInfo, title string, work func(dir string) printResult) {
	dir := p.folderFor(info)
	if within(p.a.opt.DataDir, dir) {
		p.a.showError(p.a.tr("print.folderInData"))
		return
	}
	p.setBusy(true)
	p.progress.Set(0)
	p.showWorking(title, dir)
	p.a.work.Write(func() {
		var r printResult
		if err := os.MkdirAll(dir, 0o755); err != nil {
			r.err = err
		} else {
			r = work(dir)
		}
		r.kind, r.dir, r.closed = kind, dir, info.State == domain.Closed
		p.a.do(func() { p.finish(r) })
	})
}

func (p *printer) setBusy(on bool) {
	p.busy = on
	for _, b := range []*widget.Button{p.sheetButton, p.certButton, p.csvButton, p.folderButton} {
		if on {
			b.Disable()
		} else {
			b.Enable()
		}
	}
}

func (p *printer) showWorking(title, dir string) {
	if p.progBar != nil {
		p.progBar.Unbind()
	}
	bar := widget.NewProgressBarWithData(p.progress)
	p.progBar = bar
	note := kit.Muted(p.a.tr("print.workingNote", dir))
	note.Wrapping = fyne.TextWrapBreak
	d := dialog.NewCustomWithoutButtons(p.a.tr(title),
		container.New(&kit.FixedWidth{W: 460}, container.NewVBox(bar, note)), p.a.win)
	p.working = d
	d.Show()
}

// finish hides the progress and shows what was written, or the error.
func (p *printer) finish(r printResult) {
	p.setBusy(false)
	if p.working != nil {
		p.working.Hide()
		p.working = nil
	}
	p.result = &r
	if r.kind == printCertificates {
		// Issued certificates wait to be sent: the status bar counts them.
		p.a.status.reload()
	}
	var de *domain.Error
	if r.kind == printCertificates && errors.As(r.err, &de) && setupCodes[de.Code] {
		// Nothing was issued: the office is walked through, then the
		// certificates go out.
		showOfficeSetup(p.a, p.a.message(r.err, "print"), p.printCertificates)
		return
	}
	if r.err != nil {
		p.showFailure(r)
		return
	}
	p.showResult(r)
}

// setupCodes are the store's refusals to issue a first certificate that
// the office form fixes.
var setupCodes = map[string]bool{"office_unsigned": true, "verify_url_missing": true, "verify_url_private": true, "verify_url": true}

// errorText is the sentence to show for a print error: that it could not
// write in dir, or the store's message.
func (p *printer) errorText(err error, dir string) string {
	var pe *fs.PathError
	var le *os.LinkError
	if errors.As(err, &pe) || errors.As(err, &le) {
		slog.Error("print", "err", err)
		return p.a.tr("print.cannotWrite", dir)
	}
	return p.a.message(err, "print")
}

func (p *printer) showFailure(r printResult) {
	a := p.a
	title := map[printKind]string{printCertificates: "print.failedCerts", printSheet: "print.failedSheet", printCSV: "print.failedCSV"}[r.kind]
	msg := widget.NewLabel(p.errorText(r.err, r.dir))
	msg.Wrapping = fyne.TextWrapWord
	content := container.NewVBox(msg)
	var de *domain.Error
	if r.kind == printCertificates && !errors.As(r.err, &de) {
		content.Add(kit.Muted(a.tr("print.safeNote")))
	}
	d := dialog.NewCustom(a.tr(title), a.tr("dialog.close"), container.New(&kit.FixedWidth{W: 480}, content), a.win)
	d.SetIcon(theme.ErrorIcon())
	p.shown = d
	d.Show()
}

// showResult lists what was written, with buttons to open it.
func (p *printer) showResult(r printResult) {
	a := p.a
	title, body := p.resultBody(r)
	d := dialog.NewCustomWithoutButtons(title, container.New(&kit.FixedWidth{W: 560}, body), a.win)
	var buttons []fyne.CanvasObject
	closeButton := widget.NewButton(a.tr("dialog.close"), func() { d.Hide() })
	buttons = append(buttons, closeButton)
	folderButton := widget.NewButtonWithIcon(a.tr("print.openFolder"), theme.FolderOpenIcon(), func() { p.openPath(r.dir, r.dir) })
	buttons = append(buttons, folderButton)
	if r.main != "" {
		label := "print.openPDF"
		if r.kind == printCSV {
			label = "print.openFile"
		}
		open := widget.NewButtonWithIcon(a.tr(label), theme.FileIcon(), func() {
			d.Hide()
			p.openPath(r.main, r.dir)
		})
		open.Importance = widget.HighImportance
		buttons = append(buttons, open)
	} else {
		folderButton.Importance = widget.HighImportance
	}
	d.SetButtons(buttons)
	d.SetOnClosed(func() {
		if p.shown == d {
			p.shown = nil
		}
	})
	p.shown = d
	d.Show()
}

// resultBody says what a print action wrote: a title, and lines with
// the files and their folder.
func (p *printer) resultBody(r printResult) (title string, body *fyne.Container) {
	a := p.a
	body = container.NewVBox()
	line := func(text string) *widget.Label {
		l := widget.NewLabel(text)
		l.Wrapping = fyne.TextWrapWord
		body.Add(l)
		return l
	}
	fileRow := func(label, path string) {
		name := widget.NewLabelWithStyle(filepath.Base(path), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		name.Truncation = fyne.TextTruncateEllipsis
		body.Add(container.New(layout.NewCustomPaddedVBoxLayout(-12), kit.Muted(label), name))
	}
	switch r.kind {
	case printCertificates:
		iss := r.run.Issue
		n := len(iss.Certificates)
		title = a.tr("print.certsTitle")
		switch {
		case n == 0:
			title = a.tr("print.certsNone")
		case n == 1 && iss.New == 1:
			line(a.tr("print.certsOneNew"))
		case n == 1:
			line(a.tr("print.certsOneReprint"))
		case iss.New == n:
			line(a.tr("print.certsAllNew", a.num(n)))
		case iss.New == 0:
			line(a.tr("print.certsAllReprint", a.num(n)))
		default:
			line(a.tr("print.certsSummary", a.count(n, "unit.certificate"), a.count(iss.New, "unit.new"), a.count(n-iss.New, "unit.reprinted")))
		}
		for _, f := range r.run.SessionPDFs {
			fileRow(a.tr("print.toPrint"), f)
		}
		if len(r.run.Files) > 0 {
			body.Add(p.fileList(r.run.Files))
		}
		if len(iss.NotEligible) > 0 {
			body.Add(widget.NewSeparator())
			body.Add(p.notEligibleList(iss.NotEligible))
		}
	case printSheet:
		title = a.tr("print.sheetTitle")
		if r.closed {
			line(a.tr("print.sheetAfter"))
		} else {
			line(a.tr("print.sheetBefore", sheetBlankRows))
		}
		fileRow(a.tr("print.file"), r.main)
	case printCSV:
		title = a.tr("print.csvTitle")
		line(a.tr("print.csvNote"))
		fileRow(a.tr("print.file"), r.main)
	}
	folder := widget.NewLabel(r.dir)
	folder.Wrapping = fyne.TextWrapBreak
	folder.Selectable = true
	body.Add(container.New(layout.NewCustomPaddedVBoxLayout(-12), kit.Muted(a.tr("print.inFolder")), folder))
	return title, body
}

// fileList shows the per-person files' names in a short scroll.
func (p *printer) fileList(files []string) fyne.CanvasObject {
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = filepath.Base(f)
	}
	list := widget.NewList(func() int { return len(names) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			l.SizeName = theme.SizeNameCaptionText
			return l
		},
		func(id widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(names[id]) })
	h := min(float32(len(names)), 4) * 30
	return container.NewBorder(kit.Muted(p.a.tr("print.perPerson", p.a.count(len(files), "unit.file"))), nil, nil, nil,
		container.New(&minHeight{h: h}, list))
}

// notEligibleList names who gets no certificate, and why.
func (p *printer) notEligibleList(ne []storage.NotEligible) fyne.CanvasObject {
	rows := container.NewVBox()
	for _, n := range ne {
		name := widget.NewLabelWithStyle(n.Attendee.Person.FullName(), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		name.Truncation = fyne.TextTruncateEllipsis
		why := widget.NewLabel("DNI " + domain.FormatDNI(n.Attendee.DNI) + " · " + n.Message)
		why.Importance = widget.LowImportance
		why.Truncation = fyne.TextTruncateEllipsis
		rows.Add(container.New(layout.NewCustomPaddedVBoxLayout(-14), name, why))
	}
	title := widget.NewLabelWithStyle(p.a.tr("print.notEligible", p.a.num(len(ne))), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Importance = widget.WarningImportance
	var list fyne.CanvasObject = rows
	if len(ne) > 3 {
		list = container.New(&minHeight{h: 3 * 52}, container.NewVScroll(rows))
	}
	return container.NewBorder(title, nil, nil, nil, list)
}

// explainOpen says why an open session has no certificates yet.
func (p *printer) explainOpen() {
	msg := widget.NewLabel(p.a.tr("print.openExplain"))
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom(p.a.tr("print.openTitle"), p.a.tr("dialog.close"), container.New(&kit.FixedWidth{W: 480}, msg), p.a.win)
	d.SetIcon(theme.InfoIcon())
	p.shown = d
	d.Show()
}

// openPath shows a file or folder with the system's viewer. When a file
// does not open (no PDF viewer installed), it offers to show its folder
// instead, or to copy the file's path.
func (p *printer) openPath(path, dir string) {
	err := p.open(fileURL(path))
	if err == nil {
		return
	}
	slog.Error("open with the system viewer", "err", err)
	a := p.a
	if path == dir {
		a.showError(a.tr("print.cannotOpen", filepath.Base(path), dir))
		return
	}
	msg := widget.NewLabel(a.tr("print.noViewer", filepath.Base(path), dir))
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomWithoutButtons(a.tr("print.noViewerTitle"), container.New(&kit.FixedWidth{W: 480}, msg), a.win)
	folder := widget.NewButtonWithIcon(a.tr("print.showInFolder"), theme.FolderOpenIcon(), func() {
		d.Hide()
		if err := p.open(fileURL(dir)); err != nil {
			slog.Error("open the folder with the system viewer", "err", err)
			a.showError(a.tr("print.cannotOpen", filepath.Base(path), dir))
		}
	})
	folder.Importance = widget.HighImportance
	copyPath := widget.NewButtonWithIcon(a.tr("print.copyPath"), theme.ContentCopyIcon(), func() {
		fyne.CurrentApp().Clipboard().SetContent(path)
	})
	d.SetButtons([]fyne.CanvasObject{widget.NewButton(a.tr("dialog.close"), d.Hide), copyPath, folder})
	p.shown = d
	d.Show()
}

// fileURL is the file:// URL of a local path, on every system
// (C:\x becomes file:///C:/x).
func fileURL(path string) *url.URL {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return &url.URL{Scheme: "file", Path: p}
}
