package domain

import (
	"strconv"
	"strings"
	"time"
)

// Survey rules: the anonymous reaction survey at the end of a session.
// Each answer rates the value of the class and the likelihood of using
// what was learned on a scale of SurveyScale points (1 lowest); a comment
// is optional. Only counts and comments are kept: no person, DNI or time.
const (
	SurveyScale = 5
	// SurveyOpenDays is how long after the session's date a survey takes
	// answers unless it is closed sooner.
	SurveyOpenDays = 7
	// SurveyMinResponses is how many answers a group needs before its
	// results are shown: fewer could point at a person.
	SurveyMinResponses = 5
	// MaxSurveyComment is the longest comment, in characters.
	MaxSurveyComment = 500
	// MaxSurveyCount is the largest count a tally may add for one point.
	MaxSurveyCount = 10000
)

// Survey error codes.
const (
	CodeSurveyValue  = "survey_value"
	CodeSurveyUse    = "survey_use"
	CodeSurveyTally  = "survey_tally"
	CodeSurveyCount  = "survey_count"
	CodeSurveyClosed = "survey_closed"
)

// SurveyCounts are the answers per point of the scale, lowest first.
type SurveyCounts [SurveyScale]int

// Total is the number of answers counted.
func (c SurveyCounts) Total() int {
	n := 0
	for _, v := range c {
		n += v
	}
	return n
}

// Survey is a session's survey: its counts and comments.
type Survey struct {
	Value    SurveyCounts
	Use      SurveyCounts
	Comments []string
}

// Responses is the number of people who answered: the larger of the two
// questions' totals (a paper form may leave one question blank).
func (s Survey) Responses() int { return max(s.Value.Total(), s.Use.Total()) }

// Shown reports whether the survey's results may be shown.
func (s Survey) Shown() bool { return s.Responses() >= SurveyMinResponses }

// CheckSurveyAnswer checks one answer: value and use from 1 to
// SurveyScale, a comment of at most MaxSurveyComment characters. It
// returns the comment trimmed.
func CheckSurveyAnswer(value, use int, comment string) (string, error) {
	if value < 1 || value > SurveyScale {
		return "", &Error{Code: CodeSurveyValue}
	}
	if use < 1 || use > SurveyScale {
		return "", &Error{Code: CodeSurveyUse}
	}
	comment = strings.TrimSpace(comment)
	if len([]rune(comment)) > MaxSurveyComment {
		return "", &Error{Code: CodeTooLong, Field: "comment", Max: MaxSurveyComment}
	}
	return comment, nil
}

// ParseSurveyTally parses a paper tally, "N1,N2,N3,N4,N5": how many
// answered each point, lowest first. field ("value" or "use") names it in
// errors.
func ParseSurveyTally(s, field string) (SurveyCounts, error) {
	var c SurveyCounts
	parts := strings.Split(s, ",")
	if len(parts) != SurveyScale {
		return c, &Error{Code: CodeSurveyTally, Field: field}
	}
	for i, p := range parts {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || n < 0 || n > MaxSurveyCount {
			return c, &Error{Code: CodeSurveyCount, Field: field, Max: MaxSurveyCount}
		}
		c[i] = n
	}
	return c, nil
}

// SurveyOpenUntil returns the last day (YYYY-MM-DD) a survey of a session
// held on date (YYYY-MM-DD) takes answers.
func SurveyOpenUntil(date string) (string, error) {
	t, err := ParseDate(date)
	if err != nil {
		return "", err
	}
	return t.AddDate(0, 0, SurveyOpenDays).Format(dateLayout), nil
}

// Today returns t's calendar date in Argentina, YYYY-MM-DD.
func Today(t time.Time) string { return t.In(Argentina).Format(dateLayout) }

// ErrSurveyClosed is the error of an answer to a survey that no longer
// takes them (closed by hand, past SurveyOpenDays, or already sent).
var ErrSurveyClosed = &Error{Code: CodeSurveyClosed}
