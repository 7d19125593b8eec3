package domain_test

import (
	"errors"
	"testing"
	"time"

	"github.com/puntos-ar/puntos/storage/domain"
)

func TestArgentina(t *testing.T) {
	at := time.Date(2026, 12, 3, 1, 27, 56, 0, time.UTC)
	t.Run("TzDatabase", func(t *testing.T) {
		if got := at.In(domain.Argentina).Format("02/01/2006 15:04 -07:00"); got != "02/12/2026 22:27 -03:00" {
			t.Errorf("got %s", got)
		}
	})
	t.Run("NoTzDatabase", func(t *testing.T) {
		loc := domain.ArgentinaZone(func(string) (*time.Location, error) { return nil, errors.New("unknown time zone") })
		if got := at.In(loc).Format("02/01/2006 15:04 -07:00"); got != "02/12/2026 22:27 -03:00" {
			t.Errorf("got %s", got)
		}
	})
}

func TestClockCheck(t *testing.T) {
	for _, c := range []struct {
		name           string
		check          domain.ClockCheck
		wrong, drifted bool
	}{
		{"OK", domain.ClockCheck{ZoneOffset: -3 * 3600, Drift: 9 * time.Minute, Checked: true}, false, false},
		{"UTCZone", domain.ClockCheck{ZoneOffset: 0}, true, false},
		{"Ahead", domain.ClockCheck{ZoneOffset: -3 * 3600, Drift: 11 * time.Minute, Checked: true}, false, true},
		{"Behind", domain.ClockCheck{ZoneOffset: -3 * 3600, Drift: -2 * time.Hour, Checked: true}, false, true},
		{"NotChecked", domain.ClockCheck{ZoneOffset: -3 * 3600, Drift: time.Hour}, false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := c.check.WrongZone(); got != c.wrong {
				t.Errorf("WrongZone = %v, want %v", got, c.wrong)
			}
			if got := c.check.Drifted(); got != c.drifted {
				t.Errorf("Drifted = %v, want %v", got, c.drifted)
			}
		})
	}
}
