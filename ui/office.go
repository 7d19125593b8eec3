package ui

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/puntos-ar/puntos/reports"
	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/ui/kit"
)

// officeEntry is the settings screen's "Oficina emisora" section: a
// button that opens the office form.
func officeEntry(a *App) fyne.CanvasObject {
	open := widget.NewButtonWithIcon(a.tr("office.open"), theme.DocumentCreateIcon(), func() { showOfficeForm(a) })
	box := container.NewVBox(kit.Bold(a.tr("office.entryTitle")), kit.Muted(a.tr("office.entryHint")), container.NewHBox(open))
	if a.opt.Reports == nil {
		open.Disable()
	}
	return box
}

// officeForm edits the office that issues certificates: its name,
// department, verification address, logo and up to two signatories. An
// image is checked as soon as it is chosen and refused with the reason
// next to it, so a bad file never reaches a certificate.
type officeForm struct {
	widget.BaseWidget
	a  *App
	rs Reports

	intro    *widget.Label
	name     *widget.Entry
	subtitle *widget.Entry
	url      *widget.Entry
	urlHint  *widget.Label
	fields   map[string]*kit.Field
	logo     *imageSlot
	sigs     [reports.MaxSignatories]*signatoryBox
	status   *widget.Label
	save     *widget.Button
	cancel   *widget.Button
	page     *fyne.Container
	scroll   *container.Scroll
	content  fyne.CanvasObject
	preview  *widget.Button
	// previewPath is the last preview written, for tests.
	previewPath string
	dlg         *dialog.CustomDialog
	loaded      bool
	saving      bool
	// setup is set when the form walks the coordinator through the office
	// before the first certificate: a signatory with a role is required,
	// and then runs after a save.
	setup bool
	then  func()
}

// signatoryBox is one signature block of the form.
type signatoryBox struct {
	name  *widget.Entry
	role  *widget.Entry
	image *imageSlot
}

// showOfficeForm opens the office form in a dialog; the stored settings
// load in the background.
func showOfficeForm(a *App) *officeForm {
	if a.opt.Reports == nil {
		a.showError(a.tr("print.notAvailable"))
		return nil
	}
	f := newOfficeForm(a, a.opt.Reports)
	d := dialog.NewCustomWithoutButtons(a.tr("office.title"), f, a.win)
	d.SetButtons([]fyne.CanvasObject{f.cancel, f.preview, f.save})
	f.dlg = d
	size := a.win.Canvas().Size()
	d.Resize(fyne.NewSize(min(760, size.Width-40), min(720, size.Height-40)))
	d.Show()
	f.loadStored()
	return f
}

// showOfficeSetup opens the office form before the first certificate:
// why certificates cannot go out yet (why, a sentence from the store), the
// fields to fill, a preview, and then, once saved.
func showOfficeSetup(a *App, why string, then func()) *officeForm {
	f := showOfficeForm(a)
	if f == nil {
		return nil
	}
	f.setup, f.then = true, then
	f.intro.SetText(a.tr("office.setupIntro", why))
	f.intro.Importance = widget.WarningImportance
	f.intro.Refresh()
	f.save.SetText(a.tr("office.saveAndIssue"))
	return f
}

