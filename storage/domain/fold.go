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
