package kit

import "fmt"

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

// Plural picks the one or the many form of a label with a count in it;
// the many form gets n written with Num.
func (l Labels) Plural(lang string, n int, one, many string) string {
	if n == 1 {
		return l.Tr(lang, one)
	}
	return l.Tr(lang, many, Num(n, lang))
}

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