func newOfficeForm(a *App, rs Reports) *officeForm {
	f := &officeForm{a: a, rs: rs, fields: map[string]*kit.Field{}}
	f.intro = kit.Muted(a.tr("office.intro"))
	f.intro.Wrapping = fyne.TextWrapWord
	f.name = widget.NewEntry()
	f.subtitle = kit.NewEntry(a.tr("office.subtitleHint"))
	f.url = kit.NewEntry("https://puntos.gob.ar")
	f.urlHint = kit.Muted("")
	f.fields["name"] = kit.NewField(a.tr("office.name"), f.name)
	f.fields["subtitle"] = kit.NewField(a.tr("office.subtitle"), f.subtitle)
	f.fields["url"] = kit.NewField(a.tr("office.url"), container.NewVBox(f.url, f.urlHint))
	f.logo = newImageSlot(f, "logo", a.tr("office.logo"), fyne.NewSize(200, 72), false)

	page := container.NewVBox(f.intro,
		f.fields["name"].Box, f.fields["subtitle"].Box, f.fields["url"].Box,
		widget.NewSeparator(), f.logo.field.Box, widget.NewSeparator(),
		kit.Bold(a.tr("office.signatures")), kit.Muted(a.tr("office.sigHint")))
	// The two signature blocks side by side, as on the certificate.
	cols := container.NewGridWithColumns(len(f.sigs))
	for i := range f.sigs {
		s := &signatoryBox{name: widget.NewEntry(), role: widget.NewEntry()}
		key := fmt.Sprintf("sig%d", i+1)
		s.image = newImageSlot(f, key+".image", a.tr("office.sigImage"), fyne.NewSize(200, 64), true)
		f.fields[key+".name"] = kit.NewField(a.tr("office.sigName"), s.name)
		f.fields[key+".role"] = kit.NewField(a.tr("office.sigRole"), s.role)
		f.sigs[i] = s
		title := kit.Heading(a.tr("office.signatory", i+1))
		title.SizeName = theme.SizeNameText
		cols.Add(container.NewVBox(title, f.fields[key+".name"].Box, f.fields[key+".role"].Box, s.image.field.Box))
	}
	page.Add(cols)
	// An error goes away as soon as its field is edited.
	clearOnEdit := func(e *widget.Entry, key string, then func()) {
		e.OnChanged = func(string) {
			f.edited(key)
			if then != nil {
				then()
			}
		}
	}
	clearOnEdit(f.name, "name", nil)
	clearOnEdit(f.url, "url", f.showURLHint)
	for i, sg := range f.sigs {
		clearOnEdit(sg.name, fmt.Sprintf("sig%d.name", i+1), nil)
		clearOnEdit(sg.role, fmt.Sprintf("sig%d.name", i+1), nil)
	}
	f.status = widget.NewLabel(a.tr("office.loading"))
	f.status.Wrapping = fyne.TextWrapWord
	page.Add(f.status)

	f.save = widget.NewButtonWithIcon(a.tr("office.save"), theme.DocumentSaveIcon(), f.submit)
	f.save.Importance = widget.HighImportance
	f.save.Disable()
	f.cancel = widget.NewButton(a.tr("dialog.cancel"), f.close)
	f.preview = widget.NewButtonWithIcon(a.tr("office.preview"), theme.VisibilityIcon(), f.showPreview)
	f.page = page
	f.scroll = container.NewVScroll(container.New(&kit.PaddedBy{H: 8, V: 0}, page))
	f.content = f.scroll
	f.showURLHint()
	f.ExtendBaseWidget(f)
	return f
}

// CreateRenderer shows the form's fields in a scroll.
func (f *officeForm) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(f.content) }

// MinSize keeps the form readable when the dialog is small.
func (f *officeForm) MinSize() fyne.Size { return fyne.NewSize(560, 420) }

func (f *officeForm) showURLHint() {
	u := strings.TrimRight(strings.TrimSpace(f.url.Text), "/")
	if u == "" {
		f.urlHint.SetText(f.a.tr("office.urlNone"))
		return
	}
	f.urlHint.SetText(f.a.tr("office.urlHint", u))
}

// loadStored fills the form with the stored office, in the background.
func (f *officeForm) loadStored() {
	f.a.work.Write(func() {
		o, err := f.rs.Office(f.a.ctx)
		f.a.do(func() { f.fill(o, err) })
	})
}

func (f *officeForm) fill(o storage.Office, err error) {
	if err != nil {
		f.status.SetText(f.a.message(err, "load office"))
		f.status.Importance = widget.DangerImportance
		f.status.Refresh()
		return
	}
	f.loaded = true
	f.name.SetText(o.Name)
	f.subtitle.SetText(o.Subtitle)
	f.url.SetText(o.VerifyBaseURL)
	f.logo.setStored(o.Logo)
	for i, s := range f.sigs {
		var sg storage.Signatory
		if i < len(o.Signatories) {
			sg = o.Signatories[i]
		}
		s.name.SetText(sg.Name)
		s.role.SetText(sg.Role)
		s.image.setStored(sg.Image)
	}
	f.status.SetText("")
	f.status.Hide()
	f.save.Enable()
}

