package wire

import (
	"strconv"

	"github.com/puntos-ar/puntos/storage/domain"
)

// SurveyResults are a group's survey distributions as they are shown:
// the counts per point ("1" lowest … "5") of each question. Below
// domain.SurveyMinResponses answers Value and Use are nil (JSON null), so
// a small group's answers cannot point at a person.
type SurveyResults struct {
	Responses int            `json:"responses"`
	Value     map[string]int `json:"value"`
	Use       map[string]int `json:"use"`
}

// NewSurveyResults returns the results of s as they may be shown.
func NewSurveyResults(s domain.Survey) SurveyResults {
	r := SurveyResults{Responses: s.Responses()}
	if s.Shown() {
		r.Value, r.Use = distribution(s.Value), distribution(s.Use)
	}
	return r
}

func distribution(c domain.SurveyCounts) map[string]int {
	m := make(map[string]int, len(c))
	for i, n := range c {
		m[strconv.Itoa(i+1)] = n
	}
	return m
}
