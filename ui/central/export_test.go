package central

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/widget"

	"github.com/puntos-ar/puntos/sync/wire"
	"github.com/puntos-ar/puntos/ui/kit"
)

// NewForTest builds the workspace like New, but the UI updates of
// background work wait in a queue that Wait runs on the test's goroutine,
// as the main loop would.
func NewForTest(w fyne.Window, opt Options) *Workspace {
	return newWorkspace(w, opt, kit.NewTestWork())
}

// Texts exposes the label table.
func Texts() map[string][2]string { return texts }

// Login form.
func (c *Workspace) LoginURL() *widget.Entry      { return c.url }
func (c *Workspace) LoginUser() *widget.Entry     { return c.username }
func (c *Workspace) LoginPassword() *widget.Entry { return c.password }
func (c *Workspace) LoginButton() *widget.Button  { return c.loginButton }
func (c *Workspace) LoginError() string           { return c.loginError.Text }
func (c *Workspace) LoggedIn() bool               { return c.api != nil }

// Workspace.
func (c *Workspace) Who() string                  { return c.who.Text }
func (c *Workspace) Status() string               { return c.status.Text }
func (c *Workspace) Tab() int                     { return c.tabs.SelectedIndex() }
func (c *Workspace) SelectTab(i int)              { c.tabs.SelectIndex(i) }
func (c *Workspace) LogoutButton() *widget.Button { return c.logoutButton }

// Inbox.
func (c *Workspace) InboxBatches() []wire.InboxBatch  { return c.inbox.batches }
func (c *Workspace) OpenBatch(i int)                  { c.inbox.batchList.Select(i) }
func (c *Workspace) InboxRecords() []wire.StaffRecord { return c.inbox.records }
func (c *Workspace) OpenRecord(i int)                 { c.inbox.recordList.Select(i) }
func (c *Workspace) InboxTitle() string               { return c.inbox.title.Text }
func (c *Workspace) RecordResult() *widget.Select     { return c.inbox.result }
func (c *Workspace) RecordKind() *widget.Select       { return c.inbox.kind }
func (c *Workspace) RecordSearch() *widget.Button     { return c.inbox.searchButton }
func (c *Workspace) OnlyOpen() *widget.Check          { return c.inbox.onlyOpen }

// Review.
func (c *Workspace) ReviewItem() wire.ReviewItem       { return c.review.item }
func (c *Workspace) ReviewEdit(f string) *widget.Entry { return c.review.edits[f] }
func (c *Workspace) ReviewReason() *widget.Entry       { return c.review.reason }
func (c *Workspace) ReviewAccept() *widget.Button      { return c.review.acceptButton }
func (c *Workspace) ReviewReject() *widget.Button      { return c.review.rejectButton }
func (c *Workspace) ReviewResolution() string          { return c.review.resolution.Text }
func (c *Workspace) ReviewHelp() string                { return c.review.help.Text }

// ReviewRows returns the side-by-side grid as rows of three texts.
func (c *Workspace) ReviewRows() [][3]string {
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
			case *fyne.Container: // an editable value over its error
				row[j] = o.Objects[0].(*widget.Entry).Text
			}
		}
		out = append(out, row)
	}
	return out
}

// People.
func (c *Workspace) PeopleSearch() *widget.Entry        { return c.people.search }
func (c *Workspace) PeopleSearchButton() *widget.Button { return c.people.searchButton }
func (c *Workspace) PeopleFound() []wire.StaffPerson    { return c.people.found }
func (c *Workspace) PersonName() string                 { return c.people.name.Text }
func (c *Workspace) PersonLedger() wire.PersonLedger    { return c.people.ledger }
func (c *Workspace) CertCode() *widget.Entry            { return c.people.code }
func (c *Workspace) CertRevoke() *widget.Button         { return c.people.revokeBtn }
func (c *Workspace) CertStatus() string                 { return c.people.certStatus.Text }
func (c *Workspace) RevokeReason() *widget.Entry        { return c.people.revoke.reason }
func (c *Workspace) RevokeConfirm() *widget.Button      { return c.people.revoke.confirm }
func (c *Workspace) ReverseReason() *widget.Entry       { return c.people.reverse.reason }
func (c *Workspace) ReverseConfirm() *widget.Button     { return c.people.reverse.confirm }

// PersonTexts returns the texts of the labels of the ledger by year.
func (c *Workspace) PersonTexts() []string { return labelTexts(c.people.years) }

