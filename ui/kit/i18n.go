package kit

import (
	"fmt"
	"strings"
)

// Labels is one package's label table: for each key, the label in
// Spanish (es-AR, the default) and in English.
type Labels map[string][2]string

// Lang returns the language of labels for a remembered or asked one:
// "en" for English, else "es".
func Lang(s string) string {
	if s == "en" {
		return "en"
	}
	return "es"
}

// Tr returns the label for key in lang, formatted with args when given.
// A missing key shows as itself, which tests catch.
func (l Labels) Tr(lang, key string, args ...any) string {
	t, ok := l[key]
	if !ok {
		return key
	}
	s := t[0]
	if lang == "en" {
		s = t[1]
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// Plural picks the one or the many form of a sentence with a count in
// it; the many form gets n written with Num. It is for sentences whose
// words change with the count; Count is for a number and its noun.
func (l Labels) Plural(lang string, n int, one, many string) string {
	if isOne(n) {
		return l.Tr(lang, one)
	}
	return l.Tr(lang, many, Num(n, lang))
}

// Count writes n with Num and the noun of key in the form n takes: "1
// registro", "0 registros", "12.345 registros". The key's label holds
// the two forms split by "|": {"registro|registros", "record|records"};
// a form may hold %s for the number, as in "falta %s punto|faltan %s
// puntos".
func (l Labels) Count(lang string, n int, key string) string {
	form := l.Noun(lang, n, key)
	if strings.Contains(form, "%s") {
		return fmt.Sprintf(form, Num(n, lang))
	}
	return Num(n, lang) + " " + form
}

// Noun returns the form of key's label (see Count) that n takes, for a
// number written another way ("+1 punto", "-6 puntos").
func (l Labels) Noun(lang string, n int, key string) string {
	one, many, ok := strings.Cut(l.Tr(lang, key), "|")
	if !ok {
		return one
	}
	if isOne(n) || isOne(-n) {
		return one
	}
	return many
}

// isOne reports whether n takes the singular: in Spanish and in English
// only 1 does ("0 registros", "0 records").
func isOne(n int) bool { return n == 1 }

// Num writes n with the thousands separator of lang: 12.345, or 12,345
// in English.
func Num(n int, lang string) string {
	s := fmt.Sprint(n)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	sep := "."
	if lang == "en" {
		sep = ","
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + sep + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}