// office reads the form, marking the fields that need fixing; ok is
// false when some do.
func (f *officeForm) office() (storage.Office, bool) {
	for _, fl := range f.fields {
		if !f.isImage(fl) {
			fl.SetError("")
		}
	}
	ok := true
	o := storage.Office{Name: strings.TrimSpace(f.name.Text), Subtitle: strings.TrimSpace(f.subtitle.Text),
		VerifyBaseURL: strings.TrimSpace(f.url.Text), Logo: f.logo.data}
	if o.Name == "" {
		f.fields["name"].SetError(f.a.tr("office.nameMissing"))
		ok = false
	}
	if o.VerifyBaseURL != "" {
		if u, err := url.Parse(o.VerifyBaseURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			f.fields["url"].SetError(f.a.tr("office.urlBad"))
			ok = false
		}
	}
	for i, s := range f.sigs {
		key := fmt.Sprintf("sig%d", i+1)
		sg := storage.Signatory{Name: strings.TrimSpace(s.name.Text), Role: strings.TrimSpace(s.role.Text), Image: s.image.data}
		if sg.Name == "" && sg.Role == "" && len(sg.Image) == 0 {
			continue
		}
		if sg.Name == "" {
			f.fields[key+".name"].SetError(f.a.tr("office.sigNameMiss"))
			ok = false
		}
		o.Signatories = append(o.Signatories, sg)
	}
	if f.setup && !signed(o) {
		// Certificates need someone signing with a role.
		key := "sig1.role"
		if strings.TrimSpace(f.sigs[0].name.Text) == "" {
			key = "sig1.name"
		}
		if f.fields[key].ErrorText() == "" {
			f.fields[key].SetError(f.a.tr("office.sigNeeded"))
		}
		ok = false
	}
	for _, slot := range f.slots() {
		if slot.busy || slot.field.ErrorText() != "" {
			ok = false
		}
	}
	return o, ok
}

func (f *officeForm) slots() []*imageSlot {
	out := []*imageSlot{f.logo}
	for _, s := range f.sigs {
		out = append(out, s.image)
	}
	return out
}

func (f *officeForm) isImage(fl *kit.Field) bool {
	for _, s := range f.slots() {
		if s.field == fl {
			return true
		}
	}
	return false
}

// submit saves the office in the background; the dialog closes when the
// store took it, or the store's complaint shows next to its field.
func (f *officeForm) submit() {
	if !f.loaded || f.saving {
		return
	}
	o, ok := f.office()
	if !ok {
		f.showStatus(f.a.tr("office.fixFields"), widget.DangerImportance)
		f.scrollToError()
		return
	}
	f.saving = true
	f.save.Disable()
	f.showStatus(f.a.tr("office.saving"), widget.LowImportance)
	f.a.work.Write(func() {
		err := f.rs.SetOffice(f.a.ctx, o)
		f.a.do(func() { f.saved(o, err) })
	})
}

func (f *officeForm) saved(o storage.Office, err error) {
	f.saving = false
	f.save.Enable()
	if err != nil {
		msg := f.a.message(err, "set office")
		var de *domain.Error
		key := ""
		if errors.As(err, &de) {
			key = map[string]string{"office_name": "name", "verify_url": "url", "verify_url_private": "url",
				"signatory_name": "sig1.name"}[de.Code]
		}
		if fl := f.fields[key]; fl != nil {
			fl.SetError(msg)
			f.showStatus(f.a.tr("office.fixFields"), widget.DangerImportance)
			f.scrollToError()
		} else {
			f.showStatus(msg, widget.DangerImportance)
		}
		return
	}
	f.close()
	if f.then != nil {
		f.then()
		return
	}
	d := dialog.NewInformation(f.a.tr("office.entryTitle"), f.a.tr("office.saved", o.Name), f.a.win)
	d.Show()
}

// signed tells whether o has a signatory with a name and a role.
func signed(o storage.Office) bool {
	for _, sg := range o.Signatories {
		if sg.Name != "" && sg.Role != "" {
			return true
		}
	}
	return false
}

// previewCert is the person on a preview certificate.
var previewCert = reports.Certificate{Code: "EJEM-PLO0-0000", Kind: domain.KindAttendance,
	FullName: "María de los Ángeles Fernández Güemes", Surname: "Fernández Güemes", GivenNames: "María de los Ángeles",
	DNI: "20123456", CUIL: "27201234563", ActivityTitle: "Actividad de ejemplo", ActivityType: "Taller", Hours: 4, Points: 6,
	Place: "Ciudad, Provincia"}

