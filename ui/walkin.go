package ui

import (
	"errors"
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/ui/kit"
)

// walkInForm is the dialog that adds someone who is not on the roster and
// checks them in, pre-filled from the scan or the typed DNI. DNI, surname
// and given names are required; a CUIL, when given, must be valid and
// match the DNI. Each problem shows under its field.
type walkInForm struct {
	v      *checkinView
	dni    *widget.Entry
	cuil   *widget.Entry
	sur    *widget.Entry
	given  *widget.Entry
	agency *widget.Entry
	email  *widget.Entry
	fields map[string]*kit.Field // by domain field name: dni, cuil, surname, given_names, agency, email
	scan   *domain.DNIScan
	save   *widget.Button
	cancel *widget.Button
	other  *widget.Label
	dialog *dialog.CustomDialog
}

func (v *checkinView) showWalkIn(unknown *storage.UnknownPersonError) {
	a := v.a
	f := &walkInForm{v: v, fields: map[string]*kit.Field{}, scan: unknown.Scan}
	entry := func(name, label, text string) *widget.Entry {
		e := widget.NewEntry()
		e.SetText(text)
		e.OnSubmitted = func(string) { f.submit() }
		f.fields[name] = kit.NewField(label, e)
		return e
	}
	var p domain.Person
	if unknown.Scan != nil {
		p = storage.PersonFromScan(*unknown.Scan)
		p.GivenNames = titleCase(p.GivenNames)
	}
	p.DNI = unknown.DNI
	cuil := ""
	if p.CUIL != "" {
		cuil = domain.FormatCUIL(p.CUIL)
	}
	f.dni = entry("dni", a.tr("walkin.dni"), domain.FormatDNI(p.DNI))
	f.cuil = entry("cuil", a.tr("walkin.cuil"), cuil)
	f.cuil.SetPlaceHolder(a.tr("walkin.cuilPlaceholder"))
	f.sur = entry("surname", a.tr("walkin.surname"), p.Surname)
	f.given = entry("given_names", a.tr("walkin.given"), p.GivenNames)
	f.agency = entry("agency", a.tr("walkin.agency"), "")
	f.email = entry("email", a.tr("walkin.email"), "")
	f.other = widget.NewLabel("")
	f.other.Importance = widget.DangerImportance
	f.other.Wrapping = fyne.TextWrapWord
	f.other.Hide()
	intro := widget.NewLabel(a.tr("walkin.intro"))
	intro.Wrapping = fyne.TextWrapWord
	grid := container.NewGridWithColumns(2,
		f.fields["dni"].Box, f.fields["cuil"].Box,
		f.fields["surname"].Box, f.fields["given_names"].Box,
		f.fields["agency"].Box, f.fields["email"].Box)
	content := container.New(&kit.FixedWidth{W: 620}, container.NewVBox(intro, grid, f.other))

	f.save = widget.NewButtonWithIcon(a.tr("walkin.save"), nil, f.submit)
	f.save.Importance = widget.HighImportance
	f.cancel = widget.NewButton(a.tr("dialog.cancel"), f.close)
	f.dialog = dialog.NewCustomWithoutButtons(a.tr("walkin.title"), content, a.win)
	f.dialog.SetButtons([]fyne.CanvasObject{f.cancel, f.save})
	v.walkIn = f
	f.dialog.Show()
	// The first field still to fill takes the focus.
	for _, e := range []*widget.Entry{f.dni, f.sur, f.given, f.agency} {
		if strings.TrimSpace(e.Text) == "" || e == f.agency {
			a.win.Canvas().Focus(e)
			break
		}
	}
}

func (f *walkInForm) close() {
	f.dialog.Hide()
	if f.v.walkIn == f {
		f.v.walkIn = nil
	}
	f.v.focusInput()
}

