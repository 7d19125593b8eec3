package domain

import (
	"strings"
	"unicode"
)

// DNIScan is what the PDF417 barcode on the front of a DNI card holds, as a
// USB keyboard-wedge scanner types it.
type DNIScan struct {
	Tramite    string // número de trámite, digits
	Surname    string // upper case
	GivenNames string // upper case
	Sex        string // M, F or X
	DNI        string // normalised, as NormalizeDNI returns it
	Ejemplar   string // copy letter: A, B, C…
	Birth      string // YYYY-MM-DD
	Issued     string // YYYY-MM-DD
	// CUIL is the 11-digit CUIL when the card carries its prefix and check
	// digit (the 9th field of recent cards, "200" for 20-DNI-0) and they are
	// consistent; empty otherwise.
	CUIL string
}

// Field positions in the card layout (2009+), which starts with the número
// de trámite.
const (
	cardTramite = iota
	cardSurname
	cardNames
	cardSex
	cardDNI
	cardEjemplar
	cardBirth
	cardIssued
	cardCUIL              // optional: CUIL prefix and check digit, "200"
	cardFields = cardCUIL // fields required
)

// Field positions in the first card layout, which starts with the separator:
// @DNI@EJEMPLAR@…@SURNAME@NAMES@NATIONALITY@BIRTH@SEX@ISSUED@TRAMITE@…
const (
	oldDNI      = 1
	oldEjemplar = 2
	oldSurname  = 4
	oldNames    = 5
	oldBirth    = 7
	oldSex      = 8
	oldIssued   = 9
	oldTramite  = 10
	oldFields   = oldTramite + 1 // fields required
)

// scanSeparator returns the field separator of a scan: '@', or '"' when the
// scanner types on a keyboard layout where Shift+2 gives a double quote.
// It returns 0 when s has fewer than two of either.
func scanSeparator(s string) byte {
	at, quote := strings.Count(s, "@"), strings.Count(s, `"`)
	switch {
	case at >= 2 && at >= quote:
		return '@'
	case quote >= 2:
		return '"'
	}
	return 0
}

// LooksLikeScan reports whether s looks like a scanned DNI barcode (complete
// or not) rather than typed text: it holds at least two '@' or two '"'.
func LooksLikeScan(s string) bool { return scanSeparator(s) != 0 }

// ParseScan parses a DNI barcode as typed by a keyboard-wedge scanner. It
// accepts both the card layout
//
//	00123456789@GARCIA@JUAN CARLOS@M@12345678@A@15/03/1980@20/05/2015[@200]
//
// and the first card layout, which starts with the separator
//
//	@12345678    @A@1@PEREZ@MARIA ELENA@ARGENTINA@01/02/1975@F@10/10/2010@00123456789@…
//
// and tolerates the usual scanner quirks: '"' instead of '@', surrounding
// white space and a trailing CR/LF/Tab, lower case from Caps Lock, leading
// zeros or spaces in the DNI, another date separator than '/', an AIM
// symbology prefix ("]L0"), and odd characters in names (Ñ typed on another layout). It returns an *Error with
// code CodeScanTruncated when fields are missing and CodeScanField, naming
// the field, when one cannot be read.
func ParseScan(s string) (DNIScan, error) {
	s = strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) })
	// Some scanners are set to prefix the AIM symbology identifier of
	// PDF417 ("]L" and a modifier digit; "]l" with Caps Lock).
	if len(s) > 3 && (s[:2] == "]L" || s[:2] == "]l") && isDigits(s[2:3]) {
		s = s[3:]
	}
	sep := scanSeparator(s)
	if sep == 0 {
		return DNIScan{}, invalid(CodeScanFormat, "")
	}
	f := strings.Split(s, string(sep))
	var raw DNIScan
	var cuilTail string
	if f[0] == "" {
		if len(f) < oldFields {
			return DNIScan{}, invalid(CodeScanTruncated, "")
		}
		raw = DNIScan{
			Tramite: f[oldTramite], Surname: f[oldSurname], GivenNames: f[oldNames], Sex: f[oldSex],
			DNI: f[oldDNI], Ejemplar: f[oldEjemplar], Birth: f[oldBirth], Issued: f[oldIssued],
		}
	} else {
		if len(f) < cardFields {
			return DNIScan{}, invalid(CodeScanTruncated, "")
		}
		raw = DNIScan{
			Tramite: f[cardTramite], Surname: f[cardSurname], GivenNames: f[cardNames], Sex: f[cardSex],
			DNI: f[cardDNI], Ejemplar: f[cardEjemplar], Birth: f[cardBirth], Issued: f[cardIssued],
		}
		if len(f) > cardCUIL {
			cuilTail = strings.TrimSpace(f[cardCUIL])
		}
	}
	return raw.normalize(cuilTail)
}

