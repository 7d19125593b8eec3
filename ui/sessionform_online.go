package ui

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/ui/kit"
)

// onlineFields are the new-session form's fields of a virtual or hybrid
// session: the meeting platform, its link and the connected minutes that
// make a person present (empty: 75% of the scheduled length). They show
// only for those modalities.
type onlineFields struct {
	v                          *sessionForm
	platform, link, minMinutes *widget.Entry
	box                        *fyne.Container
}

func newOnlineFields(v *sessionForm) *onlineFields {
	a := v.a
	o := &onlineFields{v: v, platform: kit.NewEntry("Zoom, Teams, Meet…"), link: kit.NewEntry("https://"),
		minMinutes: kit.NewEntry(a.tr("form.minMinutesPlaceholder"))}
	f := func(name, label string, e *widget.Entry) fyne.CanvasObject {
		fl := kit.NewField(label, e)
		v.fields[name] = fl
		e.OnSubmitted = func(string) { v.submit() }
		e.OnChanged = func(string) { fl.SetError("") }
		return fl.Box
	}
	o.box = container.NewGridWithColumns(3,
		f("platform", a.tr("form.platform"), o.platform),
		f("link", a.tr("form.link"), o.link),
		f("minMinutes", a.tr("form.minMinutes"), o.minMinutes))
	o.box.Hide()
	return o
}

// modality returns the modality the form's choice names.
func (o *onlineFields) modality() domain.Modality {
	switch o.v.modality.Selected {
	case o.v.a.tr("modality.virtual"):
		return domain.Remote
	case o.v.a.tr("modality.hibrida"):
		return domain.Hybrid
	}
	return domain.Presencial
}

// update shows the fields for an online modality.
func (o *onlineFields) update() {
	if o.modality().Online() {
		o.box.Show()
	} else {
		o.box.Hide()
	}
}

func (o *onlineFields) reset() {
	o.platform.SetText("")
	o.link.SetText("")
	o.minMinutes.SetText("")
	o.update()
}

// check copies the fields into s for an online session, noting errors by
// field name.
func (o *onlineFields) check(s *domain.Session, errs map[string]string) {
	s.Modality = o.modality()
	if !s.Modality.Online() {
		return
	}
	s.Platform = strings.TrimSpace(o.platform.Text)
	s.Link = strings.TrimSpace(o.link.Text)
	if s.Link == "https://" {
		s.Link = ""
	}
	if t := strings.TrimSpace(o.minMinutes.Text); t != "" {
		n, err := strconv.Atoi(t)
		if err != nil || n <= 0 {
			errs["minMinutes"] = o.v.a.tr("form.errMinMinutes")
		}
		s.MinMinutes = n
	}
	if (s.Start == "" || s.End == "") && errs["start"] == "" && errs["end"] == "" {
		errs["start"] = o.v.a.tr("form.errTimesOnline")
	}
}