// showPreview writes a certificate as the form stands (marked "EJEMPLO —
// SIN VALIDEZ") to a temporary file and opens it in the system viewer.
func (f *officeForm) showPreview() {
	o, ok := f.office()
	if !ok {
		f.showStatus(f.a.tr("office.fixFields"), widget.DangerImportance)
		f.scrollToError()
		return
	}
	ro := reports.OfficeOf(o)
	ro.Demo = true
	c := previewCert
	c.IssuedAt = time.Now().In(domain.Argentina)
	c.Dates = domain.DateSpan(c.IssuedAt.Format("2006-01-02"), c.IssuedAt.Format("2006-01-02"))
	f.preview.Disable()
	f.a.work.Write(func() {
		path, err := writePreview(ro, c)
		f.a.do(func() {
			f.preview.Enable()
			f.previewPath = path
			if err != nil {
				f.showStatus(f.a.message(err, "office preview"), widget.DangerImportance)
				return
			}
			f.a.checkin.print.openPath(path, filepath.Dir(path))
		})
	})
}

// writePreview writes c for o into a new temporary PDF.
func writePreview(o reports.Office, c reports.Certificate) (string, error) {
	tmp, err := os.CreateTemp("", "puntos-vista-previa-*.pdf")
	if err != nil {
		return "", err
	}
	err = reports.CertificateFile(tmp, o, c)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", err
	}
	return tmp.Name(), nil
}

// scrollToError brings the first field showing an error into view,
// unless it already is.
func (f *officeForm) scrollToError() {
	d := fyne.CurrentApp().Driver()
	top := d.AbsolutePositionForObject(f.page).Y
	var first *kit.Field
	var y float32
	for _, fl := range f.fields {
		if fl.ErrorText() == "" {
			continue
		}
		if fy := d.AbsolutePositionForObject(fl.Box).Y - top; first == nil || fy < y {
			first, y = fl, fy
		}
	}
	if first == nil {
		return
	}
	view := f.scroll.Offset.Y
	if y >= view && y+first.Box.Size().Height <= view+f.scroll.Size().Height {
		return
	}
	f.scroll.ScrollToOffset(fyne.NewPos(0, max(y-theme.Padding(), 0)))
}

// edited clears the error of the field with that key, and the form's
// "fix the fields" line once no field shows one.
func (f *officeForm) edited(key string) {
	if fl := f.fields[key]; fl != nil {
		fl.SetError("")
	}
	if f.status.Text != f.a.tr("office.fixFields") {
		return
	}
	for _, fl := range f.fields {
		if fl.ErrorText() != "" {
			return
		}
	}
	f.status.Hide()
}

func (f *officeForm) showStatus(msg string, imp widget.Importance) {
	f.status.SetText(msg)
	f.status.Importance = imp
	f.status.Show()
	f.status.Refresh()
}

func (f *officeForm) close() {
	if f.dlg != nil {
		f.dlg.Hide()
	}
}

// imageSlot is an optional image of the form (the logo, a signature):
// a thumbnail, what it is, and buttons to choose or remove it.
type imageSlot struct {
	f     *officeForm
	key   string
	data  []byte
	thumb *fyne.Container
	what  *widget.Label
	pick  *widget.Button
	drop  *widget.Button
	field *kit.Field
	load  kit.Latest
	seq   int
	busy  bool
}

func newImageSlot(f *officeForm, key, label string, size fyne.Size, stacked bool) *imageSlot {
	a := f.a
	s := &imageSlot{f: f, key: key, load: kit.Latest{Work: a.work}}
	s.thumb = container.NewStack()
	frame := canvas.NewRectangle(color.Transparent)
	frame.StrokeColor = theme.Color(theme.ColorNameInputBorder)
	frame.StrokeWidth = 1
	frame.CornerRadius = 4
	frame.SetMinSize(size)
	s.what = kit.Muted(a.tr("office.noImage"))
	s.what.Wrapping = fyne.TextWrapOff
	s.what.Truncation = fyne.TextTruncateEllipsis
	s.pick = widget.NewButtonWithIcon(a.tr("office.choose"), theme.FolderOpenIcon(), s.chooseFile)
	s.drop = widget.NewButtonWithIcon(a.tr("office.remove"), theme.DeleteIcon(), s.clear)
	s.drop.Importance = widget.LowImportance
	s.drop.Disable()
	box := container.NewStack(frame, container.NewPadded(s.thumb))
	side := container.NewVBox(s.what, container.NewHBox(s.pick, s.drop))
	var row fyne.CanvasObject
	if stacked {
		row = container.NewVBox(container.NewHBox(box), side)
	} else {
		row = container.NewBorder(nil, nil, box, nil,
			container.New(layout.NewCustomPaddedVBoxLayout(0), layout.NewSpacer(), side, layout.NewSpacer()))
	}
	s.field = kit.NewField(label, row)
	f.fields[key] = s.field
	s.show(nil)
	return s
}

