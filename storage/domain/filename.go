package domain

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// letters spells letters that have no decomposition into a base letter.
var letters = map[rune]string{
	'ß': "ss", 'æ': "ae", 'Æ': "AE", 'œ': "oe", 'Œ': "OE", 'ø': "o", 'Ø': "O",
	'ł': "l", 'Ł': "L", 'đ': "d", 'Đ': "D", 'ð': "d", 'Ð': "D", 'þ': "th", 'Þ': "TH", 'ı': "i",
}

// FileSafe transliterates s for a part of a file or folder name that is
// safe on any system: ASCII letters, digits and dashes, accents dropped,
// other runs joined by "_", at most 60 characters long; fallback when
// nothing is left.
func FileSafe(s, fallback string) string {
	var b strings.Builder
	sep := false
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			// accent: dropped
		case r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)) || r == '-':
			if sep && b.Len() > 0 {
				b.WriteByte('_')
			}
			sep = false
			b.WriteRune(r)
		case letters[r] != "":
			if sep && b.Len() > 0 {
				b.WriteByte('_')
			}
			sep = false
			b.WriteString(letters[r])
		case r == '\'' || r == '’' || r == '`' || r == '´':
			// apostrophes join: D'Alessandro → DAlessandro
		default:
			sep = true
		}
	}
	out := strings.Trim(b.String(), "-_")
	if len(out) > 60 {
		out = strings.TrimRight(out[:60], "-_")
	}
	if out == "" {
		return fallback
	}
	return out
}
