package domain

import "math"

// Reasons an Outcome is not eligible. They are stable codes.
const (
	ReasonAbsent          = "absent"           // attended no session
	ReasonBelowThreshold  = "below_threshold"  // attended fewer sessions than required
	ReasonAlreadyCredited = "already_credited" // the points were credited before
)

// Outcome is the result of applying the points rule to one person and one
// activity in one calendar year.
type Outcome struct {
	Eligible bool
	Points   int    // the activity's points when eligible, else 0
	Attended int    // sessions attended (presente or tarde)
	Required int    // sessions needed
	Reason   string // a Reason* code when not eligible, else ""
	Rule     string // the RuleVersion that produced the outcome
	Year     int    // the calendar year credited; set by Award, 0 from Evaluate
}

// CreditKey identifies a credit: a person earns an activity's points at most
// once per calendar year, whatever the device or session that records it.
// Callers keep the keys already credited and pass that knowledge to Award.
type CreditKey struct {
	DNI          string
	ActivityCode string
	Year         int
}

// CreditYear returns the calendar year a session's date (YYYY-MM-DD or
// DD/MM/YYYY) credits its points to.
func CreditYear(date string) (int, error) {
	t, err := ParseDate(date)
	if err != nil {
		return 0, err
	}
	return t.Year(), nil
}

// Evaluate applies the points rule to one person's statuses across the
// sessions of activity a in one calendar year, in any order. A single-session
// activity (a.Sessions <= 1) is earned by being presente or tarde; a
// multi-session one by attending at least ceil(a.Threshold × a.Sessions)
// sessions, with DefaultThreshold when a.Threshold is unset.
func Evaluate(a Activity, statuses []Status) Outcome {
	n := max(a.Sessions, 1)
	attended := 0
	for _, s := range statuses {
		if s.Attended() {
			attended++
		}
	}
	attended = min(attended, n)
	o := Outcome{Attended: attended, Required: requiredSessions(a.Threshold, n), Rule: RuleVersion}
	switch {
	case attended == 0:
		o.Reason = ReasonAbsent
	case attended < o.Required:
		o.Reason = ReasonBelowThreshold
	default:
		o.Eligible, o.Points = true, a.Points
	}
	return o
}

// requiredSessions returns ceil(threshold × n), between 1 and n. The epsilon
// keeps products like 0.28 × 25 = 7.000000000000001 from rounding up to 8.
func requiredSessions(threshold float64, n int) int {
	if !(threshold > 0) { // also NaN
		threshold = DefaultThreshold
	}
	threshold = min(threshold, 1)
	r := int(math.Ceil(threshold*float64(n) - 1e-9))
	return min(max(r, 1), n)
}

// Award is Evaluate for crediting: when credited reports that the person's
// CreditKey{DNI, a.Code, year} was already credited, the outcome is not
// eligible with ReasonAlreadyCredited and no points, so the points are
// earned once.
func Award(a Activity, year int, statuses []Status, credited bool) Outcome {
	o := Evaluate(a, statuses)
	o.Year = year
	if credited {
		o.Eligible, o.Points, o.Reason = false, 0, ReasonAlreadyCredited
	}
	return o
}
