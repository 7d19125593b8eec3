package central

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/sync/wire"
	"github.com/puntos-ar/puntos/ui/kit"
)

// inboxTab is the inbox tab: the batches as they arrive on the left;
// on the right a batch's records, or the records of every batch that
// match the filters. A conflicting or rejected record opens the review.
type inboxTab struct {
	c *Workspace

	onlyOpen   *widget.Check
	refreshBtn *widget.Button
	batchList  *widget.List
	moreButton *widget.Button
	batches    []wire.InboxBatch
	next       string

	// Record filters.
	result, kind, province *widget.Select
	office, from, to       *widget.Entry
	datesErr               *widget.Label // a date that cannot be read, under the dates
	searchButton           *widget.Button

	title      *widget.Label
	detail     *widget.Label
	recordList *widget.List
	records    []wire.StaffRecord
	openID     string // the batch shown, "" for a search
	searched   bool

	content fyne.CanvasObject
}

// selectValues maps the labels of a filter select to API values.
type selectValues map[string]string

func newInboxTab(c *Workspace) *inboxTab {
	v := &inboxTab{c: c}
	v.onlyOpen = widget.NewCheck(c.tr("inbox.onlyOpen"), func(bool) { v.refresh() })
	v.refreshBtn = widget.NewButtonWithIcon(c.tr("central.refresh"), theme.ViewRefreshIcon(), v.refresh)
	v.batchList = widget.NewList(func() int { return len(v.batches) }, newBatchItem, v.fillBatch)
	v.batchList.OnSelected = func(i widget.ListItemID) { v.openBatch(i) }
	v.moreButton = widget.NewButton(c.tr("central.more"), v.more)
	v.moreButton.Hide()

	all := c.tr("central.allOption")
	v.result = widget.NewSelect([]string{all, c.filterText(wire.Rejected), c.filterText(wire.Conflict), c.filterText(wire.Accepted), c.filterText(wire.Duplicate)}, nil)
	v.result.SetSelected(c.filterText(wire.Rejected))
	v.kind = widget.NewSelect([]string{all, c.kindText(wire.KindSession), c.kindText(wire.KindAttendance), c.kindText(wire.KindPerson), c.kindText(wire.KindCertificate)}, nil)
	v.kind.SetSelected(all)
	v.province = provinceSelect(all)
	v.province.SetSelected(all)
	if c.user.Province != "" {
		v.province.Hide()
	}
	v.office = kit.NewEntry(c.tr("inbox.office"))
	v.from = kit.NewDateEntry(c.tr("inbox.from"))
	v.to = kit.NewDateEntry(c.tr("inbox.to"))
	v.datesErr = errorLabel()
	v.from.OnChanged = func(string) { setError(v.datesErr, "") }
	v.to.OnChanged = v.from.OnChanged
	v.searchButton = widget.NewButtonWithIcon(c.tr("inbox.search"), theme.SearchIcon(), v.search)

	v.title = widget.NewLabelWithStyle(c.tr("inbox.pickBatch"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.title.Wrapping = fyne.TextWrapWord
	v.detail = kit.Muted("")
	v.recordList = widget.NewList(func() int { return len(v.records) }, newRecordItem, v.fillRecord)
	v.recordList.OnSelected = func(i widget.ListItemID) {
		v.recordList.UnselectAll()
		if i < len(v.records) && v.records[i].ReviewID != 0 {
			c.openReview(v.records[i].ReviewID)
		}
	}

	left := container.NewBorder(container.NewVBox(kit.Bold(c.tr("inbox.batches")), container.NewHBox(v.onlyOpen, v.refreshBtn)),
		v.moreButton, nil, nil, v.batchList)
	filters := container.NewVBox(
		container.NewGridWithColumns(4, labeled(c.tr("inbox.result"), v.result), labeled(c.tr("inbox.kind"), v.kind),
			labeled(c.tr("inbox.province"), v.province), labeled(c.tr("inbox.office"), v.office)),
		container.NewBorder(nil, nil, nil, v.searchButton, container.NewGridWithColumns(2, v.from, v.to)), v.datesErr,
		widget.NewSeparator(), v.title, v.detail)
	right := container.NewBorder(filters, nil, nil, nil, v.recordList)
	split := container.NewHSplit(container.New(&kit.PaddedBy{H: 8, V: 8}, left), container.New(&kit.PaddedBy{H: 8, V: 8}, right))
	split.Offset = 0.4
	v.content = split
	return v
}

// newBatchItem makes a row of the batch list: when and where from, the
// counts, and what waits for review.
func newBatchItem() fyne.CanvasObject {
	top := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	top.Truncation = fyne.TextTruncateEllipsis
	counts := widget.NewLabel("")
	counts.Truncation = fyne.TextTruncateEllipsis
	extra := widget.NewLabel("")
	extra.Importance = widget.WarningImportance
	extra.Truncation = fyne.TextTruncateEllipsis
	return container.NewVBox(top, counts, extra)
}

// fillBatch fills row o with batch i.
func (v *inboxTab) fillBatch(i widget.ListItemID, o fyne.CanvasObject) {
	c := v.c
	b := v.batches[i]
	box := o.(*fyne.Container).Objects
	box[0].(*widget.Label).SetText(c.tr("inbox.batchLine", c.when(b.ReceivedAt), b.Office, b.DeviceName, b.Province))
	box[1].(*widget.Label).SetText(c.countsText(b))
	var extra []string
	if b.OpenReview > 0 {
		extra = append(extra, c.tr("inbox.openLine", b.OpenReview))
	}
	if len(b.Flags) > 0 {
		extra = append(extra, c.tr("inbox.flagsLine", c.flagsText(b.Flags)))
	}
	box[2].(*widget.Label).SetText(strings.Join(extra, " · "))
}

// newRecordItem makes a row of the record list: the record and its
// outcome, then the registry's message.
func newRecordItem() fyne.CanvasObject {
	top := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	top.Truncation = fyne.TextTruncateEllipsis
	msg := widget.NewLabel("")
	msg.Truncation = fyne.TextTruncateEllipsis
	return container.NewVBox(top, msg)
}

// fillRecord fills row o with record i, colored by its outcome.
func (v *inboxTab) fillRecord(i widget.ListItemID, o fyne.CanvasObject) {
	c := v.c
	r := v.records[i]
	box := o.(*fyne.Container).Objects
	top := box[0].(*widget.Label)
	top.SetText(c.tr("inbox.recordLine", c.kindText(r.Kind), c.outcomeText(r.Kind, r.Result), r.Summary))
	switch r.Result {
	case wire.Rejected:
		top.Importance = widget.DangerImportance
	case wire.Conflict:
		top.Importance = widget.WarningImportance
	default:
		top.Importance = widget.MediumImportance
	}
	top.Refresh()
	msg := r.Message
	switch {
	case r.Resolution != "":
		msg = c.tr("inbox.resolved", c.tr("decision."+r.Resolution)) + " · " + msg
	case r.ReviewID != 0:
		msg = c.tr("inbox.toReview") + " · " + msg
	}
	box[1].(*widget.Label).SetText(msg)
}

// countsText says what a batch's records came to: the receipt's
// outcomes, and how many of its conflicts and rejections central staff
// resolved since.
func (c *Workspace) countsText(b wire.InboxBatch) string {
	s := c.tr("inbox.countsLine", c.count(b.Records, "unit.record"), c.count(b.Counts.Accepted, "unit.accepted"),
		c.count(b.Counts.Duplicate, "unit.duplicate"), c.count(b.Counts.Conflict, "unit.conflict"), c.count(b.Counts.Rejected, "unit.rejected"))
	if b.Resolved > 0 {
		s += " · " + c.count(b.Resolved, "unit.resolved")
	}
	return s
}

// labeled stacks a small label over an input.
func labeled(label string, input fyne.CanvasObject) fyne.CanvasObject {
	l := widget.NewLabel(label)
	l.SizeName = theme.SizeNameCaptionText
	return container.NewVBox(l, input)
}

// refresh reloads the inbox's first page.
func (v *inboxTab) refresh() {
	q := wire.InboxQuery{Open: v.onlyOpen.Checked}
	v.c.call(func(ctx context.Context, api API) (func(), error) {
		p, err := api.Inbox(ctx, q)
		return func() { v.show(p, false) }, err
	})
}

// more loads the next page.
func (v *inboxTab) more() {
	q := wire.InboxQuery{Open: v.onlyOpen.Checked, Cursor: v.next}
	v.c.call(func(ctx context.Context, api API) (func(), error) {
		p, err := api.Inbox(ctx, q)
		return func() { v.show(p, true) }, err
	})
}

func (v *inboxTab) show(p wire.InboxPage, appendPage bool) {
	if appendPage {
		v.batches = append(v.batches, p.Batches...)
	} else {
		v.batches = p.Batches
		v.batchList.UnselectAll()
	}
	v.next = p.Next
	if v.next == "" {
		v.moreButton.Hide()
	} else {
		v.moreButton.Show()
	}
	v.batchList.Refresh()
	if len(v.batches) == 0 {
		v.c.setStatus(v.c.tr("inbox.empty"), false)
	}
}

// openBatch shows the records of batch i.
func (v *inboxTab) openBatch(i int) {
	if i < 0 || i >= len(v.batches) {
		return
	}
	id := v.batches[i].ID
	v.c.call(func(ctx context.Context, api API) (func(), error) {
		d, err := api.Batch(ctx, id)
		return func() { v.showBatch(d) }, err
	})
}

func (v *inboxTab) showBatch(d wire.BatchDetail) {
	c, b := v.c, d.Batch
	v.openID, v.searched = b.ID, false
	v.title.SetText(c.tr("inbox.batchTitle", b.DeviceName))
	detail := c.tr("inbox.batchFrom", c.when(b.ReceivedAt), b.Office, b.DeviceName, b.Province, c.tr("inbox.source."+b.Source)) + "\n" +
		c.countsText(b)
	if len(b.Flags) > 0 {
		detail += "\n" + c.tr("inbox.flagsLine", c.flagsText(b.Flags))
	}
	v.detail.SetText(detail)
	v.records = d.Records
	v.recordList.UnselectAll()
	v.recordList.Refresh()
	v.recordList.ScrollToTop()
}

// reload refreshes the list and what the right side shows (after a
// review changed it).
func (v *inboxTab) reload() {
	v.refresh()
	switch id := v.openID; {
	case id != "":
		v.c.call(func(ctx context.Context, api API) (func(), error) {
			d, err := api.Batch(ctx, id)
			return func() { v.showBatch(d) }, err
		})
	case v.searched:
		v.search()
	}
}

// search lists the records of every batch that match the filters.
func (v *inboxTab) search() {
	c := v.c
	q := wire.RecordQuery{Office: strings.TrimSpace(v.office.Text), Limit: wire.StaffMaxPage}
	for _, d := range []struct {
		entry *widget.Entry
		to    *string
	}{{v.from, &q.From}, {v.to, &q.To}} {
		if t := strings.TrimSpace(d.entry.Text); t != "" {
			day, err := domain.ParseDate(t)
			if err != nil {
				setError(v.datesErr, c.tr("inbox.badDate"))
				return
			}
			*d.to = day.Format("2006-01-02")
		}
	}
	for _, r := range []string{wire.Accepted, wire.Duplicate, wire.Conflict, wire.Rejected} {
		if v.result.Selected == c.filterText(r) {
			q.Result = r
		}
	}
	for _, k := range []string{wire.KindSession, wire.KindAttendance, wire.KindPerson, wire.KindCertificate} {
		if v.kind.Selected == c.kindText(k) {
			q.Kind = k
		}
	}
	if v.province.Selected != c.tr("central.allOption") {
		q.Province = v.province.Selected
	}
	c.call(func(ctx context.Context, api API) (func(), error) {
		p, err := api.Records(ctx, q)
		return func() {
			v.openID, v.searched = "", true
			v.title.SetText(c.tr("inbox.searchTitle", c.num(len(p.Records))))
			v.detail.SetText("")
			if len(p.Records) == 0 {
				v.detail.SetText(c.tr("inbox.noRecords"))
			}
			v.records = p.Records
			v.recordList.UnselectAll()
			v.recordList.Refresh()
		}, err
	})
}
