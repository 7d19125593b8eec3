package csvin

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/puntos-ar/puntos/storage/domain"
)

// scientific is the reason given for an identity number that Excel wrote in
// scientific notation: the digits past the sixth are gone and cannot be recovered.
func scientific(code, field string) *domain.Error {
	return &domain.Error{Code: code, Field: field,
		Text: "El número está en notación científica (como 1,23457E+07) y perdió dígitos. " +
			"En Excel, dale formato Texto a la columna, volvé a cargar los números y guardá el archivo de nuevo."}
}

// appendClean appends cell b to dst trimmed, with every run of white space
// (line breaks, tabs, non-breaking spaces) made one space and control and
// zero-width characters removed. A text formula ="..." that some systems write
// to keep Excel from turning numbers into dates is reduced to its text.
func appendClean(dst, b []byte) []byte {
	if n := len(b); n >= 3 && b[0] == '=' && b[1] == '"' && b[n-1] == '"' {
		b = b[2 : n-1]
	} else if n >= 4 {
		// Same with spaces around it.
		t := trimASCII(b)
		if n := len(t); n >= 3 && t[0] == '=' && t[1] == '"' && t[n-1] == '"' {
			b = t[2 : n-1]
		}
	}
	start := len(dst)
	space := false
	for i := 0; i < len(b); {
		c := b[i]
		if c > ' ' && c < 0x7F {
			// A run of visible ASCII, copied at once.
			j := i + 1
			for j < len(b) && b[j] > ' ' && b[j] < 0x7F {
				j++
			}
			if space && len(dst) > start {
				dst = append(dst, ' ')
			}
			space = false
			dst = append(dst, b[i:j]...)
			i = j
			continue
		}
		if c < utf8.RuneSelf {
			// White space or a control character.
			i++
			space = true
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		switch {
		case unicode.IsSpace(r):
			space = true
		case r == '\u200B' || r == '\uFEFF' || r == '\u00AD' || unicode.IsControl(r):
			// zero-width space, stray BOM, soft hyphen, C1 control: invisible, drop
		default:
			if space && len(dst) > start {
				dst = append(dst, ' ')
			}
			space = false
			dst = append(dst, b[i:i+size]...)
		}
		i += size
	}
	return dst
}

// cleanText returns cell b cleaned as by appendClean.
func cleanText(b []byte) string {
	return string(appendClean(nil, b))
}

func trimASCII(b []byte) []byte {
	for len(b) > 0 && b[0] == ' ' {
		b = b[1:]
	}
	for len(b) > 0 && b[len(b)-1] == ' ' {
		b = b[:len(b)-1]
	}
	return b
}

// excelNumber undoes what Excel does to an identity number stored as a number:
// "12345678.0" and "12345678,00" become "12345678", "12,345,678" becomes
// "12345678", and a leading apostrophe is dropped. ok is false for scientific
// notation, whose lost digits cannot be recovered. Other forms ("12.345.678",
// "20-12345678-3") are left for the domain rules.
func excelNumber(s string) (_ string, ok bool) {
	s = strings.TrimPrefix(s, "'")
	var exp, sep bool
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case 'e', 'E':
			exp = true
		case '.', ',':
			sep = true
		}
	}
	if exp && isScientific(s) {
		return "", false
	}
	if !sep {
		return s, true
	}
	if k := strings.IndexAny(s, ".,"); k >= 6 && allDigits(s[:k]) && len(s) > k+1 && strings.Trim(s[k+1:], "0") == "" {
		return s[:k], true
	}
	if commaGrouped(s) {
		return strings.ReplaceAll(s, ",", ""), true
	}
	return s, true
}

// commaGrouped reports whether s is digits grouped by thousands with commas,
// as English Excel writes numbers: "12,345,678".
func commaGrouped(s string) bool {
	groups := strings.Split(s, ",")
	if len(groups) < 2 || len(groups[0]) < 1 || len(groups[0]) > 3 || !allDigits(groups[0]) {
		return false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 || !allDigits(g) {
			return false
		}
	}
	return true
}

