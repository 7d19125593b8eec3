package participants

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// stampRE matches the date-times platforms write: 11/27/2026 10:01:22 AM
// (Zoom), 27/11/26, 10:01:22 (Teams and BigBlueButton in Spanish),
// 2026-11-27 10:01:22 or 2026-11-27T10:01:22-03:00, with "a. m." / "p. m.",
// and an optional zone (Z, UTC, GMT-3, -03:00).
var stampRE = regexp.MustCompile(`(?i)^(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})[,T\s]*` +
	`(\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,]\d+)?\s*(a\.?\s?m\.?|p\.?\s?m\.?)?\s*` +
	`(z|utc|gmt|[+\-]\d{2}:?\d{2}|(?:gmt|utc)\s*[+\-]\d{1,2}(?::?\d{2})?|art)?$`)

// clockRE matches a time of day alone, as some exports write it.
var clockRE = regexp.MustCompile(`(?i)^(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(a\.?\s?m\.?|p\.?\s?m\.?)?$`)

// parseStamp reads a date-time. Without a zone it is Argentina's time. Day
// and month order is not known from the text alone (03/04/2026): of the
// readings that make a valid date, the one nearest to near wins. A time of
// day alone is taken on near's date.
func parseStamp(s string, near time.Time) (time.Time, bool) {
	s = strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return ' '
		}
		return r
	}, s))
	if s == "" || s == "-" {
		return time.Time{}, false
	}
	if m := clockRE.FindStringSubmatch(s); m != nil {
		h, mi, sec, ok := clock(m[1], m[2], m[3], m[4])
		if !ok || near.IsZero() {
			return time.Time{}, false
		}
		n := near.In(Argentina)
		return time.Date(n.Year(), n.Month(), n.Day(), h, mi, sec, 0, Argentina), true
	}
	m := stampRE.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, false
	}
	h, mi, sec, ok := clock(m[4], m[5], m[6], m[7])
	if !ok {
		return time.Time{}, false
	}
	loc := zone(m[8])
	a, _ := strconv.Atoi(m[1])
	b, _ := strconv.Atoi(m[2])
	c, _ := strconv.Atoi(m[3])
	type ymd struct{ y, m, d int }
	var cands []ymd
	if len(m[1]) == 4 {
		cands = []ymd{{a, b, c}}
	} else {
		if len(m[3]) <= 2 {
			c += 2000
		}
		cands = []ymd{{c, a, b}, {c, b, a}}
	}
	var best time.Time
	for _, k := range cands {
		if k.m < 1 || k.m > 12 || k.d < 1 || k.d > 31 {
			continue
		}
		t := time.Date(k.y, time.Month(k.m), k.d, h, mi, sec, 0, loc)
		if t.Day() != k.d {
			continue // 31/02
		}
		if best.IsZero() || (!near.IsZero() && t.Sub(near).Abs() < best.Sub(near).Abs()) {
			best = t
		}
	}
	return best, !best.IsZero()
}

// clock reads hours, minutes, seconds and an AM/PM marker.
func clock(hs, ms, ss, ampm string) (h, m, s int, ok bool) {
	h, _ = strconv.Atoi(hs)
	m, _ = strconv.Atoi(ms)
	if ss != "" {
		s, _ = strconv.Atoi(ss)
	}
	if mark := strings.ToLower(strings.Trim(ampm, " ")); mark != "" {
		if h < 1 || h > 12 {
			return 0, 0, 0, false
		}
		pm := mark[0] == 'p'
		switch {
		case pm && h != 12:
			h += 12
		case !pm && h == 12:
			h = 0
		}
	}
	return h, m, s, h < 24 && m < 60 && s < 60
}

// zone returns the location a zone suffix names; none is Argentina.
func zone(z string) *time.Location {
	z = strings.ToLower(strings.ReplaceAll(z, " ", ""))
	switch z {
	case "", "art":
		return Argentina
	case "z", "utc", "gmt":
		return time.UTC
	}
	z = strings.TrimPrefix(strings.TrimPrefix(z, "gmt"), "utc")
	sign := 1
	if z[0] == '-' {
		sign = -1
	}
	z = strings.ReplaceAll(z[1:], ":", "")
	h, m := z, "0"
	if len(z) > 2 {
		h, m = z[:len(z)-2], z[len(z)-2:]
	}
	hh, _ := strconv.Atoi(h)
	mm, _ := strconv.Atoi(m)
	return time.FixedZone("", sign*(hh*3600+mm*60))
}

// durationRE finds the parts of a written duration: "1h 27m 51s",
// "1 h 27 min 51 s", "45 min", "1 hr 12 mins", "2 godz. 5 min".
var durationRE = regexp.MustCompile(`(\d+(?:[.,]\d+)?)\s*([^\d\s.,]*)`)

// parseDuration reads a duration in seconds: a number alone is minutes
// (Zoom's "Duration (Minutes)", a plain CSV's minutes), H:MM:SS or H:MM is
// a clock duration, and numbers with units are summed. ok is false for an
// empty cell, "-" or text it cannot read.
func parseDuration(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if s == "" || s == "-" {
		return 0, false
	}
	if f, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64); err == nil {
		if f < 0 {
			return 0, false
		}
		return int(f*60 + 0.5), true
	}
	if parts := strings.Split(s, ":"); len(parts) == 2 || len(parts) == 3 {
		total := 0
		for _, p := range parts {
			n, err := strconv.Atoi(strings.TrimSpace(p))
			if err != nil || n < 0 {
				return 0, false
			}
			total = total*60 + n
		}
		if len(parts) == 2 {
			total *= 60 // H:MM
		}
		return total, true
	}
	total, found := 0.0, false
	rest := strings.ToLower(s)
	for _, m := range durationRE.FindAllStringSubmatch(rest, -1) {
		n, err := strconv.ParseFloat(strings.Replace(m[1], ",", ".", 1), 64)
		if err != nil {
			return 0, false
		}
		unit := strings.TrimRight(m[2], ".")
		switch {
		case unit == "":
			return 0, false
		case strings.HasPrefix(unit, "h"), strings.HasPrefix(unit, "g"), strings.HasPrefix(unit, "std"), strings.HasPrefix(unit, "u"):
			total += n * 3600
		case strings.HasPrefix(unit, "m"):
			total += n * 60
		case strings.HasPrefix(unit, "s"):
			total += n
		default:
			return 0, false
		}
		found = true
	}
	return int(total + 0.5), found
}
