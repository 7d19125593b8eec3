package domain

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// dateLayout is the stored form of a date.
const dateLayout = "2006-01-02"

// ParseDate parses a date written YYYY-MM-DD or DD/MM/YYYY (day and month may
// have one digit: 5/3/2026) and returns it at 00:00 UTC. It returns an *Error
// with code CodeDateInvalid for dates that do not exist, like 2026-02-30.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	var y, m, d string
	if parts := strings.Split(s, "-"); len(parts) == 3 && len(parts[0]) == 4 && len(parts[1]) == 2 && len(parts[2]) == 2 {
		y, m, d = parts[0], parts[1], parts[2]
	} else if parts := strings.Split(s, "/"); len(parts) == 3 && len(parts[2]) == 4 &&
		len(parts[0]) >= 1 && len(parts[0]) <= 2 && len(parts[1]) >= 1 && len(parts[1]) <= 2 {
		d, m, y = parts[0], parts[1], parts[2]
	} else {
		return time.Time{}, invalid(CodeDateFormat, "date")
	}
	if !isDigits(y + m + d) {
		return time.Time{}, invalid(CodeDateFormat, "date")
	}
	year, _ := strconv.Atoi(y)
	month, _ := strconv.Atoi(m)
	day, _ := strconv.Atoi(d)
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if t.Year() != year || int(t.Month()) != month || t.Day() != day {
		return time.Time{}, invalid(CodeDateInvalid, "date")
	}
	return t, nil
}

// ParseClock parses a time of day written H:MM or HH:MM, from 00:00 to 23:59,
// and returns it as HH:MM.
func ParseClock(s string) (string, error) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok || len(h) < 1 || len(h) > 2 || len(m) != 2 || !isDigits(h+m) {
		return "", invalid(CodeClockFormat, "")
	}
	hour, _ := strconv.Atoi(h)
	minute, _ := strconv.Atoi(m)
	if hour > 23 || minute > 59 {
		return "", invalid(CodeClockFormat, "")
	}
	return fmt.Sprintf("%02d:%02d", hour, minute), nil
}

var monthNames = [...]string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio",
	"agosto", "septiembre", "octubre", "noviembre", "diciembre"}

// LongDate writes a stored date (YYYY-MM-DD) the Spanish way: "27 de
// noviembre de 2026". Anything else is returned as given.
func LongDate(date string) string {
	t, err := time.Parse(dateLayout, date)
	if err != nil {
		return date
	}
	return fmt.Sprintf("%d de %s de %d", t.Day(), monthNames[t.Month()-1], t.Year())
}

// DateSpan writes the first and last of sorted stored dates: "27 de
// noviembre de 2026", or "del 3 de noviembre al 24 de noviembre de 2026".
func DateSpan(first, last string) string {
	if first == last || last == "" {
		return LongDate(first)
	}
	a, b := LongDate(first), LongDate(last)
	if first[:4] == last[:4] {
		a = strings.TrimSuffix(a, " de "+first[:4])
	}
	return "del " + a + " al " + b
}
