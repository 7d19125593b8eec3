package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/puntos-ar/puntos/sync/wire"
)

// NewCentralForTest builds the Central workspace like NewCentral, with
// the UI updates of background work queued for Wait (see NewForTest).
func NewCentralForTest(w fyne.Window, opt CentralOptions) *Central {
	return newCentral(w, opt, make(chan func(), 4096))
}

// CentralTexts exposes the Central label table.
func CentralTexts() map[string][2]string {
	out := map[string][2]string{}
	for k, t := range centralTexts {
		out[k] = [2]string{t.es, t.en}
	}
	return out
}

// Login form.
func (c *Central) LoginURL() *widget.Entry      { return c.url }
func (c *Central) LoginUser() *widget.Entry     { return c.username }
func (c *Central) LoginPassword() *widget.Entry { return c.password }
func (c *Central) LoginButton() *widget.Button  { return c.loginButton }
func (c *Central) LoginError() string           { return c.loginError.Text }
func (c *Central) LoggedIn() bool               { return c.api != nil }

// Workspace.
func (c *Central) Who() string                  { return c.who.Text }
func (c *Central) Status() string               { return c.status.Text }
func (c *Central) Tab() int                     { return c.tabs.SelectedIndex() }
func (c *Central) SelectTab(i int)              { c.tabs.SelectIndex(i) }
func (c *Central) LogoutButton() *widget.Button { return c.logoutButton }

// Inbox.
func (c *Central) InboxBatches() []wire.InboxBatch  { return c.inbox.batches }
func (c *Central) OpenBatch(i int)                  { c.inbox.batchList.Select(i) }
func (c *Central) InboxRecords() []wire.StaffRecord { return c.inbox.records }
func (c *Central) OpenRecord(i int)                 { c.inbox.recordList.Select(i) }
func (c *Central) InboxTitle() string               { return c.inbox.title.Text }
func (c *Central) RecordResult() *widget.Select     { return c.inbox.result }
func (c *Central) RecordKind() *widget.Select       { return c.inbox.kind }
func (c *Central) RecordSearch() *widget.Button     { return c.inbox.searchButton }
func (c *Central) OnlyOpen() *widget.Check          { return c.inbox.onlyOpen }

// Review.
func (c *Central) ReviewItem() wire.ReviewItem       { return c.review.item }
func (c *Central) ReviewEdit(f string) *widget.Entry { return c.review.edits[f] }
func (c *Central) ReviewReason() *widget.Entry       { return c.review.reason }
func (c *Central) ReviewAccept() *widget.Button      { return c.review.acceptButton }
func (c *Central) ReviewReject() *widget.Button      { return c.review.rejectButton }
func (c *Central) ReviewResolution() string          { return c.review.resolution.Text }
func (c *Central) ReviewHelp() string                { return c.review.help.Text }

// ReviewRows returns the side-by-side grid as rows of three texts.
func (c *Central) ReviewRows() [][3]string {
	var out [][3]string
	objs := c.review.grid.Objects
	for i := 0; i+2 < len(objs); i += 3 {
		var row [3]string
		for j := range 3 {
			switch o := objs[i+j].(type) {
			case *widget.Label:
				row[j] = o.Text
			case *widget.Entry:
				row[j] = o.Text
			}
		}
		out = append(out, row)
	}
	return out
}

// People.
func (c *Central) PeopleSearch() *widget.Entry        { return c.people.search }
func (c *Central) PeopleSearchButton() *widget.Button { return c.people.searchButton }
func (c *Central) PeopleFound() []wire.StaffPerson    { return c.people.found }
func (c *Central) PersonName() string                 { return c.people.name.Text }
func (c *Central) PersonLedger() wire.PersonLedger    { return c.people.ledger }
func (c *Central) CertCode() *widget.Entry            { return c.people.code }
func (c *Central) CertRevoke() *widget.Button         { return c.people.revokeBtn }
func (c *Central) CertStatus() string                 { return c.people.certStatus.Text }
func (c *Central) RevokeReason() *widget.Entry        { return c.people.revoke.reason }
func (c *Central) RevokeConfirm() *widget.Button      { return c.people.revoke.confirm }
func (c *Central) ReverseReason() *widget.Entry       { return c.people.reverse.reason }
func (c *Central) ReverseConfirm() *widget.Button     { return c.people.reverse.confirm }

