package domain

import (
	"strings"
	"unicode"
)

// InputKind is what a check-in entry turned out to be.
type InputKind string

// Input kinds.
const (
	InputDNI  InputKind = "dni"  // 7–8 digits, with or without dots
	InputCUIL InputKind = "cuil" // 11 digits, with or without dashes
	InputScan InputKind = "scan" // a scanned DNI barcode
	InputName InputKind = "name" // text to search by name
)

// Input is a classified check-in entry.
type Input struct {
	Kind  InputKind
	DNI   string   // normalised DNI for InputDNI, InputCUIL and InputScan
	CUIL  string   // 11 digits for InputCUIL, and for InputScan when the card carries it
	Scan  *DNIScan // the scan for InputScan
	Query string   // the trimmed text for InputName
}

// ClassifyInput tells what the text typed (or scanned) in the check-in box
// is: a scanned barcode, a DNI (7–8 digits, dots and spaces allowed), a CUIL
// (11 digits, dashes allowed; its check digit must be valid), or, when it has
// at least 2 letters, a name to search. Anything else, including empty text,
// is an *Error.
func ClassifyInput(s string) (Input, error) {
	s = strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) })
	if s == "" {
		return Input{}, invalid(CodeInputEmpty, "")
	}
	if LooksLikeScan(s) {
		sc, err := ParseScan(s)
		if err != nil {
			return Input{}, err
		}
		return Input{Kind: InputScan, DNI: sc.DNI, CUIL: sc.CUIL, Scan: &sc}, nil
	}
	if d, ok := digitsOnly(s, ".- "); ok && d != "" {
		if len(d) == 11 {
			cuil, err := ParseCUIL(d)
			if err != nil {
				return Input{}, err
			}
			dni, err := NormalizeDNI(CUILDNI(cuil))
			if err != nil {
				return Input{}, err
			}
			return Input{Kind: InputCUIL, DNI: dni, CUIL: cuil}, nil
		}
		if t := strings.TrimLeft(d, "0"); t != "" && (len(t) < 7 || len(t) > 8) {
			return Input{}, invalid(CodeInputNumber, "")
		}
		dni, err := NormalizeDNI(d)
		if err != nil {
			return Input{}, err
		}
		return Input{Kind: InputDNI, DNI: dni}, nil
	}
	letters := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	if letters < 2 {
		return Input{}, invalid(CodeInputUnknown, "")
	}
	return Input{Kind: InputName, Query: s}, nil
}
