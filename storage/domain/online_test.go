package domain_test

import (
	"errors"
	"testing"

	"github.com/puntos-ar/puntos/storage/domain"
)

func TestValidateOnlineSession(t *testing.T) {
	ok := domain.Session{ActivityCode: "X-1", Date: "2026-11-27", Start: "10:00", End: "12:00", Province: "salta",
		Modality: "Híbrida", Municipality: "cafayate", Platform: "  Zoom ", Link: "https://zoom.us/j/85123456789"}
	t.Run("OK", func(t *testing.T) {
		in := ok
		if err := domain.ValidateSession(&in, knownActivity, places{}); err != nil {
			t.Fatal(err)
		}
		if in.Modality != domain.Hybrid || in.Platform != "Zoom" || in.Municipality != "Cafayate" {
			t.Errorf("got %+v", in)
		}
	})
	t.Run("VirtualWithoutMunicipality", func(t *testing.T) {
		in := ok
		in.Modality, in.Municipality = domain.Remote, ""
		if err := domain.ValidateSession(&in, knownActivity, places{}); err != nil {
			t.Fatal(err)
		}
		if got := in.Place(); got != "Virtual (Zoom), Salta" {
			t.Errorf("place %q", got)
		}
	})
	for _, tc := range []struct {
		name string
		edit func(*domain.Session)
		code string
	}{
		{"ErrTimesMissing", func(s *domain.Session) { s.End = "" }, "times_missing"},
		{"ErrHybridMunicipality", func(s *domain.Session) { s.Municipality = "" }, "municipality_missing"},
		{"ErrNotOnline", func(s *domain.Session) { s.Modality = domain.Presencial }, "not_online"},
		{"ErrLink", func(s *domain.Session) { s.Link = "zoom.us/j/1" }, "link"},
		{"ErrBothThresholds", func(s *domain.Session) { s.MinShare, s.MinMinutes = 0.8, 60 }, "threshold_both"},
		{"ErrShare", func(s *domain.Session) { s.MinShare = 1.5 }, "min_share"},
		{"ErrMinutesOverLength", func(s *domain.Session) { s.MinMinutes = 121 }, "min_minutes"},
		{"ErrModality", func(s *domain.Session) { s.Modality = "hybrid" }, "modality"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := ok
			tc.edit(&in)
			err := domain.ValidateSession(&in, knownActivity, places{})
			var e *domain.Error
			if !errors.As(err, &e) || e.Code != tc.code {
				t.Errorf("got %v, want code %s", err, tc.code)
			}
		})
	}
}

func TestRequiredSeconds(t *testing.T) {
	s := domain.Session{Start: "10:00", End: "12:00"}
	for _, tc := range []struct {
		share   float64
		minutes int
		want    int
	}{{0, 0, 90 * 60}, {0.5, 0, 60 * 60}, {0, 100, 100 * 60}} {
		s.MinShare, s.MinMinutes = tc.share, tc.minutes
		if got := s.RequiredSeconds(); got != tc.want {
			t.Errorf("share %g, minutes %d: %d s, want %d", tc.share, tc.minutes, got, tc.want)
		}
	}
}
