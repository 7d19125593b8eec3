package ui

import (
	"context"
	"errors"
	"os"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/sync/device"
	"github.com/puntos-ar/puntos/sync/wire"
	"github.com/puntos-ar/puntos/ui/kit"
)

// enrollTimeout bounds an enrollment: a person waits for it.
const enrollTimeout = 45 * time.Second

// enrollView is the settings' "Registro central" section: the device's
// enrollment (registry, office, device ID; never its token) and the form
// that enrolls it with a one-time code from central staff.
type enrollView struct {
	a *App

	state   *widget.Label // "not enrolled yet", when it is not
	info    *fyne.Container
	infoVal map[string]*widget.Label

	again    *widget.Button // shows the form when already enrolled
	againRow *fyne.Container
	form     *fyne.Container
	url      *widget.Entry
	code     *widget.Entry
	name     *widget.Entry
	fields   map[string]*kit.Field
	submit   *widget.Button
	busy     *widget.ProgressBarInfinite
	result   *widget.Label
	content  fyne.CanvasObject
	enrolled bool
	working  bool
	// wantForm keeps the form open once asked for.
	wantForm bool

	read, run kit.Latest
	seq       int
}

// Enrollment fields, in the order shown.
var enrollInfoKeys = []string{"registry", "office", "device", "deviceID", "enrolledAt"}

func newEnrollView(a *App) *enrollView {
	v := &enrollView{a: a, read: kit.Latest{Work: a.work}, run: kit.Latest{Work: a.work}, infoVal: map[string]*widget.Label{}}
	v.state = widget.NewLabel(a.tr("enroll.none"))
	v.state.Importance = widget.WarningImportance
	v.state.Wrapping = fyne.TextWrapWord
	v.state.Hide()
	var cells []fyne.CanvasObject
	for _, k := range enrollInfoKeys {
		val := widget.NewLabel("")
		val.Selectable = true
		val.Truncation = fyne.TextTruncateEllipsis
		v.infoVal[k] = val
		cells = append(cells, kit.Muted(a.tr("enroll.info."+k)), val)
	}
	v.info = container.New(&formColumns{label: 160}, cells...)
	v.info.Hide()

	v.url = kit.NewEntry(a.tr("enroll.urlPlaceholder"))
	v.code = kit.NewEntry(a.tr("enroll.codePlaceholder"))
	v.name = kit.NewEntry(a.tr("enroll.namePlaceholder"))
	if h, err := os.Hostname(); err == nil {
		v.name.SetText(h)
	}
	v.fields = map[string]*kit.Field{
		"url":  kit.NewField(a.tr("enroll.url"), v.url),
		"code": kit.NewField(a.tr("enroll.code"), v.code),
		"name": kit.NewField(a.tr("enroll.name"), v.name),
	}
	v.url.OnSubmitted = func(string) { a.win.Canvas().Focus(v.code) }
	v.code.OnSubmitted = func(string) { a.win.Canvas().Focus(v.name) }
	v.name.OnSubmitted = func(string) { v.enroll() }
	v.submit = widget.NewButtonWithIcon(a.tr("enroll.submit"), theme.LoginIcon(), v.enroll)
	v.submit.Importance = widget.HighImportance
	v.busy = widget.NewProgressBarInfinite()
	v.busy.Hide()
	v.busy.Stop()
	v.result = widget.NewLabel("")
	v.result.Wrapping = fyne.TextWrapWord
	v.result.Hide()
	v.form = container.NewVBox(
		kit.Muted(a.tr("enroll.formHint")),
		v.fields["url"].Box, v.fields["code"].Box, v.fields["name"].Box,
		container.NewBorder(nil, nil, v.submit, nil, v.busy),
	)
	v.again = widget.NewButtonWithIcon(a.tr("enroll.again"), theme.ViewRefreshIcon(), func() {
		v.openForm()
		a.win.Canvas().Focus(v.code)
	})
	v.againRow = container.NewHBox(v.again)
	v.againRow.Hide()
	if a.opt.Enroll == nil {
		v.form.Hide()
	}
	v.content = container.NewVBox(
		kit.Bold(a.tr("enroll.title")), kit.Muted(a.tr("enroll.hint")),
		v.state, v.info, v.againRow, v.form, v.result,
	)
	return v
}

