package central

import (
	"fmt"
	"strings"
	"time"

	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/sync/wire"
)

// How a record's fields are shown in the review: what people read, not
// the wire's values.
var (
	// idFields hold record IDs, shown only when asked for.
	idFields = map[string]bool{"id": true, "session": true, "attendance": true}
	// dateFields hold dates (YYYY-MM-DD), shown dd/mm/aaaa.
	dateFields = map[string]bool{"date": true, "birth": true}
	// timeFields hold instants (RFC 3339, UTC), shown dd/mm/aaaa hh:mm in
	// Argentina's time.
	timeFields = map[string]bool{"at": true, "closed_at": true, "issued_at": true}
	// enumFields hold codes shown by their label ("typed" → "DNI
	// escrito"): the codes each takes.
	enumFields = map[string][]string{
		"method":   {string(domain.Typed), string(domain.Search), string(domain.Scan), string(domain.Import), string(domain.WalkIn)},
		"status":   {string(domain.Presente), string(domain.Tarde), string(domain.Justificado), string(domain.Ausente)},
		"modality": {string(domain.Presencial), string(domain.Remote)},
	}
)

// staffMessages are the keys of what central staff read for rejections
// whose registry message speaks to the device's user ("pedile al equipo
// central"): what to do from the review.
var staffMessages = map[string]string{
	wire.RejectActivityUnknown: "staff.activityUnknown",
	wire.RejectProvinceUnknown: "staff.provinceUnknown",
	wire.RejectMunicipality:    "staff.municipality",
	wire.RejectTimeOrder:       "staff.timeOrder",
	wire.RejectSessionFuture:   "staff.sessionFuture",
	wire.RejectSessionRejected: "staff.sessionRejected",
}

// staffMessage returns what central staff read for a review item: the
// registry's message, or for a rejection that speaks to the device's
// user, what staff can do about it here.
func (c *Workspace) staffMessage(it wire.ReviewItem) string {
	key, ok := staffMessages[it.Code]
	if !ok || it.Result != wire.Rejected {
		return it.Message
	}
	in := recordFields(it.Incoming)
	switch it.Code {
	case wire.RejectActivityUnknown:
		return c.tr(key, in["activity"])
	case wire.RejectProvinceUnknown:
		return c.tr(key, in["province"])
	}
	return c.tr(key)
}

// valueText writes a record field's value as people read it.
func (c *Workspace) valueText(field, v string) string {
	switch {
	case v == "":
		return ""
	case dateFields[field]:
		return dayText(v)
	case timeFields[field]:
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			return v
		}
		return c.when(t)
	case enumFields[field] != nil:
		if key := field + "." + v; texts[key] != ([2]string{}) {
			return c.tr(key)
		}
	}
	return v
}

// valueFromText turns a value edited in the review back into the wire's
// form; text left as valueText showed stored gives stored back, exactly.
func (c *Workspace) valueFromText(field, text, stored string) (string, error) {
	text = strings.TrimSpace(text)
	if text == c.valueText(field, stored) {
		return stored, nil
	}
	switch {
	case dateFields[field]:
		t, err := domain.ParseDate(text)
		if err != nil {
			return "", fmt.Errorf("%s", c.tr("review.badDate"))
		}
		return t.Format("2006-01-02"), nil
	case timeFields[field]:
		t, err := time.ParseInLocation("02/01/2006 15:04", text, domain.Argentina)
		if err != nil {
			return "", fmt.Errorf("%s", c.tr("review.badTime"))
		}
		return t.UTC().Format(time.RFC3339), nil
	case enumFields[field] != nil:
		for _, code := range enumFields[field] {
			if strings.EqualFold(text, c.tr(field+"."+code)) || text == code {
				return code, nil
			}
		}
		labels := make([]string, len(enumFields[field]))
		for i, code := range enumFields[field] {
			labels[i] = "«" + c.tr(field+"."+code) + "»"
		}
		return "", fmt.Errorf("%s", c.tr("review.badChoice", strings.Join(labels, ", ")))
	}
	return text, nil
}
