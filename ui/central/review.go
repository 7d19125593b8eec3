package central

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/puntos-ar/puntos/sync/wire"
	"github.com/puntos-ar/puntos/ui/kit"
)

// reviewTab is the review tab: a conflicting or rejected record with
// both versions side by side (what the registry holds and what arrived,
// or what arrived and its correction), and accept or reject with a
// reason. Values show as people read them (dates dd/mm/aaaa, times in
// Argentina's, methods in words); record IDs only when asked for.
type reviewTab struct {
	c    *Workspace
	item wire.ReviewItem

	title, from, ids, help *widget.Label
	showIDs                *widget.Check
	grid                   *fyne.Container
	// edits are the corrected values of a rejected record, by field;
	// fieldErrs show under them why a value cannot be sent.
	edits     map[string]*widget.Entry
	fieldErrs map[string]*widget.Label
	fields    []string

	reason       *widget.Entry
	reasonErr    *widget.Label
	acceptButton *widget.Button
	rejectButton *widget.Button
	actions      *fyne.Container
	resolution   *widget.Label
	content      fyne.CanvasObject
}

func newReviewTab(c *Workspace) *reviewTab {
	v := &reviewTab{c: c, edits: map[string]*widget.Entry{}, fieldErrs: map[string]*widget.Label{}}
	v.title = widget.NewLabelWithStyle(c.tr("review.empty"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.title.Wrapping = fyne.TextWrapWord
	v.from = kit.Muted("")
	v.ids = kit.Muted("")
	v.ids.Hide()
	v.showIDs = widget.NewCheck(c.tr("review.showIDs"), func(bool) { v.show(v.item) })
	v.showIDs.Hide()
	v.help = widget.NewLabel("")
	v.help.Wrapping = fyne.TextWrapWord
	v.grid = container.NewGridWithColumns(3)
	v.reason = widget.NewMultiLineEntry()
	v.reason.SetMinRowsVisible(2)
	v.reason.SetPlaceHolder(c.tr("review.reason"))
	v.reasonErr = errorLabel()
	v.reason.OnChanged = func(string) { setError(v.reasonErr, "") }
	v.acceptButton = widget.NewButton(c.tr("review.accept"), func() { v.decide(wire.DecisionAccept) })
	v.acceptButton.Importance = widget.HighImportance
	v.rejectButton = widget.NewButton(c.tr("review.reject"), func() { v.decide(wire.DecisionReject) })
	v.rejectButton.Importance = widget.DangerImportance
	v.actions = container.NewVBox(kit.Bold(c.tr("review.reason")), v.reason, v.reasonErr,
		container.NewHBox(layout.NewSpacer(), v.rejectButton, v.acceptButton))
	v.actions.Hide()
	v.resolution = widget.NewLabel("")
	v.resolution.Wrapping = fyne.TextWrapWord
	v.resolution.Importance = widget.SuccessImportance
	head := container.NewBorder(nil, nil, nil, v.showIDs, container.NewVBox(v.title, v.from, v.ids))
	page := container.NewVBox(head, v.help, widget.NewSeparator(), v.grid, widget.NewSeparator(), v.actions, v.resolution)
	v.content = container.NewVScroll(container.New(&kit.PaddedBy{H: 16, V: 12}, page))
	return v
}

// errorLabel returns a hidden red label, to show an error under a field.
func errorLabel() *widget.Label {
	l := widget.NewLabel("")
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	l.Hide()
	return l
}

// setError shows msg in l, or hides l when msg is "".
func setError(l *widget.Label, msg string) {
	l.SetText(msg)
	if msg == "" {
		l.Hide()
	} else {
		l.Show()
	}
}

// open loads and shows a review item.
func (v *reviewTab) open(id int64) {
	v.c.call(func(ctx context.Context, api API) (func(), error) {
		it, err := api.Review(ctx, id)
		return func() { v.show(it) }, err
	})
}

// fieldOrder is the order fields are shown in, by record kind.
var fieldOrder = map[string][]string{
	wire.KindSession:     {"id", "activity", "date", "start", "end", "province", "municipality", "venue", "instructor", "modality", "closed_at"},
	wire.KindAttendance:  {"id", "session", "dni", "status", "method", "at"},
	wire.KindPerson:      {"dni", "cuil", "surname", "given_names", "agency", "email", "province", "sex", "birth"},
	wire.KindCertificate: {"code", "attendance", "kind", "issued_at"},
}

// recordFields decodes a wire record into its fields as text.
func recordFields(raw json.RawMessage) map[string]string {
	out := map[string]string{}
	var m map[string]any
	if len(raw) == 0 || json.Unmarshal(raw, &m) != nil {
		return out
	}
	for k, val := range m {
		switch x := val.(type) {
		case string:
			out[k] = x
		case nil:
		default:
			out[k] = fmt.Sprint(x)
		}
	}
	return out
}

// show shows a review item: its state now (resolved or not), where it
// came from and its versions side by side.
func (v *reviewTab) show(it wire.ReviewItem) {
	c := v.c
	// Showing the same item again (IDs shown or hidden) keeps what was
	// typed.
	same := it.ID == v.item.ID && it.Resolution == nil
	typed := map[string]string{}
	for f, e := range v.edits {
		typed[f] = e.Text
	}
	v.item = it
	if it.Resolution != nil {
		result := wire.Accepted
		if it.Resolution.Decision == wire.DecisionReject {
			result = wire.Rejected
		}
		v.title.SetText(c.tr("review.resolvedTitle", c.kindText(it.Kind), c.outcomeText(it.Kind, result)))
	} else {
		v.title.SetText(c.tr("review.title", c.kindText(it.Kind), c.outcomeText(it.Kind, it.Result), c.staffMessage(it)))
	}
	v.from.SetText(c.tr("review.from", it.DeviceName, it.Office, it.Province, c.when(it.ReceivedAt)))
	v.showIDs.Show()
	v.ids.SetText(c.tr("review.batch", it.BatchID, it.RecordID))
	v.ids.Hidden = !v.showIDs.Checked
	in, stored := recordFields(it.Incoming), recordFields(it.Stored)
	v.fields = nil
	for _, f := range fieldOrder[it.Kind] {
		if !idFields[f] || v.showIDs.Checked {
			v.fields = append(v.fields, f)
		}
	}
	var extra []string
	for k := range in {
		if !slices.Contains(fieldOrder[it.Kind], k) {
			extra = append(extra, k)
		}
	}
	slices.Sort(extra)
	v.fields = append(v.fields, extra...)

	conflict := it.Result == wire.Conflict
	left, right := c.tr("review.incoming"), c.tr("review.corrected")
	switch {
	case it.Resolution != nil && it.Resolution.Record != nil:
		// A corrected record was accepted: what arrived, and what the
		// registry applied.
		right = c.tr("review.applied")
		stored = recordFields(it.Resolution.Record)
	case conflict:
		left, right = c.tr("review.stored"), c.tr("review.incoming")
		in, stored = stored, in
	case it.Resolution != nil:
		right = ""
	}
	editable := it.Resolution == nil && !conflict && c.can(wire.RoleReviewer)
	cells := []fyne.CanvasObject{kit.Bold(c.tr("review.field")), kit.Bold(left), kit.Bold(right)}
	v.edits, v.fieldErrs = map[string]*widget.Entry{}, map[string]*widget.Label{}
	for _, f := range v.fields {
		cells = append(cells, widget.NewLabel(c.tr("field."+f)))
		l := widget.NewLabel(c.valueText(f, in[f]))
		l.Wrapping = fyne.TextWrapBreak
		cells = append(cells, l)
		if !editable {
			r := widget.NewLabel("")
			if right != "" {
				r.SetText(c.valueText(f, stored[f]))
				if stored[f] != in[f] {
					r.Importance = widget.WarningImportance
					r.TextStyle = fyne.TextStyle{Bold: true}
				}
			}
			r.Wrapping = fyne.TextWrapBreak
			cells = append(cells, r)
			continue
		}
		e := widget.NewEntry()
		e.SetText(c.valueText(f, in[f]))
		if t, ok := typed[f]; ok && same {
			e.SetText(t)
		}
		errL := errorLabel()
		e.OnChanged = func(string) { setError(errL, "") }
		// A record keeps its ID; only a walk-in's DNI, which is its ID,
		// may be corrected.
		if (idFields[f] || f == "code") && it.Kind != wire.KindPerson {
			e.Disable()
		}
		v.edits[f], v.fieldErrs[f] = e, errL
		cells = append(cells, container.NewVBox(e, errL))
	}
	v.grid.Objects = cells
	v.grid.Refresh()
	defer v.content.Refresh() // the grid's height changed: lay the page out again
	if !same {
		v.reason.SetText("")
	}
	setError(v.reasonErr, "")
	switch {
	case it.Resolution != nil:
		v.actions.Hide()
		v.help.SetText("")
		v.showResolution(it.Resolution)
	case !c.can(wire.RoleReviewer):
		v.actions.Hide()
		v.help.SetText(c.tr("review.viewOnly"))
		v.resolution.SetText("")
	default:
		v.actions.Show()
		v.resolution.SetText("")
		switch {
		case !it.CanAccept:
			v.help.SetText(c.tr("review.onlyReject"))
			v.acceptButton.Disable()
		case conflict:
			v.help.SetText(c.tr("review.conflictHelp"))
			v.acceptButton.Enable()
		default:
			v.help.SetText(c.tr("review.rejectedHelp"))
			v.acceptButton.Enable()
		}
	}
}

func (v *reviewTab) showResolution(r *wire.ReviewOutcome) {
	c := v.c
	text := c.tr("review.done", c.tr("decision."+r.Decision), r.Actor, c.when(r.At), r.Reason)
	if len(r.Ledger) > 0 {
		var parts []string
		for _, l := range r.Ledger {
			parts = append(parts, fmt.Sprintf("Nº %d %s %s (%d)", l.ID, l.ActivityCode, c.points(l.Points), l.Year))
		}
		text += "\n" + c.tr("review.ledger", strings.Join(parts, ", "))
	}
	if r.Cascaded > 0 {
		text += "\n" + texts.Plural(c.lang, r.Cascaded, "review.cascaded1", "review.cascadedN")
	}
	v.resolution.SetText(text)
}

// corrected returns the record as edited, in wire form: the fields not
// shown (IDs) as they arrived, the ones left as shown as they arrived
// too, exactly; fields emptied are left out. ok is false when a value
// cannot be read: its error shows under it.
func (v *reviewTab) corrected() (json.RawMessage, bool) {
	in := recordFields(v.item.Incoming)
	m := map[string]string{}
	for f, val := range in {
		if val != "" {
			m[f] = val
		}
	}
	ok := true
	for f, e := range v.edits {
		if strings.TrimSpace(e.Text) == "" {
			delete(m, f)
			continue
		}
		val, err := v.c.valueFromText(f, e.Text, in[f])
		if err != nil {
			setError(v.fieldErrs[f], err.Error())
			ok = false
			continue
		}
		m[f] = val
	}
	b, _ := json.Marshal(m) // strings always marshal
	return b, ok
}

// decide sends the decision with the reason typed.
func (v *reviewTab) decide(decision string) {
	c := v.c
	reason := strings.TrimSpace(v.reason.Text)
	if reason == "" {
		setError(v.reasonErr, c.tr("reason.missing"))
		c.win.Canvas().Focus(v.reason)
		return
	}
	d := wire.ReviewDecision{Decision: decision, Reason: reason}
	if decision == wire.DecisionAccept && v.item.Result == wire.Rejected {
		rec, ok := v.corrected()
		if !ok {
			return
		}
		d.Record = rec
	}
	id := v.item.ID
	c.call(func(ctx context.Context, api API) (func(), error) {
		it, err := api.Resolve(ctx, id, d)
		return func() {
			v.show(it)
			msg := c.tr("review.rejected")
			if decision == wire.DecisionAccept {
				msg = c.tr("review.accepted")
			}
			c.setStatus(msg, false)
			// Everything the decision touched: the inbox's batches and
			// records, and a ledger on show.
			c.inbox.reload()
			c.people.reload()
		}, err
	})
}
