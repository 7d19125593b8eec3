package domain_test

import (
	"math"
	"testing"

	"github.com/puntos-ar/puntos/storage/domain"
)

const (
	P = domain.Presente
	T = domain.Tarde
	J = domain.Justificado
	A = domain.Ausente
)

func TestEvaluate(t *testing.T) {
	talk := domain.Activity{Code: "CH-01", Points: 2, Sessions: 1}
	course := func(sessions int, threshold float64) domain.Activity {
		return domain.Activity{Code: "CU-01", Points: 100, Sessions: sessions, Threshold: threshold}
	}
	ok := func(points, attended, required int) domain.Outcome {
		return domain.Outcome{Eligible: true, Points: points, Attended: attended, Required: required, Rule: domain.RuleVersion}
	}
	no := func(reason string, attended, required int) domain.Outcome {
		return domain.Outcome{Reason: reason, Attended: attended, Required: required, Rule: domain.RuleVersion}
	}
	tests := []struct {
		name     string
		a        domain.Activity
		statuses []domain.Status
		want     domain.Outcome
	}{
		{"SinglePresente", talk, []domain.Status{P}, ok(2, 1, 1)},
		{"SingleTarde", talk, []domain.Status{T}, ok(2, 1, 1)},
		{"SingleJustificado", talk, []domain.Status{J}, no(domain.ReasonAbsent, 0, 1)},
		{"SingleAusente", talk, []domain.Status{A}, no(domain.ReasonAbsent, 0, 1)},
		{"SingleNone", talk, nil, no(domain.ReasonAbsent, 0, 1)},
		{"SingleTwoRecords", talk, []domain.Status{A, P}, ok(2, 1, 1)},
		{"SingleZeroSessions", domain.Activity{Points: 2}, []domain.Status{P}, ok(2, 1, 1)},
		{"SingleZeroPoints", domain.Activity{Sessions: 1}, []domain.Status{P}, ok(0, 1, 1)},
		{"FourOfFour", course(4, 0.75), []domain.Status{P, P, T, P}, ok(100, 4, 3)},
		{"ThreeOfFourExact", course(4, 0.75), []domain.Status{P, A, T, P}, ok(100, 3, 3)},
		{"TwoOfFour", course(4, 0.75), []domain.Status{P, A, T, J}, no(domain.ReasonBelowThreshold, 2, 3)},
		{"UnorderedStatuses", course(4, 0.75), []domain.Status{A, P, P, P}, ok(100, 3, 3)},
		{"NoneOfFour", course(4, 0.75), []domain.Status{A, J, A, A}, no(domain.ReasonAbsent, 0, 3)},
		{"MissingRecordsAreAbsent", course(4, 0.75), []domain.Status{P, P}, no(domain.ReasonBelowThreshold, 2, 3)},
		{"DefaultThreshold", course(4, 0), []domain.Status{P, P, P}, ok(100, 3, 3)},
		{"DefaultThresholdNaN", course(4, math.NaN()), []domain.Status{P, P, P}, ok(100, 3, 3)},
		{"DefaultThresholdRoundsUp", course(5, 0), []domain.Status{P, P, P}, no(domain.ReasonBelowThreshold, 3, 4)}, // 3.75 → 4
		{"SevenTenths", course(10, 0.7), []domain.Status{P, P, P, P, P, P, P, A, A, A}, ok(100, 7, 7)},
		{"FloatNoise", course(25, 0.28), []domain.Status{P, P, P, P, P, P, P}, ok(100, 7, 7)},      // 0.28×25 = 7.000000000000001
		{"FloatNoiseTwice", course(50, 0.14), []domain.Status{P, P, T, P, P, T, P}, ok(100, 7, 7)}, // 0.14×50 = 7.000000000000001
		{"HalfOfThree", course(3, 0.5), []domain.Status{P, A, T}, ok(100, 2, 2)},
		{"FullThreshold", course(3, 1), []domain.Status{P, P, A}, no(domain.ReasonBelowThreshold, 2, 3)},
		{"ThresholdAboveOne", course(3, 1.5), []domain.Status{P, P, P}, ok(100, 3, 3)},
		{"TinyThreshold", course(8, 0.01), []domain.Status{P}, ok(100, 1, 1)},
		{"MoreRecordsThanSessions", course(2, 0.75), []domain.Status{P, P, P}, ok(100, 2, 2)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := domain.Evaluate(tt.a, tt.statuses); got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestAward(t *testing.T) {
	a := domain.Activity{Code: "CU-01", Points: 100, Sessions: 4, Threshold: 0.75}
	tests := []struct {
		name     string
		statuses []domain.Status
		credited bool
		want     domain.Outcome
	}{
		{"Eligible", []domain.Status{P, P, P, A}, false,
			domain.Outcome{Eligible: true, Points: 100, Attended: 3, Required: 3, Rule: domain.RuleVersion, Year: 2026}},
		{"AlreadyCredited", []domain.Status{P, P, P, A}, true,
			domain.Outcome{Reason: domain.ReasonAlreadyCredited, Attended: 3, Required: 3, Rule: domain.RuleVersion, Year: 2026}},
		{"AlreadyCreditedAndAbsent", []domain.Status{A}, true,
			domain.Outcome{Reason: domain.ReasonAlreadyCredited, Attended: 0, Required: 3, Rule: domain.RuleVersion, Year: 2026}},
		{"Below", []domain.Status{P}, false,
			domain.Outcome{Reason: domain.ReasonBelowThreshold, Attended: 1, Required: 3, Rule: domain.RuleVersion, Year: 2026}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := domain.Award(a, 2026, tt.statuses, tt.credited); got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestCreditYear(t *testing.T) {
	tests := []struct {
		name, in string
		want     int
	}{
		{"ISO", "2026-12-31", 2026},
		{"Slashes", "01/01/2027", 2027},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, err := domain.CreditYear(tt.in); err != nil || got != tt.want {
				t.Errorf("got %d, %v, want %d", got, err, tt.want)
			}
		})
	}
	t.Run("ErrInvalid", func(t *testing.T) {
		_, err := domain.CreditYear("2026-02-30")
		wantCode(t, err, domain.CodeDateInvalid, "date")
	})
}

func TestCreditKeyOncePerYear(t *testing.T) {
	// A caller credits once per key: the same person and activity in two
	// sessions of one year share a key; another year does not.
	y1, _ := domain.CreditYear("2026-03-10")
	y2, _ := domain.CreditYear("2026-11-20")
	y3, _ := domain.CreditYear("2027-03-10")
	k := func(y int) domain.CreditKey { return domain.CreditKey{DNI: "12345678", ActivityCode: "CH-01", Year: y} }
	credited := map[domain.CreditKey]bool{k(y1): true}
	if !credited[k(y2)] {
		t.Error("got a second credit in the same year, want one")
	}
	if credited[k(y3)] {
		t.Error("got the next year already credited, want not")
	}
}
