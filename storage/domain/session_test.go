package domain_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/puntos-ar/puntos/storage/domain"
)

// places is a small table of official places for the tests.
type places struct{}

func (places) Province(s string) (name, id string, ok bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "salta":
		return "Salta", "66", true
	case "caba":
		return "Ciudad Autónoma de Buenos Aires", "02", true
	}
	return "", "", false
}

func (places) Municipality(provinceID, s string) (string, bool) {
	if provinceID == "66" && strings.EqualFold(s, "cafayate") {
		return "Cafayate", true
	}
	return "", false
}

var errUnknownActivity = errors.New("unknown activity")

func knownActivity(code string) error {
	if code != "X-1" {
		return errUnknownActivity
	}
	return nil
}

func TestValidateSession(t *testing.T) {
	ok := domain.Session{ActivityCode: " X-1 ", Date: "2026-03-19", Start: "9:00", End: "12:30",
		Province: "salta", Municipality: "  cafayate ", Venue: " Salón ", Instructor: " Lic. Gómez "}
	t.Run("OK", func(t *testing.T) {
		in := ok
		if err := domain.ValidateSession(&in, knownActivity, places{}); err != nil {
			t.Fatal(err)
		}
		want := domain.Session{ActivityCode: "X-1", Date: "2026-03-19", Start: "09:00", End: "12:30", Province: "Salta",
			Municipality: "Cafayate", Venue: "Salón", Instructor: "Lic. Gómez", Modality: domain.Presencial}
		if in != want {
			t.Errorf("got %+v, want %+v", in, want)
		}
	})
	t.Run("UnlistedMunicipality", func(t *testing.T) {
		in := ok
		in.Province, in.Municipality, in.Start, in.End = "CABA", " Villa   Crespo ", " ", ""
		if err := domain.ValidateSession(&in, knownActivity, places{}); err != nil {
			t.Fatal(err)
		}
		if in.Municipality != "Villa Crespo" || in.Province != "Ciudad Autónoma de Buenos Aires" || in.Start != "" || in.Modality != domain.Presencial {
			t.Errorf("got %+v", in)
		}
	})
	for _, tc := range []struct {
		name string
		edit func(*domain.Session)
		code string
	}{
		{"ErrActivityMissing", func(s *domain.Session) { s.ActivityCode = " " }, "activity_missing"},
		{"ErrDate", func(s *domain.Session) { s.Date = "2026-02-30" }, domain.CodeDateInvalid},
		{"ErrClock", func(s *domain.Session) { s.End = "25:00" }, domain.CodeClockFormat},
		{"ErrTimeOrder", func(s *domain.Session) { s.End = "08:00" }, "time_order"},
		{"ErrProvinceMissing", func(s *domain.Session) { s.Province = "" }, "province_missing"},
		{"ErrProvinceUnknown", func(s *domain.Session) { s.Province = "Narnia" }, "province_unknown"},
		{"ErrMunicipalityMissing", func(s *domain.Session) { s.Municipality = "  " }, "municipality_missing"},
		{"ErrModality", func(s *domain.Session) { s.Modality = "mixta" }, "modality"},
		{"ErrTooLong", func(s *domain.Session) { s.Venue = strings.Repeat("x", 201) }, domain.CodeTooLong},
		{"ErrInstructorTooLong", func(s *domain.Session) { s.Instructor = strings.Repeat("x", domain.MaxInstructor+1) }, domain.CodeTooLong},
		{"ErrMunicipalityTooLong", func(s *domain.Session) { s.Municipality = strings.Repeat("x", domain.MaxMunicipality+1) }, domain.CodeTooLong},
		{"ErrCodeTooLong", func(s *domain.Session) { s.ActivityCode = strings.Repeat("x", 10<<20) }, domain.CodeTooLong},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := ok
			tc.edit(&in)
			err := domain.ValidateSession(&in, knownActivity, places{})
			var e *domain.Error
			if !errors.As(err, &e) || e.Code != tc.code || e.Error() == "" {
				t.Errorf("got %v, want an *Error with code %s", err, tc.code)
			}
		})
	}
	t.Run("ErrActivityUnknown", func(t *testing.T) {
		in := ok
		in.ActivityCode = "Z-9"
		if err := domain.ValidateSession(&in, knownActivity, places{}); !errors.Is(err, errUnknownActivity) {
			t.Errorf("got %v, want the activity lookup's error", err)
		}
	})
}
