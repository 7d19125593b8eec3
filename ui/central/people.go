package central

import (
	"context"
	"fmt"
	"io"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/puntos-ar/puntos/reports"
	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/sync/jws"
	"github.com/puntos-ar/puntos/sync/wire"
	"github.com/puntos-ar/puntos/ui/kit"
)

// peopleTab is the people tab: find a person by DNI, CUIL or name,
// see their ledger by year against the points required and where each
// entry came from, reverse an entry, print their official statement, and
// revoke a certificate.
type peopleTab struct {
	c *Workspace

	search       *widget.Entry
	searchButton *widget.Button
	resultList   *widget.List
	found        []wire.StaffPerson

	ledger     wire.PersonLedger
	name       *widget.Label
	header     *widget.Label
	years      *fyne.Container
	statements *fyne.Container
	certs      *fyne.Container
	reverse    *reasonBox
	scroll     *container.Scroll // the ledger side, laid out again when it changes

	code       *widget.Entry
	checkBtn   *widget.Button
	revokeBtn  *widget.Button
	certStatus *widget.Label
	revoke     *reasonBox

	content fyne.CanvasObject
}

func newPeopleTab(c *Workspace) *peopleTab {
	v := &peopleTab{c: c}
	v.search = kit.NewEntry(c.tr("people.search"))
	v.search.OnSubmitted = func(string) { v.find() }
	v.searchButton = widget.NewButtonWithIcon(c.tr("people.searchButton"), theme.SearchIcon(), v.find)
	v.resultList = labelList(func() int { return len(v.found) }, func(i int) string {
		p := v.found[i]
		return c.tr("people.result", p.FullName(), domain.FormatDNI(p.DNI), orText(p.Agency, c.tr("compliance.noAgency")),
			orText(p.Province, c.tr("compliance.noProvince")), c.count(p.Points, "unit.pointsYear"))
	})
	v.resultList.OnSelected = func(i widget.ListItemID) {
		if i < len(v.found) {
			v.open(v.found[i].DNI)
		}
	}
	v.name = widget.NewLabelWithStyle(c.tr("people.pick"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.name.SizeName = theme.SizeNameSubHeadingText
	v.header = kit.Muted("")
	v.years = container.NewVBox()
	v.statements = container.NewHBox()
	v.certs = container.NewVBox()
	v.reverse = newReasonBox(c, c.tr("reverse.confirm"), func() { v.scroll.Refresh() })

	v.code = kit.NewEntry("ABCD-EFGH-JK")
	v.checkBtn = widget.NewButton(c.tr("cert.check"), v.check)
	v.revokeBtn = widget.NewButton(c.tr("cert.revoke"), v.askRevoke)
	v.revokeBtn.Importance = widget.DangerImportance
	if !c.can(wire.RoleReviewer) {
		v.revokeBtn.Hide()
	}
	v.certStatus = widget.NewLabel("")
	v.certStatus.Wrapping = fyne.TextWrapWord
	v.revoke = newReasonBox(c, c.tr("cert.revokeConfirm"), func() { v.scroll.Refresh() })

	left := container.NewBorder(container.NewBorder(nil, nil, nil, v.searchButton, v.search), nil, nil, nil, v.resultList)
	ledger := container.NewVBox(v.name, v.header, v.statements, v.years, v.reverse.box, widget.NewSeparator(),
		kit.Bold(c.tr("people.certs")), v.certs, widget.NewSeparator(),
		kit.Bold(c.tr("cert.title")), container.NewBorder(nil, nil, widget.NewLabel(c.tr("cert.code")), container.NewHBox(v.checkBtn, v.revokeBtn), v.code),
		v.certStatus, v.revoke.box)
	v.scroll = container.NewVScroll(container.New(&kit.PaddedBy{H: 12, V: 8}, ledger))
	split := container.NewHSplit(container.New(&kit.PaddedBy{H: 8, V: 8}, left), v.scroll)
	split.Offset = 0.35
	v.content = split
	return v
}

// orText is s, or other when s is empty.
func orText(s, other string) string {
	if strings.TrimSpace(s) == "" {
		return other
	}
	return s
}

// find searches people.
func (v *peopleTab) find() {
	q := strings.TrimSpace(v.search.Text)
	if q == "" {
		return
	}
	c := v.c
	c.call(func(ctx context.Context, api API) (func(), error) {
		ps, err := api.FindPeople(ctx, q)
		return func() {
			v.found = ps
			v.resultList.UnselectAll()
			v.resultList.Refresh()
			if len(ps) == 0 {
				c.setStatus(c.tr("people.none"), false)
			} else {
				c.setStatus("", false)
			}
			if len(ps) == 1 {
				v.open(ps[0].DNI)
			}
		}, err
	})
}

// open loads a person's ledger.
func (v *peopleTab) open(dni string) {
	c := v.c
	c.call(func(ctx context.Context, api API) (func(), error) {
		l, err := api.Ledger(ctx, dni)
		return func() { v.show(l) }, err
	})
}

// reload loads again the ledger on show, if any (a review decision may
// have changed its points).
func (v *peopleTab) reload() {
	if dni := v.ledger.Person.DNI; dni != "" {
		v.open(dni)
	}
}

func (v *peopleTab) show(l wire.PersonLedger) {
	c := v.c
	v.ledger = l
	p := l.Person
	v.reverse.hide()
	v.name.SetText(p.FullName())
	v.header.SetText(c.tr("people.header", domain.FormatDNI(p.DNI), orText(domain.FormatCUIL(p.CUIL), "—"),
		orText(p.Agency, c.tr("compliance.noAgency")), orText(p.Province, c.tr("compliance.noProvince"))))
	// Statements for this year and each year with entries.
	this := wire.LocalDate(c.opt.Now()).Year()
	years := []int{this}
	for _, y := range l.Years {
		if y.Year != this {
			years = append(years, y.Year)
		}
	}
	v.statements.Objects = nil
	for _, y := range years {
		v.statements.Add(widget.NewButtonWithIcon(c.tr("people.statement", y), theme.DocumentPrintIcon(), func() { v.saveStatement(y) }))
	}
	v.statements.Refresh()
	v.years.Objects = nil
	if len(l.Years) == 0 {
		v.years.Add(kit.Muted(c.tr("people.noEntries")))
	}
	for _, y := range l.Years {
		line := c.tr("people.year", y.Year, y.Points, y.Required)
		if miss := y.Required - y.Points; miss > 0 {
			line += " · " + c.count(miss, "people.yearMissing")
		} else {
			line += " · " + c.tr("people.yearDone")
		}
		progress := widget.NewProgressBar()
		progress.Max = float64(max(y.Required, 1))
		progress.SetValue(float64(min(max(y.Points, 0), y.Required)))
		progress.TextFormatter = func() string { return "" }
		v.years.Add(kit.Bold(line))
		v.years.Add(progress)
		for _, e := range y.Entries {
			v.years.Add(v.entryRow(e))
		}
	}
	v.years.Refresh()
	v.certs.Objects = nil
	if len(l.Certificates) == 0 {
		v.certs.Add(kit.Muted(c.tr("people.noCerts")))
	}
	for _, cc := range l.Certificates {
		code := cc.Code
		pick := widget.NewButton(code, func() { v.code.SetText(code); v.check() })
		pick.Importance = widget.LowImportance
		v.certs.Add(container.NewBorder(nil, nil, pick, nil, widget.NewLabel(c.tr("people.cert", cc.Activity, dayText(cc.Date), v.certState(cc)))))
	}
	v.certs.Refresh()
	v.scroll.Refresh()
}

// entryRow shows a ledger entry with where it came from, and a reverse
// button for a credit not reversed yet.
func (v *peopleTab) entryRow(e wire.LedgerLine) fyne.CanvasObject {
	c := v.c
	title := widget.NewLabel(c.tr("people.entry", orText(dayText(e.SessionDate), "—"), orText(e.Activity, e.ActivityCode), c.points(e.Points)))
	var origin string
	switch {
	case e.Kind == "reversal":
		origin = c.tr("people.reversal", e.ID, e.Reverses, e.Actor, e.Reason)
		title.Importance = widget.DangerImportance
	case e.Actor != "":
		origin = c.tr("people.creditStaff", e.ID, e.Actor, e.Reason)
	default:
		origin = c.tr("people.credit", e.ID, e.DeviceName, e.Office)
	}
	if e.ReversedBy != 0 {
		origin += " · " + c.tr("people.reversed", e.ReversedBy)
	}
	info := kit.Muted(origin)
	row := container.NewVBox(title, info)
	if e.Kind == "credit" && e.ReversedBy == 0 && c.can(wire.RoleReviewer) {
		b := widget.NewButton(c.tr("people.reverse"), func() { v.askReverse(e) })
		b.Importance = widget.LowImportance
		return container.NewBorder(nil, nil, nil, container.NewVBox(layout.NewSpacer(), b), row)
	}
	return row
}

// askReverse asks for the reason to reverse an entry.
func (v *peopleTab) askReverse(e wire.LedgerLine) {
	c := v.c
	v.reverse.ask(c.tr("people.reverseAsk", e.ID, c.points(e.Points)), func(reason string) {
		dni := v.ledger.Person.DNI
		c.call(func(ctx context.Context, api API) (func(), error) {
			if _, err := api.Reverse(ctx, e.ID, reason); err != nil {
				return nil, err
			}
			l, err := api.Ledger(ctx, dni)
			return func() {
				v.show(l)
				c.setStatus(c.tr("people.reverseOK"), false)
			}, err
		})
	})
}

// certState says whether a certificate is genuine or revoked.
func (v *peopleTab) certState(cc wire.CertificateCheck) string {
	if cc.Status == wire.CertRevoked {
		return v.c.tr("cert.revoked", v.c.when(cc.RevokedAt), cc.RevokeReason)
	}
	return v.c.tr("cert.genuine")
}

// check shows what the verification page says of the code typed.
func (v *peopleTab) check() {
	c := v.c
	code := strings.TrimSpace(v.code.Text)
	if code == "" {
		return
	}
	c.call(func(ctx context.Context, api API) (func(), error) {
		cc, err := api.Certificate(ctx, code)
		return func() { v.showCert(cc) }, err
	})
}

func (v *peopleTab) showCert(cc wire.CertificateCheck) {
	c := v.c
	v.certStatus.SetText(c.tr("cert.status", cc.Code, v.certState(cc), cc.Name, cc.Activity))
	if cc.Status == wire.CertRevoked {
		v.certStatus.Importance = widget.DangerImportance
	} else {
		v.certStatus.Importance = widget.SuccessImportance
	}
	v.certStatus.Refresh()
	v.scroll.Refresh()
}

// askRevoke asks for the reason to revoke the certificate typed.
func (v *peopleTab) askRevoke() {
	c := v.c
	code := strings.TrimSpace(v.code.Text)
	if code == "" {
		return
	}
	v.revoke.ask(c.tr("cert.revokeAsk", code), func(reason string) {
		dni := v.ledger.Person.DNI
		c.call(func(ctx context.Context, api API) (func(), error) {
			cc, err := api.RevokeCertificate(ctx, code, reason)
			if err != nil {
				return nil, err
			}
			var l wire.PersonLedger
			if dni != "" {
				if l, err = api.Ledger(ctx, dni); err != nil {
					return nil, err
				}
			}
			return func() {
				v.revoke.hide()
				v.showCert(cc)
				if dni != "" {
					v.show(l)
				}
				c.setStatus(v.certStatus.Text, false)
			}, nil
		})
	})
}

// statement builds a person's official statement of a year from their
// ledger.
func (v *peopleTab) statement(year int) reports.Statement {
	c, l := v.c, v.ledger
	s := reports.Statement{FullName: l.Person.FullName(), DNI: l.Person.DNI, CUIL: l.Person.CUIL, Agency: l.Person.Agency,
		Year: year, Required: domain.RequiredPoints, Provisional: false, Issuer: c.tr("statement.issuer"), GeneratedAt: c.opt.Now()}
	for _, y := range l.Years {
		if y.Year != year {
			continue
		}
		if y.Signed != "" && l.PublicURL != "" {
			s.VerifyURL = jws.URL(l.PublicURL, y.Signed) // signed by the registry
		}
		for _, e := range y.Entries {
			status := c.tr("statement.credit")
			if e.Kind == "reversal" {
				status = c.tr("statement.reversal")
				if e.Reason != "" {
					status += ": " + e.Reason
				}
			}
			s.Entries = append(s.Entries, reports.StatementEntry{Date: dayText(e.SessionDate), ActivityTitle: orText(e.Activity, e.ActivityCode),
				ActivityType: e.ActivityType, Hours: e.Hours, Points: e.Points, Status: status})
		}
	}
	return s
}

// saveStatement saves the official statement of a year as a PDF.
func (v *peopleTab) saveStatement(year int) {
	c := v.c
	s := v.statement(year)
	name := fmt.Sprintf("constancia-%s-%d.pdf", s.DNI, year)
	c.opt.Save(name, func(w io.WriteCloser, err error) {
		if err != nil || w == nil {
			if err != nil {
				c.fail(err)
			}
			return
		}
		// The statement is made here, from the ledger on screen: no call.
		c.work.Write(func() {
			err := reports.StatementPDF(w, s)
			if cerr := w.Close(); err == nil {
				err = cerr
			}
			c.do(func() {
				if err != nil {
					c.fail(err)
					return
				}
				c.setStatus(c.tr("central.saved", name), false)
			})
		})
	})
}