// StatementButtons returns the statement buttons, one per year.
func (c *Workspace) StatementButtons() []*widget.Button { return buttons(c.people.statements) }

// ReverseButtons returns the reverse buttons of the ledger's credits.
func (c *Workspace) ReverseButtons() []*widget.Button { return buttons(c.people.years) }

// Compliance.
func (c *Workspace) ComplianceYear() *widget.Entry      { return c.compliance.year }
func (c *Workspace) ComplianceProvince() *widget.Select { return c.compliance.province }
func (c *Workspace) ComplianceShow() *widget.Button     { return c.compliance.showButton }
func (c *Workspace) ComplianceSummary() string          { return c.compliance.summary.Text }
func (c *Workspace) ComplianceReport() wire.Compliance  { return c.compliance.report }
func (c *Workspace) ComplianceExports() (people, groups, places, pdf *widget.Button) {
	v := c.compliance
	return v.exportPeople, v.exportGroups, v.exportPlaces, v.exportPDF
}

// ComplianceChart returns the chart's bars as "label value".
func (c *Workspace) ComplianceChart() []string {
	var out []string
	for _, o := range c.compliance.chart.Objects {
		row := o.(*fyne.Container).Objects
		name := row[0].(*fyne.Container).Objects[0].(*canvas.Text)
		out = append(out, name.Text+" "+row[2].(*canvas.Text).Text)
	}
	return out
}

// Devices.
func (c *Workspace) Devices() []wire.EnrolledDevice { return c.devices.devices }
func (c *Workspace) DeviceOffice() *widget.Entry    { return c.devices.office }
func (c *Workspace) DeviceProvince() *widget.Select { return c.devices.province }
func (c *Workspace) DeviceCreate() *widget.Button   { return c.devices.createBtn }
func (c *Workspace) EnrollmentCode() string         { return c.devices.code.Text }
func (c *Workspace) EnrollmentQRShown() bool {
	return c.devices.qrImage.Visible() && c.devices.qrImage.Image != nil
}
func (c *Workspace) DeviceRevokeButtons() []*widget.Button { return buttons(c.devices.list) }
func (c *Workspace) DeviceRevokeReason() *widget.Entry     { return c.devices.revoke.reason }
func (c *Workspace) DeviceRevokeConfirm() *widget.Button   { return c.devices.revoke.confirm }

func buttons(o fyne.CanvasObject) []*widget.Button {
	var out []*widget.Button
	kit.Walk(o, func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok {
			out = append(out, b)
		}
	})
	return out
}

func labelTexts(o fyne.CanvasObject) []string {
	var out []string
	kit.Walk(o, func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok {
			out = append(out, l.Text)
		}
	})
	return out
}

// Window returns the workspace's window.
func (c *Workspace) Window() fyne.Window { return c.win }

// ReviewReasonError returns the error under the review's reason, "" when
// hidden.
func (c *Workspace) ReviewReasonError() string { return shown(c.review.reasonErr) }

// ReviewFieldError returns the error under a corrected field.
func (c *Workspace) ReviewFieldError(f string) string { return shown(c.review.fieldErrs[f]) }

// ReviewTitle returns the review's title line.
func (c *Workspace) ReviewTitle() string { return c.review.title.Text }

// ReviewFrom returns the line saying where the record came from.
func (c *Workspace) ReviewFrom() string { return c.review.from.Text }

// ReviewShowIDs returns the check that shows record IDs.
func (c *Workspace) ReviewShowIDs() *widget.Check { return c.review.showIDs }

// ComplianceYearError returns the error under the year, "" when hidden.
func (c *Workspace) ComplianceYearError() string { return shown(c.compliance.yearErr) }

// InboxFrom and InboxTo are the date filters; InboxDatesError the error
// under them.
func (c *Workspace) InboxFrom() *widget.Entry { return c.inbox.from }
func (c *Workspace) InboxTo() *widget.Entry   { return c.inbox.to }
func (c *Workspace) InboxDatesError() string  { return shown(c.inbox.datesErr) }

// InboxDetail returns the lines under the batch's title.
func (c *Workspace) InboxDetail() string { return c.inbox.detail.Text }

// BatchCounts returns the counts line of batch i.
func (c *Workspace) BatchCounts(i int) string { return c.countsText(c.inbox.batches[i]) }

func shown(l *widget.Label) string {
	if l == nil || !l.Visible() {
		return ""
	}
	return l.Text
}

// RevokeError returns the error under the certificate's revoke reason.
func (c *Workspace) RevokeError() string { return shown(c.people.revoke.err) }