// isScientific reports whether s looks like "1,23457E+07" or "2.01235e10".
func isScientific(s string) bool {
	k := strings.IndexAny(s, "eE")
	if k <= 0 || k == len(s)-1 {
		return false
	}
	mant, exp := s[:k], s[k+1:]
	if exp[0] == '+' || exp[0] == '-' {
		exp = exp[1:]
	}
	if !allDigits(exp) {
		return false
	}
	if d := strings.IndexAny(mant, ".,"); d >= 0 {
		return allDigits(mant[:d]) && (d == len(mant)-1 || allDigits(mant[d+1:]))
	}
	return allDigits(mant)
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// parseDecimal reads a number written with a decimal comma or point, with or
// without thousands separators: "1,5", "1.5", "2", "1.234,5", "1,234.5".
// A unit after the number ("2 hs", "3 horas", "75 %") is not its business:
// the caller strips it.
func parseDecimal(s string) (float64, error) {
	s = strings.ReplaceAll(s, " ", "")
	if s == "" {
		return 0, errors.New("está vacío")
	}
	neg := false
	if s[0] == '-' || s[0] == '+' {
		neg = s[0] == '-'
		s = s[1:]
	}
	dots, commas := strings.Count(s, "."), strings.Count(s, ",")
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && c != '.' && c != ',' {
			return 0, errors.New("no es un número")
		}
	}
	switch {
	case dots > 0 && commas > 0:
		// The last separator is the decimal one; the other groups thousands.
		if strings.LastIndexByte(s, ',') > strings.LastIndexByte(s, '.') {
			if commas > 1 {
				return 0, errors.New("no es un número")
			}
			s = strings.Replace(strings.ReplaceAll(s, ".", ""), ",", ".", 1)
		} else {
			if dots > 1 {
				return 0, errors.New("no es un número")
			}
			s = strings.ReplaceAll(s, ",", "")
		}
	case commas == 1:
		s = strings.Replace(s, ",", ".", 1)
	case commas > 1:
		s = strings.ReplaceAll(s, ",", "")
	case dots > 1:
		s = strings.ReplaceAll(s, ".", "")
	}
	if s == "" || s == "." {
		return 0, errors.New("no es un número")
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, errors.New("no es un número")
	}
	if neg {
		f = -f
	}
	return f, nil
}

// trimUnit removes a trailing unit word from a lower-cased number: "2 hs" → "2".
func trimUnit(s string, units ...string) string {
	t := strings.TrimRight(s, ". ")
	for _, u := range units {
		if strings.HasSuffix(t, u) {
			rest := strings.TrimRight(t[:len(t)-len(u)], " ")
			if rest != "" && rest[len(rest)-1] >= '0' && rest[len(rest)-1] <= '9' {
				return rest
			}
		}
	}
	return s
}

// parseHours reads a number of hours: "1,5", "2", "2 hs", "3 horas".
func parseHours(s string) (float64, error) {
	t := trimUnit(strings.ToLower(s), "horas", "hours", "hrs", "hs", "h")
	f, err := parseDecimal(t)
	if err != nil {
		return 0, err
	}
	if f <= 0 {
		return 0, errors.New("debe ser mayor que cero")
	}
	return f, nil
}

// parseWhole reads a whole number that may be written "3", "3,0" or "1.000".
func parseWhole(s string, min int) (int, error) {
	f, err := parseDecimal(s)
	if err != nil {
		return 0, err
	}
	if f != math.Trunc(f) {
		return 0, errors.New("debe ser un número entero")
	}
	if f < float64(min) {
		return 0, errors.New("debe ser " + strconv.Itoa(min) + " o más")
	}
	if f > 1e9 {
		return 0, errors.New("es demasiado grande")
	}
	return int(f), nil
}

// parseThreshold reads the share of sessions to attend: "75", "75%", "0,75" or
// "0.75" all mean 0.75. Values up to 1 are shares, larger ones percentages.
func parseThreshold(s string) (float64, error) {
	pct := false
	if t := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%")); t != strings.TrimSpace(s) {
		pct = true
		s = t
	}
	f, err := parseDecimal(s)
	if err != nil {
		return 0, err
	}
	if pct || f > 1 {
		f /= 100
	}
	if f <= 0 || f > 1 {
		return 0, errors.New("debe estar entre 1% y 100%")
	}
	return f, nil
}

// activityTypes maps the folded words offices use to activity types.
var activityTypes = map[string]domain.ActivityType{
	"charla":           domain.Charla,
	"charlas":          domain.Charla,
	"talk":             domain.Charla,
	"taller":           domain.Taller,
	"talleres":         domain.Taller,
	"workshop":         domain.Taller,
	"curso":            domain.Curso,
	"cursos":           domain.Curso,
	"course":           domain.Curso,
	"intensivo":        domain.Intensivo,
	"curso intensivo":  domain.Intensivo,
	"intensive":        domain.Intensivo,
	"intensive course": domain.Intensivo,
	"virtual":          domain.Virtual,
	"curso virtual":    domain.Virtual,
	"online":           domain.Virtual,
	"en linea":         domain.Virtual,
}

// parseType reads an activity type in Spanish or English, any case or accents.
func parseType(s string) (domain.ActivityType, error) {
	if t, ok := activityTypes[domain.Fold(s)]; ok {
		return t, nil
	}
	return "", errors.New("tipo desconocido; use charla, taller, curso, intensivo o virtual")
}
