package wire

import "time"

// PathStaffImpact is the staff API path of the impact view of a year
// (query parameter "province": a province, else every one in scope).
const PathStaffImpact = "/api/v1/staff/impact/{year}"

// ImpactTotals are a year's figures: distinct people trained (present or
// late at least once), sessions, person-hours, net points, and the
// attendances (present or late) with the share of them in virtual or
// hybrid sessions.
type ImpactTotals struct {
	People      int     `json:"people"`
	Sessions    int     `json:"sessions"`
	Hours       float64 `json:"hours"`
	Points      int     `json:"points"`
	Attendances int     `json:"attendances"`
	OnlineShare float64 `json:"online_share"`
}

// ImpactMonth is one month of the trend.
type ImpactMonth struct {
	Month       int     `json:"month"` // 1–12
	Sessions    int     `json:"sessions"`
	Attendances int     `json:"attendances"`
	Hours       float64 `json:"hours"`
}

// ImpactProvince is what reached one province.
type ImpactProvince struct {
	Province    string `json:"province"`
	Sessions    int    `json:"sessions"`
	Attendances int    `json:"attendances"`
}

// ImpactPlace is a municipality reached, at its georef location (Located
// false when the name is not on the official list: it is counted but not
// drawn).
type ImpactPlace struct {
	Province     string  `json:"province"`
	ProvinceID   string  `json:"province_id"`
	Municipality string  `json:"municipality"`
	Sessions     int     `json:"sessions"`
	Attendances  int     `json:"attendances"`
	Lat          float64 `json:"lat"`
	Lon          float64 `json:"lon"`
	Located      bool    `json:"located"`
}

// ImpactChange is the relative change of a year's figures from the
// previous year's (0.25 = 25 % more); nil (JSON null) where the previous
// year had none.
type ImpactChange struct {
	People   *float64 `json:"people"`
	Sessions *float64 `json:"sessions"`
	Hours    *float64 `json:"hours"`
	Points   *float64 `json:"points"`
}

// Impact is the impact view of a year: how many were trained, how, where
// and with what reaction, by month and against the previous year.
type Impact struct {
	Protocol string `json:"protocol"`
	Year     int    `json:"year"`
	Province string `json:"province,omitempty"` // the filter; empty: every province
	ImpactTotals
	InPersonShare         float64          `json:"in_person_share"`
	ProvincesReached      int              `json:"provinces_reached"`
	MunicipalitiesReached int              `json:"municipalities_reached"`
	Survey                SurveyResults    `json:"survey"`
	Months                []ImpactMonth    `json:"months"` // 12, January first
	Previous              ImpactTotals     `json:"previous"`
	Change                ImpactChange     `json:"change"`
	Provinces             []ImpactProvince `json:"provinces"`      // by attendances, most first
	Municipalities        []ImpactPlace    `json:"municipalities"` // by attendances, most first
	GeneratedAt           time.Time        `json:"generated_at"`
}
