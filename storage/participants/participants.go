// Package participants reads the participants reports meeting platforms
// export (Zoom, Microsoft Teams, Google Meet, BigBlueButton, or a plain
// CSV with DNI or email and minutes), recognising the layout from the
// content, and merges each person's rejoins into connected minutes. It
// decodes files only: matching people to the roster is the store's job.
package participants

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/puntos-ar/puntos/storage/csvin"
	"github.com/puntos-ar/puntos/storage/domain"
)

// Format is a report layout.
type Format string

// The layouts Parse recognises.
const (
	Zoom        Format = "zoom"
	ZoomUnique  Format = "zoom_unique"
	Teams       Format = "teams"
	TeamsLegacy Format = "teams_legacy"
	Meet        Format = "meet"
	BBB         Format = "bigbluebutton"
	Plain       Format = "plain"
)

// Name returns the layout's name as shown to a person.
func (f Format) Name() string {
	switch f {
	case Zoom:
		return "Zoom (participantes)"
	case ZoomUnique:
		return "Zoom (usuarios únicos)"
	case Teams:
		return "Microsoft Teams (informe de asistencia)"
	case TeamsLegacy:
		return "Microsoft Teams (formato anterior)"
	case Meet:
		return "Google Meet (asistencia)"
	case BBB:
		return "BigBlueButton (panel de aprendizaje)"
	case Plain:
		return "CSV con DNI o correo y minutos"
	}
	return string(f)
}

// Argentina is the zone of times written without one. Argentina keeps
// UTC−3 all year, so a fixed zone needs no tz database.
var Argentina = time.FixedZone("ART", -3*60*60)

// Interval is a stretch of time connected to the meeting.
type Interval struct {
	From, To time.Time
}

// Participant is one person of a report, rejoins merged.
type Participant struct {
	Name         string     `json:"name"`                    // display name as written
	OriginalName string     `json:"original_name,omitempty"` // Zoom's "(Original Name)"
	Email        string     `json:"email,omitempty"`         // lower case; empty when none or masked
	Masked       bool       `json:"masked,omitempty"`        // the platform masked the email with '*'
	DNI          string     `json:"dni,omitempty"`           // from a DNI or CUIL column (plain CSV)
	Host         bool       `json:"host,omitempty"`          // organizer or moderator
	Seconds      int        `json:"seconds"`                 // connected time, overlaps counted once
	Joins        int        `json:"joins"`                   // rows merged into this participant
	Intervals    []Interval `json:"-"`
}

// Minutes returns the connected time in whole minutes, rounded.
func (p Participant) Minutes() int { return (p.Seconds + 30) / 60 }

// Report is a parsed participants report.
type Report struct {
	Format       Format        `json:"format"`
	Encoding     string        `json:"encoding"`
	Rows         int           `json:"rows"` // participant rows read
	Participants []Participant `json:"participants"`
	// First is the earliest join, zero when the report has no times.
	First time.Time `json:"first,omitzero"`
}

// Error codes of the sentences Parse returns.
const (
	CodeUnknownLayout = "report_layout"
	CodeNoParticipant = "report_empty"
	CodeOtherMeeting  = "report_other_meeting"
	CodeUnreadable    = "report_unreadable"
)

func reportError(code, msg string, args ...any) error {
	return &domain.Error{Code: code, Text: fmt.Sprintf(msg, args...)}
}

// Parse reads a participants report for a session held on day (its date,
// and start when known, in Argentina's time): day settles whether 03/04
// is March or April and is the date a report must be near. It returns a
// *domain.Error with one sentence for a file it cannot use: an unknown
// layout, no participants, or a report of another meeting (no join within
// a day of day).
func Parse(r io.Reader, day time.Time) (*Report, error) {
	recs, enc, _, err := csvin.Records(r)
	if errors.Is(err, csvin.ErrEmpty) {
		return nil, reportError(CodeNoParticipant, "El informe está vacío: descargalo de nuevo desde la plataforma.")
	}
	if err != nil {
		return nil, reportError(CodeUnreadable, "No se pudo leer el informe: %v.", err)
	}
	rs := make([]record, len(recs))
	for i, r := range recs {
		rs[i] = record{line: r.Line, cells: r.Cells}
	}
	rd, err := recognise(rs)
	if err != nil {
		return nil, err
	}
	rows := rd.read(rs, day)
	rep := &Report{Format: rd.format, Encoding: enc}
	rep.Rows = len(rows)
	rep.Participants = merge(rows)
	if len(rep.Participants) == 0 {
		return nil, reportError(CodeNoParticipant, "El informe de %s no tiene participantes: revisá que sea el de la reunión correcta.", rd.format.Name())
	}
	if err := rep.near(rows, day); err != nil {
		return nil, err
	}
	return rep, nil
}

// near checks that some join falls within a day of day, and sets First.
func (rep *Report) near(rows []row, day time.Time) error {
	timed := false
	for _, r := range rows {
		if r.join.IsZero() {
			continue
		}
		timed = true
		if rep.First.IsZero() || r.join.Before(rep.First) {
			rep.First = r.join
		}
	}
	if !timed || day.IsZero() {
		return nil
	}
	d := rep.First.Sub(day)
	for _, r := range rows {
		if r.join.IsZero() {
			continue
		}
		if x := r.join.Sub(day); x.Abs() < d.Abs() {
			d = x
		}
	}
	if d.Abs() > 36*time.Hour {
		return reportError(CodeOtherMeeting, "El informe es de otra reunión: nadie se conectó cerca del %s (la primera conexión es del %s); descargá el de esta sesión.",
			day.Format("02/01/2006"), rep.First.In(Argentina).Format("02/01/2006"))
	}
	return nil
}

// row is one line of a report: a join, or a person's total.
type row struct {
	name, original, email string
	masked, host          bool
	dni                   string
	join, leave           time.Time
	seconds               int  // the row's duration; 0 when not given
	span                  bool // join and leave are a first join and a last leave, not one connection
}

// key is how rows of one person are found: the email, else the name.
func (r row) key() string {
	if r.email != "" {
		return "@" + r.email
	}
	if r.dni != "" {
		return "#" + r.dni
	}
	return domain.Fold(r.name) + "|" + domain.Fold(r.original)
}

// cleanEmail lower-cases an email and says whether it is masked
// ("j***@gmail.com"), in which case it is dropped.
func cleanEmail(s string) (email string, masked bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if strings.Contains(s, "*") {
		return "", true
	}
	if !strings.Contains(s, "@") {
		return "", false
	}
	return s, false
}
