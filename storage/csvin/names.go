package csvin

import (
	"strings"
	"unicode"
)

// particles join the word after them into one surname: "DE LA FUENTE".
var particles = []string{"de", "del", "la", "las", "los", "da", "das", "do", "dos", "di", "van", "von", "der", "san", "santa", "mc", "mac"}

func isParticle(w string) bool {
	for _, p := range particles {
		if strings.EqualFold(w, p) {
			return true
		}
	}
	return false
}

// isCaps reports whether w has letters and none of them lower case: "PÉREZ", "O'BRIEN".
func isCaps(w string) bool {
	letters := false
	for _, r := range w {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			letters = true
		}
	}
	return letters
}

// splitFullName splits one cleaned "Apellido y Nombre" cell. A comma separates
// surname and given names ("PEREZ GOMEZ, Juan Carlos"). Without one, a run of
// upper-case words at the start or end, next to words that are not, is the
// surname ("PEREZ GOMEZ Juan Carlos", "Juan Carlos PEREZ"). Otherwise the first
// word is the surname (the last when givenFirst, for "Nombre y Apellido"
// columns), with its particles ("DE LA FUENTE JUAN").
func splitFullName(s string, givenFirst bool) (surname, given string) {
	if i := strings.IndexByte(s, ','); i >= 0 {
		return strings.Trim(s[:i], " ,"), strings.Trim(s[i+1:], " ,")
	}
	var starts [16]int
	words := starts[:0]
	for i := 0; i < len(s); {
		words = append(words, i)
		j := strings.IndexByte(s[i:], ' ')
		if j < 0 {
			break
		}
		i += j + 1
	}
	n := len(words)
	if n < 2 {
		return s, ""
	}
	word := func(k int) string {
		end := len(s)
		if k+1 < n {
			end = words[k+1] - 1
		}
		return s[words[k]:end]
	}
	// cut returns the text before word k and from word k on.
	cut := func(k int) (string, string) {
		return strings.TrimRight(s[:words[k]], " "), s[words[k]:]
	}
	lead := 0
	for lead < n && isCaps(word(lead)) {
		lead++
	}
	if lead > 0 && lead < n {
		return cut(lead)
	}
	trail := 0
	for trail < n && isCaps(word(n-1-trail)) {
		trail++
	}
	if trail > 0 && trail < n {
		g, sur := cut(n - trail)
		return sur, g
	}
	if givenFirst {
		k := n - 1
		for k > 1 && isParticle(word(k-1)) {
			k--
		}
		g, sur := cut(k)
		return sur, g
	}
	k := 0
	for k < n-1 && isParticle(word(k)) {
		k++
	}
	if k+1 >= n {
		return s, ""
	}
	return cut(k + 1)
}

// lowerASCII lower-cases the ASCII letters of b in place; e-mail addresses are
// compared without case.
func lowerASCII(b []byte) {
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
}
