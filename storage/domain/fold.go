package domain

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Fold returns the search form of a name or place: lower case, accents and
// diacritics removed (ñ→n, ü→u), punctuation dropped, and runs of spaces
// collapsed, so "NÚÑEZ  D'Alessandro" and "nunez dalessandro" fold alike.
func Fold(s string) string {
	if f, ok := foldASCII(s); ok {
		return f
	}
	return foldUnicode(s)
}

func foldUnicode(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r), r == 'º', r == 'ª':
			// combining accent or ordinal mark ("1º de Mayo"): drop
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
		case unicode.IsSpace(r) || r == '-' || r == ',' || r == '.' || r == '/':
			space = true
		default:
			// apostrophes and other punctuation join the word: D'Alessandro → dalessandro
		}
	}
	return b.String()
}

// foldASCII folds s without Unicode tables when it is plain ASCII, the
// common case for most names; ok is false otherwise.
func foldASCII(s string) (string, bool) {
	buf := make([]byte, 0, len(s))
	space := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 0x80:
			return "", false
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
			fallthrough
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			if space && len(buf) > 0 {
				buf = append(buf, ' ')
			}
			space = false
			buf = append(buf, c)
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == '-' || c == ',' || c == '.' || c == '/':
			space = true
		}
	}
	return string(buf), true
}