// PersonTexts returns the texts of the labels of the ledger by year.
func (c *Central) PersonTexts() []string { return labelTexts(c.people.years) }

// StatementButtons returns the statement buttons, one per year.
func (c *Central) StatementButtons() []*widget.Button { return buttons(c.people.statements) }

// ReverseButtons returns the reverse buttons of the ledger's credits.
func (c *Central) ReverseButtons() []*widget.Button { return buttons(c.people.years) }

// Compliance.
func (c *Central) ComplianceYear() *widget.Entry      { return c.compliance.year }
func (c *Central) ComplianceProvince() *widget.Select { return c.compliance.province }
func (c *Central) ComplianceShow() *widget.Button     { return c.compliance.showButton }
func (c *Central) ComplianceSummary() string          { return c.compliance.summary.Text }
func (c *Central) ComplianceReport() wire.Compliance  { return c.compliance.report }
func (c *Central) ComplianceExports() (people, groups, places, pdf *widget.Button) {
	v := c.compliance
	return v.exportPeople, v.exportGroups, v.exportPlaces, v.exportPDF
}

// ComplianceChart returns the chart's bars as "label value".
func (c *Central) ComplianceChart() []string {
	var out []string
	for _, o := range c.compliance.chart.Objects {
		row := o.(*fyne.Container).Objects
		name := row[0].(*fyne.Container).Objects[0].(*canvas.Text)
		out = append(out, name.Text+" "+row[2].(*canvas.Text).Text)
	}
	return out
}

// Devices.
func (c *Central) Devices() []wire.EnrolledDevice { return c.devices.devices }
func (c *Central) DeviceOffice() *widget.Entry    { return c.devices.office }
func (c *Central) DeviceProvince() *widget.Select { return c.devices.province }
func (c *Central) DeviceCreate() *widget.Button   { return c.devices.createBtn }
func (c *Central) EnrollmentCode() string         { return c.devices.code.Text }
func (c *Central) EnrollmentQRShown() bool {
	return c.devices.qrImage.Visible() && c.devices.qrImage.Image != nil
}
func (c *Central) DeviceRevokeButtons() []*widget.Button { return buttons(c.devices.list) }
func (c *Central) DeviceRevokeReason() *widget.Entry     { return c.devices.revoke.reason }
func (c *Central) DeviceRevokeConfirm() *widget.Button   { return c.devices.revoke.confirm }

// CentralEntryButton returns the settings screen's button that opens the
// Central workspace, or nil.
func (a *App) CentralEntryButton() *widget.Button {
	for _, b := range buttons(a.settings.content) {
		if b.Text == centralText(a.lang, "entry.open") {
			return b
		}
	}
	return nil
}

// OpenCentralForTest opens the Central workspace as the settings button
// does, and returns it.
func (a *App) OpenCentralForTest() *Central { return a.openCentral() }

// CentralURLForTest is the address the login form offers.
func (a *App) CentralURLForTest() string { return a.centralURL() }

// walk calls fn with every object under o.
func walk(o fyne.CanvasObject, fn func(fyne.CanvasObject)) {
	fn(o)
	switch x := o.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			walk(c, fn)
		}
	case *container.Scroll:
		walk(x.Content, fn)
	case *container.Split:
		walk(x.Leading, fn)
		walk(x.Trailing, fn)
	}
}

func buttons(o fyne.CanvasObject) []*widget.Button {
	var out []*widget.Button
	walk(o, func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok {
			out = append(out, b)
		}
	})
	return out
}

func labelTexts(o fyne.CanvasObject) []string {
	var out []string
	walk(o, func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok {
			out = append(out, l.Text)
		}
	})
	return out
}

// Window returns the workspace's window.
func (c *Central) Window() fyne.Window { return c.win }