// load reads the enrollment in the background and shows it.
func (v *enrollView) load() {
	v.seq++
	seq := v.seq
	v.read.Submit(func() {
		e, err := v.a.st.Enrollment(v.a.ctx)
		v.a.do(func() { v.showEnrollment(seq, e, err) })
	})
}

func (v *enrollView) showEnrollment(seq int, e wire.Enrollment, err error) {
	if seq != v.seq {
		return
	}
	a := v.a
	switch {
	case errors.Is(err, wire.ErrNotEnrolled):
		v.enrolled = false
		v.state.Importance = widget.WarningImportance
		v.state.SetText(a.tr("enroll.none"))
		v.state.Show()
		v.info.Hide()
	case err != nil:
		v.enrolled = false
		v.state.Importance = widget.DangerImportance
		v.state.SetText(a.message(err, "read enrollment"))
		v.state.Show()
		v.info.Hide()
	default:
		v.enrolled = true
		v.state.Hide()
		if s := a.opt.Sync; s != nil {
			// The registry refused the credentials: its message says why.
			if st := s.SyncState(); st.AuthFailed {
				msg := st.LastError
				if msg == "" {
					msg = a.tr("status.authFailed")
				}
				v.state.Importance = widget.DangerImportance
				v.state.SetText(msg)
				v.state.Show()
				v.wantForm = true
			}
		}
		office := e.Office
		if e.Province != "" {
			office += " (" + e.Province + ")"
		}
		for k, s := range map[string]string{
			"registry": e.Registry, "office": office, "device": e.DeviceName, "deviceID": e.DeviceID,
			"enrolledAt": e.EnrolledAt.In(domain.Argentina).Format("02/01/2006 15:04"),
		} {
			if s == "" {
				s = "—"
			}
			v.infoVal[k].SetText(s)
		}
		v.info.Show()
		if v.url.Text == "" {
			v.url.SetText(e.Registry)
		}
		if e.DeviceName != "" {
			v.name.SetText(e.DeviceName)
		}
	}
	if a.opt.Enroll == nil {
		return
	}
	// Enrolled, the form waits behind "Dar de alta de nuevo…" unless it
	// is in use.
	if v.enrolled && !v.wantForm && !v.working && v.fields["code"].ErrorText() == "" && v.code.Text == "" {
		v.form.Hide()
		v.againRow.Show()
	} else {
		v.openForm()
	}
}

// openForm shows the enrollment form and keeps it open.
func (v *enrollView) openForm() {
	if v.a.opt.Enroll == nil {
		return
	}
	v.wantForm = true
	v.form.Show()
	v.againRow.Hide()
}

// showEnrollment shows the settings scrolled to the enrollment, with its
// form open on the first field to fill.
func (a *App) showEnrollment() {
	a.showSettings()
	v := a.settings.enroll
	v.openForm()
	if s, ok := a.settings.content.(*container.Scroll); ok {
		d := fyne.CurrentApp().Driver()
		off := d.AbsolutePositionForObject(v.content).Y - d.AbsolutePositionForObject(s.Content).Y
		s.ScrollToOffset(fyne.NewPos(0, off))
	}
	focus := v.url
	if v.url.Text != "" {
		focus = v.code
	}
	a.win.Canvas().Focus(focus)
}