// check validates every field and shows each problem under its field.
func (f *walkInForm) check() (domain.Person, bool) {
	lang := f.v.a.lang
	errs := map[string]string{}
	p := domain.Person{
		DNI: strings.TrimSpace(f.dni.Text), CUIL: strings.TrimSpace(f.cuil.Text),
		Surname: f.sur.Text, GivenNames: f.given.Text, Agency: f.agency.Text, Email: f.email.Text,
	}
	if d, err := domain.NormalizeDNI(p.DNI); err == nil && f.scan != nil && f.scan.DNI == d {
		p.Sex, p.Birth = f.scan.Sex, f.scan.Birth
	}
	msg := func(code, field string) string {
		return domain.Message(&domain.Error{Code: code, Field: field}, lang)
	}
	dni := ""
	if p.DNI == "" {
		errs["dni"] = msg(domain.CodeRequired, "dni")
	} else if d, err := domain.NormalizeDNI(p.DNI); err != nil {
		errs["dni"] = domain.Message(err, lang)
	} else {
		dni = d
	}
	if p.CUIL != "" {
		if c, err := domain.ParseCUIL(p.CUIL); err != nil {
			errs["cuil"] = domain.Message(err, lang)
		} else if dni != "" && domain.CUILDNI(c) != dni {
			errs["cuil"] = msg(domain.CodeCUILDNIMismatch, "cuil")
		}
	}
	if strings.TrimSpace(p.Surname) == "" {
		errs["surname"] = msg(domain.CodeRequired, "surname")
	}
	if strings.TrimSpace(p.GivenNames) == "" {
		errs["given_names"] = msg(domain.CodeRequired, "given_names")
	}
	// A scanner used while this dialog is open types the next person's
	// barcode into whichever field has the focus.
	for name, e := range map[string]*widget.Entry{"dni": f.dni, "cuil": f.cuil, "surname": f.sur,
		"given_names": f.given, "agency": f.agency, "email": f.email} {
		if domain.LooksLikeScan(e.Text) || (name != "email" && strings.ContainsAny(e.Text, `@"`)) {
			errs[name] = f.v.a.tr("walkin.errScan")
		}
	}
	if len(errs) == 0 {
		// The domain's rules have the last word (the email, the lengths).
		if err := domain.ValidatePerson(&p); err != nil {
			var de *domain.Error
			if errors.As(err, &de) && f.fields[de.Field] != nil {
				errs[de.Field] = domain.Message(err, lang)
			} else {
				errs[""] = domain.Message(err, lang)
			}
		}
	}
	for name, fl := range f.fields {
		fl.SetError(errs[name])
	}
	f.showOther(errs[""])
	return p, len(errs) == 0
}

func (f *walkInForm) showOther(msg string) {
	f.other.SetText(msg)
	f.other.Hidden = msg == ""
	f.other.Refresh()
}

// submit adds and checks in the person in the background; the dialog
// stays open, with what was typed, until that worked.
func (f *walkInForm) submit() {
	p, ok := f.check()
	if !ok {
		return
	}
	v := f.v
	id := v.info.ID
	f.save.Disable()
	v.a.work.Write(func() {
		res, err := v.a.st.WalkIn(v.a.ctx, id, p)
		var n int64
		var list []storage.Attendee
		var lerr error
		if err == nil {
			n, list, lerr = v.snapshot(id)
		}
		v.a.do(func() { f.done(id, res, err, n, list, lerr) })
	})
}

func (f *walkInForm) done(id string, res storage.CheckInResult, err error, n int64, list []storage.Attendee, lerr error) {
	v := f.v
	f.save.Enable()
	if err != nil {
		msg := v.a.message(err, "walk in")
		var de *domain.Error
		if errors.As(err, &de) && f.fields[de.Field] != nil {
			f.fields[de.Field].SetError(msg)
		} else {
			f.showOther(msg)
		}
		return
	}
	f.close()
	if res.Already {
		v.banner.show(bannerAlready, v.a.tr("checkin.already"), res.Person.FullName(),
			v.a.tr("checkin.alreadyDetail", res.Attendance.At.In(domain.Argentina).Format("15:04"), v.a.statusLabel(res.Attendance.Status)))
	} else {
		v.banner.show(bannerOK, v.a.tr("checkin.walkInOK"), res.Person.FullName(), personDetail(res.Person))
	}
	v.applyAttendees(id, n, list, lerr)
}

// titleCase writes "JUAN CARLOS" as "Juan Carlos", as the roster does.
func titleCase(s string) string {
	words := strings.Fields(strings.ToLower(s))
	for i, w := range words {
		r := []rune(w)
		r[0] = unicode.ToUpper(r[0])
		words[i] = string(r)
	}
	return strings.Join(words, " ")
}