// show puts b's thumbnail in the frame, or nothing.
func (s *imageSlot) show(b []byte) {
	if len(b) == 0 {
		s.thumb.Objects = nil
		s.thumb.Refresh()
		return
	}
	img := canvas.NewImageFromReader(bytes.NewReader(b), s.key)
	img.FillMode = canvas.ImageFillContain
	img.ScaleMode = canvas.ImageScaleSmooth
	s.thumb.Objects = []fyne.CanvasObject{img}
	s.thumb.Refresh()
}

// setStored shows the image the store holds.
func (s *imageSlot) setStored(b []byte) {
	s.seq++
	s.data = b
	s.field.SetError("")
	s.show(b)
	if len(b) == 0 {
		s.what.SetText(s.f.a.tr("office.noImage"))
		s.drop.Disable()
	} else {
		s.what.SetText(s.f.a.tr("office.imageStored", kb(len(b))))
		s.drop.Enable()
	}
}

func kb(n int) string { return fmt.Sprint((n + 1023) / 1024) }

func (s *imageSlot) chooseFile() {
	s.f.a.openFile([]string{".png", ".PNG", ".jpg", ".JPG", ".jpeg", ".JPEG"}, s.loadFile, func(d *dialog.FileDialog) {
		if l := existingLister(documentsDir()); l != nil {
			d.SetLocation(l)
		}
		d.Resize(fyne.NewSize(760, 520))
	})
}

// maxImageRead bounds how much of a chosen file is read: past it the
// file is refused without loading it whole.
const maxImageRead = 32 << 20

// loadFile reads and checks the image at path in the background; a good
// one replaces the slot's, a bad one leaves it as it was and says why
// next to it.
func (s *imageSlot) loadFile(path string) {
	s.seq++
	seq := s.seq
	s.busy = true
	s.pick.Disable()
	s.field.SetError("")
	s.what.SetText(s.f.a.tr("office.reading"))
	name := filepath.Base(path)
	s.load.Submit(func() {
		b, why := readImage(path)
		s.f.a.do(func() { s.loaded(seq, name, b, why) })
	})
}

// imageProblem says why a chosen file cannot be used: a label key and its
// arguments after the file's name, put into words on the main goroutine.
type imageProblem struct {
	key  string
	args []any
}

// readImage returns the image at path, or why it cannot be used.
func readImage(path string) ([]byte, *imageProblem) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &imageProblem{key: "office.cannotRead"}
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxImageRead+1))
	if err != nil {
		return nil, &imageProblem{key: "office.cannotRead"}
	}
	if len(b) > maxImageRead {
		return nil, &imageProblem{key: "office.tooBig", args: []any{maxImageRead >> 20}}
	}
	if err := reports.ValidateImage(b); err != nil {
		// reports says what is wrong, in Spanish, after its sentinel.
		why := strings.TrimPrefix(err.Error(), reports.ErrInvalidImage.Error()+": ")
		if !strings.HasSuffix(why, ".") {
			why += "."
		}
		return nil, &imageProblem{key: "office.imageBad", args: []any{why}}
	}
	return b, nil
}

func (s *imageSlot) loaded(seq int, name string, b []byte, why *imageProblem) {
	if seq != s.seq {
		return
	}
	s.busy = false
	s.pick.Enable()
	if why != nil {
		s.field.SetError(s.f.a.tr(why.key, append([]any{name}, why.args...)...))
		s.restoreWhat()
		return
	}
	s.data = b
	s.show(b)
	s.what.SetText(s.f.a.tr("office.imageOK", name, kb(len(b))))
	s.f.edited(s.key)
	s.f.edited(strings.Replace(s.key, ".image", ".name", 1))
	s.drop.Enable()
}

// restoreWhat says what the slot holds after a refused file.
func (s *imageSlot) restoreWhat() {
	if len(s.data) == 0 {
		s.what.SetText(s.f.a.tr("office.noImage"))
	} else {
		s.what.SetText(s.f.a.tr("office.imageStored", kb(len(s.data))))
	}
}

// clear removes the image.
func (s *imageSlot) clear() {
	s.seq++
	s.busy = false
	s.pick.Enable()
	s.data = nil
	s.f.edited(s.key)
	s.f.edited(strings.Replace(s.key, ".image", ".name", 1))
	s.show(nil)
	s.what.SetText(s.f.a.tr("office.noImage"))
	s.drop.Disable()
}