// enroll checks the form and enrolls the device in the background; the
// registry's answer shows next to the field it concerns.
func (v *enrollView) enroll() {
	a := v.a
	if a.opt.Enroll == nil || v.working {
		return
	}
	url, code, name := strings.TrimSpace(v.url.Text), strings.TrimSpace(v.code.Text), strings.TrimSpace(v.name.Text)
	for k, s := range map[string]string{"url": url, "code": code, "name": name} {
		v.fields[k].SetError("")
		if s == "" {
			v.fields[k].SetError(a.tr("enroll.err." + k))
		}
	}
	v.result.Hide()
	if url == "" || code == "" || name == "" {
		return
	}
	if _, err := device.NormalizeURL(url); err != nil {
		v.fields["url"].SetError(device.FailureMessage(err))
		return
	}
	v.setWorking(true)
	v.run.Submit(func() {
		ctx, cancel := context.WithTimeout(a.ctx, enrollTimeout)
		defer cancel()
		e, err := a.opt.Enroll.Enroll(ctx, url, code, name)
		a.do(func() { v.enrolledWith(e, err) })
	})
}

// enrolledWith shows how an enrollment went.
func (v *enrollView) enrolledWith(e wire.Enrollment, err error) {
	a := v.a
	v.setWorking(false)
	if err != nil {
		v.showFailure(err)
		return
	}
	v.code.SetText("")
	v.wantForm = false
	office := e.Office
	if e.Province != "" {
		office += " (" + e.Province + ")"
	}
	v.result.Importance = widget.SuccessImportance
	v.result.SetText(a.tr("enroll.done", office))
	v.result.Show()
	v.load()
	a.status.refresh()
}

// showFailure puts a failed enrollment's message next to what caused it.
func (v *enrollView) showFailure(err error) {
	a := v.a
	var f *device.Failure
	if !errors.As(err, &f) {
		v.result.Importance = widget.DangerImportance
		v.result.SetText(a.message(err, "enroll"))
		v.result.Show()
		return
	}
	switch {
	case f.Code == wire.CodeEnrollUnknown || f.Code == wire.CodeEnrollUsed || f.Code == wire.CodeEnrollExpired ||
		f.Code == wire.CodeTooManyAttempts:
		v.fields["code"].SetError(f.Message)
	case f.Code == wire.CodeBadRequest && f.Status == 0:
		v.fields["url"].SetError(f.Message) // the address itself
	case f.Code == wire.CodeBadRequest:
		v.fields["name"].SetError(f.Message)
	case f.Code == device.FailNetwork || f.Code == device.FailTimeout:
		v.fields["url"].SetError(a.tr("enroll.errNetwork"))
	case f.Code == device.FailNotRegistry:
		v.fields["url"].SetError(a.tr("enroll.errNotRegistry"))
	default:
		v.result.Importance = widget.DangerImportance
		v.result.SetText(f.Message)
		v.result.Show()
	}
}

func (v *enrollView) setWorking(on bool) {
	v.working = on
	if on {
		v.submit.Disable()
		v.submit.SetText(v.a.tr("enroll.working"))
		v.busy.Show()
		v.busy.Start()
		return
	}
	v.submit.Enable()
	v.submit.SetText(v.a.tr("enroll.submit"))
	v.busy.Stop()
	v.busy.Hide()
}

// formColumns lays out label and value pairs in two columns: labels in a
// fixed width, values in the rest.
type formColumns struct{ label float32 }

func (c *formColumns) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var h, w float32
	for i := 0; i+1 < len(objs); i += 2 {
		l, r := objs[i].MinSize(), objs[i+1].MinSize()
		h += max(l.Height, r.Height)
		w = max(w, c.label+theme.Padding()+r.Width)
	}
	return fyne.NewSize(min(w, c.label+240), h)
}

func (c *formColumns) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	var y float32
	pad := theme.Padding()
	for i := 0; i+1 < len(objs); i += 2 {
		l, r := objs[i], objs[i+1]
		rh := max(l.MinSize().Height, r.MinSize().Height)
		l.Move(fyne.NewPos(0, y))
		l.Resize(fyne.NewSize(c.label, rh))
		r.Move(fyne.NewPos(c.label+pad, y))
		r.Resize(fyne.NewSize(max(size.Width-c.label-pad, 0), rh))
		y += rh
	}
}
