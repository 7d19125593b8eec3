// Package domain holds the words of Puntos (people, activities, sessions,
// attendances, certificates) and its rules and codes as pure functions and
// constants: validation, points and the yearly requirement, DNI and CUIL,
// error codes and their texts, file-safe names. No SQL, no I/O.
package domain

import "time"

// Person is a public servant, identified by DNI.
type Person struct {
	DNI        string `json:"dni"`  // 7–8 digits, no dots
	CUIL       string `json:"cuil"` // 11 digits, no dashes; empty when unknown
	Surname    string `json:"surname"`
	GivenNames string `json:"given_names"`
	Agency     string `json:"agency"` // organismo
	Email      string `json:"email"`
	Province   string `json:"province"`
	Sex        string `json:"sex,omitempty"` // M, F or X when read from a scan
	Birth      string `json:"birth,omitempty"`
	WalkIn     bool   `json:"walk_in,omitempty"` // created at a session, not from a roster
}

// FullName returns "SURNAME, Given Names".
func (p Person) FullName() string {
	if p.GivenNames == "" {
		return p.Surname
	}
	return p.Surname + ", " + p.GivenNames
}

// SameRosterData reports whether q carries the data p holds in the fields
// a roster sets (CUIL, names, agency, email, province): importing q over p
// would change nothing.
func (p Person) SameRosterData(q Person) bool {
	return p.CUIL == q.CUIL && p.Surname == q.Surname && p.GivenNames == q.GivenNames &&
		p.Agency == q.Agency && p.Email == q.Email && p.Province == q.Province
}

// ActivityType is the kind of catalog activity.
type ActivityType string

// Activity types.
const (
	Charla    ActivityType = "charla"
	Taller    ActivityType = "taller"
	Curso     ActivityType = "curso"
	Intensivo ActivityType = "intensivo"
	Virtual   ActivityType = "virtual"
)

// ActivityTypes lists the valid activity types.
var ActivityTypes = []ActivityType{Charla, Taller, Curso, Intensivo, Virtual}

// DefaultThreshold is the share of sessions a multi-session course requires.
const DefaultThreshold = 0.75

// RuleVersion names the points rule this code applies.
const RuleVersion = "2026.1"

// RequiredPoints is the number of points a person needs per calendar year.
const RequiredPoints = 60

// Certificate kinds.
const (
	KindAttendance = "asistencia" // constancia de asistencia
	KindApproval   = "aprobacion" // certificado de aprobación
)

// Activity is a catalog entry.
type Activity struct {
	Code        string       `json:"code"`
	Title       string       `json:"title"`
	Type        ActivityType `json:"type"`
	Hours       float64      `json:"hours"`
	Points      int          `json:"points"`
	Sessions    int          `json:"sessions"`  // number of sessions; 1 for a single-session activity
	Threshold   float64      `json:"threshold"` // 0..1, DefaultThreshold when unset
	RuleVersion string       `json:"rule_version"`
}

// SessionState is open or closed.
type SessionState string

// Session states.
const (
	Open   SessionState = "open"
	Closed SessionState = "closed"
)

// Modality is presencial, virtual or hibrida.
type Modality string

// Modalities.
const (
	Presencial Modality = "presencial"
	Remote     Modality = "virtual"
	Hybrid     Modality = "hibrida" // shown «híbrida»
)

// Online reports whether attendance may come from a participants report.
func (m Modality) Online() bool { return m == Remote || m == Hybrid }

// Session is one occurrence of an activity at a date, time and place.
type Session struct {
	ID           string       `json:"id"` // UUIDv7, made on the device
	ActivityCode string       `json:"activity_code"`
	Date         string       `json:"date"`  // YYYY-MM-DD
	Start        string       `json:"start"` // HH:MM, may be empty
	End          string       `json:"end"`   // HH:MM, may be empty
	Province     string       `json:"province"`
	Municipality string       `json:"municipality"`
	Venue        string       `json:"venue"`
	Instructor   string       `json:"instructor"`
	Modality     Modality     `json:"modality"`
	Platform     string       `json:"platform,omitempty"`    // meeting platform of an online session
	Link         string       `json:"link,omitempty"`        // meeting link
	MinShare     float64      `json:"min_share,omitempty"`   // share of the scheduled length to attend; 0: DefaultMinShare
	MinMinutes   int          `json:"min_minutes,omitempty"` // minutes to attend, instead of a share
	State        SessionState `json:"state"`
	ClosedAt     *time.Time   `json:"closed_at,omitempty"`
	CreatedAt    time.Time    `json:"created_at"`
}

// Status is a person's attendance status at a session.
type Status string

// Attendance statuses.
const (
	Presente    Status = "presente"
	Tarde       Status = "tarde"
	Justificado Status = "justificado"
	Ausente     Status = "ausente"
)

// Statuses lists the valid statuses.
var Statuses = []Status{Presente, Tarde, Justificado, Ausente}

// Attended reports whether the status counts as being there.
func (s Status) Attended() bool { return s == Presente || s == Tarde }

// Method is how an attendance was recorded.
type Method string

// Check-in methods.
const (
	Typed  Method = "typed"
	Search Method = "search"
	Scan   Method = "scan"
	Import Method = "import"
	WalkIn Method = "walk-in"
)

// Attendance is a person at a session.
type Attendance struct {
	ID        string    `json:"id"` // UUIDv7, made on the device
	SessionID string    `json:"session_id"`
	DNI       string    `json:"dni"`
	Status    Status    `json:"status"`
	At        time.Time `json:"at"`
	Method    Method    `json:"method"`
	Minutes   *int      `json:"minutes,omitempty"` // connected minutes, when taken from a participants report
}

// Valid reports whether s is one of Statuses.
func (s Status) Valid() bool {
	for _, v := range Statuses {
		if s == v {
			return true
		}
	}
	return false
}
