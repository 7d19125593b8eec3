package georef

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/puntos-ar/puntos/storage/domain"
)

// graves maps the grave accents a few rows carry ("RÌO COLORADO") to the acute ones Spanish uses.
var graves = strings.NewReplacer("À", "Á", "È", "É", "Ì", "Í", "Ò", "Ó", "Ù", "Ú")

// Clean returns the display form of a raw georef name: one line, single spaces,
// abbreviations spelled out, lost accents restored and Spanish title case.
// With municipio set it also drops administrative prefixes such as "MUNICIPALIDAD DE".
func Clean(raw string, municipio bool) string {
	s := raw
	if strings.ContainsAny(s, "\r\n") {
		s = commonLine(s)
	}
	s = graves.Replace(strings.ToUpper(s))
	s = strings.Join(strings.Fields(s), " ")
	if municipio {
		for _, p := range prefixes {
			rest, ok := strings.CutPrefix(s, p)
			// "COMUNA 1" is a name (CABA), "COMUNA VILLA BELGRANO" is a prefixed one.
			if ok && rest != "" && !unicode.IsDigit(rune(rest[0])) {
				s = rest
				break
			}
		}
	}
	words := strings.Split(s, " ")
	for i, w := range words {
		words[i] = expand(w)
	}
	return titleCase(strings.Join(words, " "))
}

// commonLine returns the line of s that occurs most often, the last one on a tie:
// "GRAL. SAN MARTENGENERAL SAN MARTÍN\nGENERAL SAN MARTÍN\nGENERAL SAN MARTÍN" gives
// "GENERAL SAN MARTÍN".
func commonLine(s string) string {
	count := map[string]int{}
	best := ""
	for _, l := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' }) {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		count[l]++
		if count[l] >= count[best] {
			best = l
		}
	}
	return best
}

// expand spells out an abbreviation or restores the accent of one upper-case word,
// keeping any surrounding punctuation: "GRAL." → "GENERAL", "(EST." → "(ESTACIÓN".
func expand(w string) string {
	core := strings.TrimLeft(w, `("`)
	lead := w[:len(w)-len(core)]
	bare := strings.TrimRight(core, `.,)"`)
	trail := core[len(bare):]
	if e, ok := Abbreviations[bare]; ok {
		return lead + e + strings.Trim(trail, ".,")
	}
	if e, ok := accents[bare]; ok {
		return lead + e + trail
	}
	return w
}

// titleCase turns an upper-case, single-spaced name into Spanish title case: every word
// capitalised except the particles "de", "del" and "y", and "la", "las", "los", "el" right
// after "de" ("Paso de los Libres"); elsewhere an article starts a proper name and keeps its
// capital ("General Las Heras", "Villa Los Aromos", "El Naranjo y El Sunchal"), as in the
// hand-written localidades.csv. Roman numerals stay upper case.
func titleCase(s string) string {
	words := strings.Split(s, " ")
	prev := ""
	for i, w := range words {
		bare := strings.ToLower(strings.Trim(w, `().,"`))
		opens := strings.HasPrefix(w, "(") || strings.HasPrefix(w, `"`)
		switch {
		case i > 0 && !opens && isParticle(bare, prev):
			words[i] = strings.ToLower(w)
		case isRoman(strings.ToUpper(bare)):
			words[i] = strings.ToUpper(w)
		default:
			words[i] = capitalize(w)
		}
		prev = bare
	}
	return strings.Join(words, " ")
}

// isRoman reports whether w is a Roman numeral from I to XXXIX ("XX de Setiembre",
// "Barrio Justo P. Castro IV"); larger ones would take words such as "MIL" or "DI".
func isRoman(w string) bool {
	units := strings.TrimLeft(w, "X")
	if w == "" || len(w)-len(units) > 3 {
		return false
	}
	switch units {
	case "", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX":
		return true
	}
	return false
}

func isParticle(w, prev string) bool {
	switch w {
	case "de", "del", "y":
		return true
	case "la", "las", "los", "el":
		return prev == "de"
	}
	return false
}

// capitalize lower-cases w and upper-cases each letter that starts a segment: after a
// non-letter ("Caviahue-Copahue", "J. J.") or after a one-letter elision ("O'Higgins",
// "D'Orbigny", but "Liebig's").
func capitalize(w string) string {
	var b strings.Builder
	b.Grow(len(w))
	runes := []rune(strings.ToLower(w))
	seg := 0 // letters since the segment started
	for i, r := range runes {
		switch {
		case unicode.IsLetter(r):
			if seg == 0 {
				r = unicode.ToUpper(r)
			}
			seg++
		case unicode.IsDigit(r):
			seg++ // "1a. Sección": a letter after a digit is a suffix
		case r == '\'' || r == '’':
			if seg != 1 || i+1 >= len(runes) {
				seg = 2 // "Liebig's": keep the next letter lower case
			} else {
				seg = 0
			}
		default:
			seg = 0
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Check reports why a cleaned name is still defective, or nil if it is fine.
func Check(name string) error {
	var problems []string
	switch {
	case name == "":
		return errors.New("empty name")
	case strings.ContainsAny(name, "\r\n\t"):
		problems = append(problems, "line break or tab")
	case name != strings.TrimSpace(name) || strings.Contains(name, "  "):
		problems = append(problems, "extra spaces")
	}
	if strings.Contains(name, ",") {
		problems = append(problems, "comma")
	}
	if graves.Replace(name) != name || strings.ContainsAny(name, "àèìòù") {
		problems = append(problems, "grave accent")
	}
	if r, _ := utf8.DecodeRuneInString(name); unicode.IsLower(r) {
		problems = append(problems, "lower-case start")
	}
	var last rune
	for _, r := range name {
		if unicode.IsDigit(last) && unicode.IsLetter(r) && r != 'º' || unicode.IsLetter(last) && unicode.IsDigit(r) {
			problems = append(problems, "digit inside a word")
			break
		}
		last = r
	}
	words := strings.Fields(domain.Fold(name))
	seen := map[string]bool{}
	for i, w := range words {
		if _, ok := Abbreviations[strings.ToUpper(w)]; ok {
			problems = append(problems, fmt.Sprintf("abbreviation %q", w))
		}
		if i > 0 {
			pair := words[i-1] + " " + w
			if seen[pair] {
				problems = append(problems, fmt.Sprintf("repeated %q", pair))
			}
			seen[pair] = true
		}
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

// CompareFolded orders names by their folded form with runs of digits compared as numbers
// ("Comuna 2" before "Comuna 10"), then by the names themselves.
func CompareFolded(a, b string) int {
	if c := compareNatural(domain.Fold(a), domain.Fold(b)); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

func compareNatural(a, b string) int {
	for a != "" && b != "" {
		if isDigit(a[0]) && isDigit(b[0]) {
			da, db := digits(a), digits(b)
			na, nb := strings.TrimLeft(da, "0"), strings.TrimLeft(db, "0")
			if len(na) != len(nb) {
				return len(na) - len(nb)
			}
			if c := strings.Compare(na, nb); c != 0 {
				return c
			}
			a, b = a[len(da):], b[len(db):]
			continue
		}
		if a[0] != b[0] {
			return int(a[0]) - int(b[0])
		}
		a, b = a[1:], b[1:]
	}
	return len(a) - len(b)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func digits(s string) string {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return s[:i]
}
