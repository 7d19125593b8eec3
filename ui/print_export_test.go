package ui

import (
	"net/url"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/puntos-ar/puntos/reports"
)

// Session screen print actions.
func (a *App) PrintSheetButton() *widget.Button      { return a.checkin.print.sheetButton }
func (a *App) PrintCertsButton() *widget.Button      { return a.checkin.print.certButton }
func (a *App) PrintCSVButton() *widget.Button        { return a.checkin.print.csvButton }
func (a *App) PrintFolderText() string               { return a.checkin.print.folderLabel.Text }
func (a *App) SetPrintFolder(dir string) bool        { return a.checkin.print.setFolder(dir) }
func (a *App) SetOpener(fn func(*url.URL) error)     { a.checkin.print.open = fn }
func (a *App) PrintProgressBar() *widget.ProgressBar { return a.checkin.print.progBar }
func (a *App) PrintDialogShowing() bool              { return a.checkin.print.shown != nil }
func FileURL(path string) *url.URL                   { return fileURL(path) }
func FileSafe(s string) string                       { return fileSafe(s) }
func Within(dir, path string) bool                   { return within(dir, path) }

// PrintResult is what the last print action wrote.
type PrintResult struct {
	Dir, Main string
	Run       reports.CertificateRun
	Err       error
}

// LastPrint returns what the last print action wrote, nil before any.
func (a *App) LastPrint() *PrintResult {
	r := a.checkin.print.result
	if r == nil {
		return nil
	}
	return &PrintResult{Dir: r.dir, Main: r.main, Run: r.run, Err: r.err}
}

// Office form.

// OfficeButton returns the settings screen's button that opens the form.
func (a *App) OfficeButton() *widget.Button {
	for _, o := range test.LaidOutObjects(a.settings.content) {
		if b, ok := o.(*widget.Button); ok && b.Text == a.tr("office.open") {
			return b
		}
	}
	return nil
}

// OfficeForm returns the office form showing, nil if none is.
func (a *App) OfficeForm() *officeForm {
	top := a.win.Canvas().Overlays().Top()
	if top == nil {
		return nil
	}
	for _, o := range test.LaidOutObjects(top) {
		if f, ok := o.(*officeForm); ok && f.Visible() {
			return f
		}
	}
	return nil
}

func (f *officeForm) Entry(name string) *widget.Entry {
	switch name {
	case "name":
		return f.name
	case "subtitle":
		return f.subtitle
	case "url":
		return f.url
	case "sig1.name", "sig2.name":
		return f.sigs[name[3]-'1'].name
	case "sig1.role", "sig2.role":
		return f.sigs[name[3]-'1'].role
	}
	return nil
}

func (f *officeForm) slot(key string) *imageSlot {
	switch key {
	case "logo":
		return f.logo
	case "sig1.image", "sig2.image":
		return f.sigs[key[3]-'1'].image
	}
	return nil
}

func (f *officeForm) ChooseImage(key, path string)           { f.slot(key).loadFile(path) }
func (f *officeForm) RemoveButton(key string) *widget.Button { return f.slot(key).drop }
func (f *officeForm) ImageText(key string) string            { return f.slot(key).what.Text }
func (f *officeForm) HasThumbnail(key string) bool           { return len(f.slot(key).thumb.Objects) > 0 }
func (f *officeForm) Error(key string) string                { return f.fields[key].ErrorText() }
func (f *officeForm) Status() string {
	if !f.status.Visible() {
		return ""
	}
	return f.status.Text
}
func (f *officeForm) SaveButton() *widget.Button   { return f.save }
func (f *officeForm) CancelButton() *widget.Button { return f.cancel }

func (f *officeForm) ScrollOffset() float32 { return f.scroll.Offset.Y }
func (f *officeForm) ScrollToBottom()       { f.scroll.ScrollToBottom() }

func (f *officeForm) IntroText() string             { return f.intro.Text }
func (f *officeForm) PreviewButton() *widget.Button { return f.preview }
func (f *officeForm) PreviewPath() string           { return f.previewPath }
