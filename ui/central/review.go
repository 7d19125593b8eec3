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
// reason.
type reviewTab struct {
	c    *Workspace
	item wire.ReviewItem

	title, from, help *widget.Label
	grid              *fyne.Container
	// edits are the corrected values of a rejected record, by field.
	edits  map[string]*widget.Entry
	fields []string

	reason       *widget.Entry
	acceptButton *widget.Button
	rejectButton *widget.Button
	actions      *fyne.Container
	resolution   *widget.Label
	content      fyne.CanvasObject
}

func newReviewTab(c *Workspace) *reviewTab {
	v := &reviewTab{c: c, edits: map[string]*widget.Entry{}}
	v.title = widget.NewLabelWithStyle(c.tr("review.empty"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.title.Wrapping = fyne.TextWrapWord
	v.from = kit.Muted("")
	v.help = widget.NewLabel("")
	v.help.Wrapping = fyne.TextWrapWord
	v.grid = container.NewGridWithColumns(3)
	v.reason = widget.NewMultiLineEntry()
	v.reason.SetMinRowsVisible(2)
	v.reason.SetPlaceHolder(c.tr("review.reason"))
	v.acceptButton = widget.NewButton(c.tr("review.accept"), func() { v.decide(wire.DecisionAccept) })
	v.acceptButton.Importance = widget.HighImportance
	v.rejectButton = widget.NewButton(c.tr("review.reject"), func() { v.decide(wire.DecisionReject) })
	v.rejectButton.Importance = widget.DangerImportance
	v.actions = container.NewVBox(kit.Bold(c.tr("review.reason")), v.reason,
		container.NewHBox(layout.NewSpacer(), v.rejectButton, v.acceptButton))
	v.actions.Hide()
	v.resolution = widget.NewLabel("")
	v.resolution.Wrapping = fyne.TextWrapWord
	v.resolution.Importance = widget.SuccessImportance
	page := container.NewVBox(v.title, v.from, v.help, widget.NewSeparator(), v.grid, widget.NewSeparator(), v.actions, v.resolution)
	v.content = container.NewVScroll(container.New(&kit.PaddedBy{H: 16, V: 12}, page))
	return v
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

func (v *reviewTab) show(it wire.ReviewItem) {
	c := v.c
	v.item = it
	v.title.SetText(c.tr("review.title", c.kindText(it.Kind), c.outcomeText(it.Kind, it.Result), it.Message))
	v.from.SetText(c.tr("review.from", it.BatchID, it.DeviceName, it.Office, it.Province, c.when(it.ReceivedAt)))
	in, stored := recordFields(it.Incoming), recordFields(it.Stored)
	v.fields = slices.Clone(fieldOrder[it.Kind])
	var extra []string
	for k := range in {
		if !slices.Contains(v.fields, k) {
			extra = append(extra, k)
		}
	}
	slices.Sort(extra)
	v.fields = append(v.fields, extra...)
	conflict := it.Result == wire.Conflict
	left, right := c.tr("review.incoming"), c.tr("review.corrected")
	if conflict {
		left, right = c.tr("review.stored"), c.tr("review.incoming")
	}
	cells := []fyne.CanvasObject{kit.Bold(c.tr("review.field")), kit.Bold(left), kit.Bold(right)}
	v.edits = map[string]*widget.Entry{}
	for _, f := range v.fields {
		cells = append(cells, widget.NewLabel(c.tr("field."+f)))
		if conflict {
			l := widget.NewLabel(stored[f])
			l.Wrapping = fyne.TextWrapBreak
			r := widget.NewLabel(in[f])
			r.Wrapping = fyne.TextWrapBreak
			if stored[f] != in[f] {
				r.Importance = widget.WarningImportance
				r.TextStyle = fyne.TextStyle{Bold: true}
			}
			cells = append(cells, l, r)
			continue
		}
		l := widget.NewLabel(in[f])
		l.Wrapping = fyne.TextWrapBreak
		e := widget.NewEntry()
		e.SetText(in[f])
		// A record keeps its ID; only a walk-in's DNI, which is its ID,
		// may be corrected.
		if (f == "id" || f == "code") && it.Kind != wire.KindPerson {
			e.Disable()
		}
		v.edits[f] = e
		cells = append(cells, l, e)
	}
	v.grid.Objects = cells
	v.grid.Refresh()
	defer v.content.Refresh() // the grid's height changed: lay the page out again
	v.reason.SetText("")
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
			parts = append(parts, fmt.Sprintf("Nº %d %s %s (%d)", l.ID, l.ActivityCode, fmtPoints(l.Points), l.Year))
		}
		text += "\n" + c.tr("review.ledger", strings.Join(parts, ", "))
	}
	if r.Cascaded > 0 {
		text += "\n" + c.tr("review.cascaded", r.Cascaded)
	}
	v.resolution.SetText(text)
}

// corrected returns the record as edited, in wire form; empty fields are
// left out.
func (v *reviewTab) corrected() json.RawMessage {
	m := map[string]string{}
	for f, e := range v.edits {
		if t := strings.TrimSpace(e.Text); t != "" {
			m[f] = t
		}
	}
	b, _ := json.Marshal(m) // strings always marshal
	return b
}

// decide sends the decision with the reason typed.
func (v *reviewTab) decide(decision string) {
	c := v.c
	reason := strings.TrimSpace(v.reason.Text)
	if reason == "" {
		c.setStatus(c.tr("reason.missing"), true)
		return
	}
	d := wire.ReviewDecision{Decision: decision, Reason: reason}
	if decision == wire.DecisionAccept && v.item.Result == wire.Rejected {
		d.Record = v.corrected()
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
			c.inbox.reload()
		}, err
	})
}
