package domain

import (
	"strings"
	"unicode"
)

// NormalizeDNI returns the DNI in s as 7 or 8 digits with no leading zeros.
// It accepts dots and spaces as separators ("12.345.678", "12 345 678",
// " 1.234.567 ") and leading zeros ("01234567"). It rejects anything else,
// and a DNI of all zeros.
func NormalizeDNI(s string) (string, error) {
	d, ok := digitsOnly(s, ". ")
	if !ok || d == "" {
		return "", invalid(CodeDNIFormat, "dni")
	}
	d = strings.TrimLeft(d, "0")
	if d == "" {
		return "", invalid(CodeDNIZero, "dni")
	}
	if len(d) < 7 || len(d) > 8 {
		return "", invalid(CodeDNIFormat, "dni")
	}
	return d, nil
}

// FormatDNI returns a normalised DNI with thousands dots, for display:
// "12345678" → "12.345.678". Anything that is not 1 to 9 digits is returned
// unchanged.
func FormatDNI(dni string) string {
	if dni == "" || len(dni) > 9 || !isDigits(dni) {
		return dni
	}
	var b strings.Builder
	for i, r := range dni {
		if i > 0 && (len(dni)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// cuilPrefixes lists the valid CUIL/CUIT prefixes: 20, 23, 24, 27 for people
// and 30, 33, 34 for companies.
var cuilPrefixes = map[string]bool{"20": true, "23": true, "24": true, "27": true, "30": true, "33": true, "34": true}

// ParseCUIL returns the CUIL or CUIT in s as 11 digits. It accepts dashes,
// dots and spaces as separators ("20-12345678-6", "20.12345678.6") and
// validates the prefix and the check digit.
func ParseCUIL(s string) (string, error) {
	d, ok := digitsOnly(s, "-. ")
	if !ok || len(d) != 11 {
		return "", invalid(CodeCUILFormat, "cuil")
	}
	if !cuilPrefixes[d[:2]] {
		return "", invalid(CodeCUILPrefix, "cuil")
	}
	check, ok := CUILCheckDigit(d[:10])
	if !ok {
		return "", invalid(CodeCUILCheckTen, "cuil")
	}
	if int(d[10]-'0') != check {
		return "", invalid(CodeCUILCheckDigit, "cuil")
	}
	return d, nil
}

// CUILCheckDigit returns the check digit of a CUIL whose first 10 digits are
// first10: weights 5,4,3,2,7,6,5,4,3,2, sum mod 11, 11 minus the remainder,
// with 11 becoming 0. ok is false when first10 is not 10 digits or when the
// result would be 10: no CUIL has that, it is issued with prefix 23 or 33.
func CUILCheckDigit(first10 string) (digit int, ok bool) {
	if len(first10) != 10 || !isDigits(first10) {
		return 0, false
	}
	weights := [10]int{5, 4, 3, 2, 7, 6, 5, 4, 3, 2}
	sum := 0
	for i, w := range weights {
		sum += int(first10[i]-'0') * w
	}
	switch check := 11 - sum%11; check {
	case 11:
		return 0, true
	case 10:
		return 0, false
	default:
		return check, true
	}
}

// CUILDNI returns the DNI inside a CUIL: its 8 middle digits without leading
// zeros ("20-01234567-x" → "1234567"). It returns "" if cuil is not 11 digits
// (dashes, dots and spaces allowed). It does not check the check digit.
func CUILDNI(cuil string) string {
	d, ok := digitsOnly(cuil, "-. ")
	if !ok || len(d) != 11 {
		return ""
	}
	return strings.TrimLeft(d[2:10], "0")
}

// FormatCUIL returns an 11-digit CUIL with dashes, for display:
// "20123456786" → "20-12345678-6". Anything else is returned unchanged.
func FormatCUIL(cuil string) string {
	if len(cuil) != 11 || !isDigits(cuil) {
		return cuil
	}
	return cuil[:2] + "-" + cuil[2:10] + "-" + cuil[10:]
}

// digitsOnly returns the ASCII digits of s after trimming surrounding white
// space and dropping the separator characters in seps. ok is false when s
// holds anything else.
func digitsOnly(s, seps string) (string, bool) {
	s = strings.TrimFunc(s, unicode.IsSpace)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case strings.ContainsRune(seps, r):
		default:
			return "", false
		}
	}
	return b.String(), true
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
