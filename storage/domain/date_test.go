package domain_test

import (
	"testing"
	"time"

	"github.com/puntos-ar/puntos/storage/domain"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		name, in, want, code string
	}{
		{"ISO", "2026-03-15", "2026-03-15", ""},
		{"Slashes", "15/03/2026", "2026-03-15", ""},
		{"SlashesShort", "5/3/2026", "2026-03-05", ""},
		{"Spaces", " 2026-03-15\n", "2026-03-15", ""},
		{"LeapDay", "29/02/2024", "2024-02-29", ""},
		{"Empty", "", "", domain.CodeDateFormat},
		{"TwoDigitYear", "15/03/26", "", domain.CodeDateFormat},
		{"ISOShortMonth", "2026-3-15", "", domain.CodeDateFormat},
		{"MixedSeparators", "2026/03-15", "", domain.CodeDateFormat},
		{"DashesDayFirst", "15-03-2026", "", domain.CodeDateFormat},
		{"Letters", "2026-0a-15", "", domain.CodeDateFormat},
		{"Signs", "+5/-3/2026", "", domain.CodeDateFormat},
		{"Feb30", "2026-02-30", "", domain.CodeDateInvalid},
		{"NotLeap", "29/02/2026", "", domain.CodeDateInvalid},
		{"Month13", "2026-13-01", "", domain.CodeDateInvalid},
		{"Day0", "00/03/2026", "", domain.CodeDateInvalid},
		{"Day32", "32/01/2026", "", domain.CodeDateInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := domain.ParseDate(tt.in)
			if tt.code != "" {
				wantCode(t, err, tt.code, "date")
				return
			}
			if err != nil {
				t.Fatalf("got error %v, want %s", err, tt.want)
			}
			if s := got.Format(time.DateOnly); s != tt.want {
				t.Errorf("got %s, want %s", s, tt.want)
			}
			if got.Location() != time.UTC || got.Hour() != 0 || got.Minute() != 0 || got.Second() != 0 || got.Nanosecond() != 0 {
				t.Errorf("got %v, want 00:00 UTC", got)
			}
		})
	}
}

func TestParseClock(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"HHMM", "09:30", "09:30"},
		{"HMM", "9:30", "09:30"},
		{"Midnight", "0:00", "00:00"},
		{"Last", "23:59", "23:59"},
		{"Spaces", " 14:05 ", "14:05"},
		{"Hour24", "24:00", ""},
		{"Minute60", "12:60", ""},
		{"OneDigitMinute", "12:5", ""},
		{"Dot", "9.30", ""},
		{"NoColon", "0930", ""},
		{"ThreeDigitHour", "009:30", ""},
		{"Seconds", "09:30:00", ""},
		{"Sign", "+9:30", ""},
		{"Empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := domain.ParseClock(tt.in)
			if tt.want == "" {
				wantCode(t, err, domain.CodeClockFormat, "")
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("got %q, %v, want %q", got, err, tt.want)
			}
		})
	}
}

func TestLongDate(t *testing.T) {
	cases := []struct{ first, last, want string }{
		{"2026-11-27", "", "27 de noviembre de 2026"},
		{"2026-03-01", "2026-03-01", "1 de marzo de 2026"},
		{"2026-11-03", "2026-11-24", "del 3 de noviembre al 24 de noviembre de 2026"},
		{"2025-12-20", "2026-01-10", "del 20 de diciembre de 2025 al 10 de enero de 2026"},
		{"bad", "", "bad"},
	}
	for _, c := range cases {
		if got := domain.DateSpan(c.first, c.last); got != c.want {
			t.Errorf("DateSpan(%q, %q) = %q, want %q", c.first, c.last, got, c.want)
		}
	}
}