// normalize checks and cleans the raw fields of a scan, in the order they
// appear on the card, so the error names the first bad field.
func (r DNIScan) normalize(cuilTail string) (DNIScan, error) {
	var out DNIScan
	var err error
	if out.Tramite = strings.TrimSpace(r.Tramite); out.Tramite == "" || !isDigits(out.Tramite) {
		return DNIScan{}, invalid(CodeScanField, "tramite")
	}
	if out.Surname = scanName(r.Surname); out.Surname == "" {
		return DNIScan{}, invalid(CodeScanField, "surname")
	}
	if out.GivenNames = scanName(r.GivenNames); out.GivenNames == "" {
		return DNIScan{}, invalid(CodeScanField, "given_names")
	}
	if out.Sex = strings.ToUpper(strings.TrimSpace(r.Sex)); out.Sex != "M" && out.Sex != "F" && out.Sex != "X" {
		return DNIScan{}, invalid(CodeScanField, "sex")
	}
	if out.DNI, err = NormalizeDNI(r.DNI); err != nil {
		return DNIScan{}, invalid(CodeScanField, "dni")
	}
	if out.Ejemplar = strings.ToUpper(strings.TrimSpace(r.Ejemplar)); !isLetters(out.Ejemplar) {
		return DNIScan{}, invalid(CodeScanField, "ejemplar")
	}
	if out.Birth, err = scanDate(r.Birth); err != nil {
		return DNIScan{}, invalid(CodeScanField, "birth")
	}
	if out.Issued, err = scanDate(r.Issued); err != nil {
		return DNIScan{}, invalid(CodeScanField, "issued")
	}
	out.CUIL = scanCUIL(cuilTail, out.DNI)
	return out, nil
}

// scanName upper-cases a name and collapses its white space. Other
// characters are kept as typed: a Ñ may arrive as anything.
func scanName(s string) string {
	return strings.Join(strings.Fields(strings.ToUpper(s)), " ")
}

// scanDate reads DD/MM/YYYY where the two separators may be any single
// non-digit character (a scanner on another layout types '/' as '-' or '&')
// and spaces are ignored, and returns YYYY-MM-DD.
func scanDate(s string) (string, error) {
	r := []rune(strings.ReplaceAll(s, " ", ""))
	if len(r) != 10 || isDigitRune(r[2]) || isDigitRune(r[5]) {
		return "", invalid(CodeDateFormat, "date")
	}
	t, err := ParseDate(string(r[:2]) + "/" + string(r[3:5]) + "/" + string(r[6:]))
	if err != nil {
		return "", err
	}
	return t.Format(dateLayout), nil
}

func isDigitRune(r rune) bool { return r >= '0' && r <= '9' }

// scanCUIL rebuilds the CUIL from the card's 9th field (prefix and check
// digit, "200") and the DNI, or returns "" when they do not add up.
func scanCUIL(tail, dni string) string {
	if len(tail) != 3 || !isDigits(tail) {
		return ""
	}
	cuil := tail[:2] + strings.Repeat("0", 8-len(dni)) + dni + tail[2:]
	if _, err := ParseCUIL(cuil); err != nil {
		return ""
	}
	return cuil
}

func isLetters(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}
