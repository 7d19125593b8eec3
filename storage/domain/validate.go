package domain

import (
	"errors"
	"math"
	"slices"
	"strings"
	"unicode"
)

// ValidateActivity checks a catalog activity and normalises it in place:
// code required; type one of ActivityTypes (case-insensitive); hours more
// than 0; points not negative; sessions at least 1 (0 means 1); threshold
// in (0, 1] (0 means DefaultThreshold); an empty RuleVersion becomes
// RuleVersion; code, title and rule version no longer than MaxActivityCode,
// MaxTitle and MaxRuleVersion. It returns the first broken rule as an *Error.
func ValidateActivity(a *Activity) error {
	a.Code = strings.TrimSpace(a.Code)
	a.Title = collapseSpaces(a.Title)
	a.Type = ActivityType(strings.ToLower(strings.TrimSpace(string(a.Type))))
	if a.Sessions == 0 {
		a.Sessions = 1
	}
	if a.Threshold == 0 {
		a.Threshold = DefaultThreshold
	}
	if a.RuleVersion == "" {
		a.RuleVersion = RuleVersion
	}
	if err := CheckLens(Len("code", a.Code, MaxActivityCode), Len("title", a.Title, MaxTitle),
		Len("rule_version", a.RuleVersion, MaxRuleVersion)); err != nil {
		return err
	}
	switch {
	case a.Code == "":
		return invalid(CodeRequired, "code")
	case !slices.Contains(ActivityTypes, a.Type):
		return invalid(CodeActivityType, "type")
	case !(a.Hours > 0) || math.IsInf(a.Hours, 1):
		return invalid(CodeActivityHours, "hours")
	case a.Points < 0:
		return invalid(CodeActivityPoints, "points")
	case a.Sessions < 1:
		return invalid(CodeActivitySessions, "sessions")
	case !(a.Threshold > 0 && a.Threshold <= 1):
		return invalid(CodeActivityThreshold, "threshold")
	}
	return nil
}

// ValidatePerson checks a person and normalises it in place: the DNI (taken
// from the CUIL when missing) is normalised, the CUIL is validated and must
// contain the DNI, surname and given names are required (white space trimmed
// and collapsed), the email is loosely checked, the sex is M, F or X, and the
// birth date becomes YYYY-MM-DD. Empty optional fields are allowed; no field
// may be longer than its maximum (MaxSurname…). It returns the first broken
// rule as an *Error.
func ValidatePerson(p *Person) error {
	p.Surname = collapseSpaces(p.Surname)
	p.GivenNames = collapseSpaces(p.GivenNames)
	p.Agency = collapseSpaces(p.Agency)
	p.Province = collapseSpaces(p.Province)
	p.Email = strings.TrimSpace(p.Email)
	p.Sex = strings.ToUpper(strings.TrimSpace(p.Sex))
	p.Birth = strings.TrimSpace(p.Birth)
	if err := CheckLens(
		Len("dni", p.DNI, MaxDNI), Len("cuil", p.CUIL, MaxCUIL),
		Len("surname", p.Surname, MaxSurname), Len("given_names", p.GivenNames, MaxGivenNames),
		Len("agency", p.Agency, MaxAgency), Len("email", p.Email, MaxEmail),
		Len("province", p.Province, MaxProvince), Len("sex", p.Sex, MaxSex),
		Len("birth", p.Birth, MaxBirth),
	); err != nil {
		return err
	}

	if p.CUIL = strings.TrimSpace(p.CUIL); p.CUIL != "" {
		cuil, err := ParseCUIL(p.CUIL)
		if err != nil {
			return err
		}
		p.CUIL = cuil
	}
	if p.DNI = strings.TrimSpace(p.DNI); p.DNI == "" && p.CUIL != "" {
		p.DNI = CUILDNI(p.CUIL)
	}
	if p.DNI == "" {
		return invalid(CodeRequired, "dni")
	}
	dni, err := NormalizeDNI(p.DNI)
	if err != nil {
		return err
	}
	p.DNI = dni
	if p.CUIL != "" && CUILDNI(p.CUIL) != p.DNI {
		return invalid(CodeCUILDNIMismatch, "cuil")
	}
	switch {
	case p.Surname == "":
		return invalid(CodeRequired, "surname")
	case p.GivenNames == "":
		return invalid(CodeRequired, "given_names")
	case p.Email != "" && !plausibleEmail(p.Email):
		return invalid(CodeEmailFormat, "email")
	case p.Sex != "" && p.Sex != "M" && p.Sex != "F" && p.Sex != "X":
		return invalid(CodeSexFormat, "sex")
	}
	if p.Birth != "" {
		t, err := ParseDate(p.Birth)
		if err != nil {
			e, _ := errors.AsType[*Error](err)
			return invalid(e.Code, "birth")
		}
		p.Birth = t.Format(dateLayout)
	}
	return nil
}

// plausibleEmail reports whether s looks like local@domain.tld. It is
// deliberately loose: the only real check is a mail that arrives.
func plausibleEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || strings.ContainsAny(s, " \t\r\n<>,;\"") || strings.Contains(domain, "@") {
		return false
	}
	dot := strings.LastIndexByte(domain, '.')
	return dot > 0 && dot < len(domain)-1 && !strings.Contains(domain, "..")
}

func collapseSpaces(s string) string {
	if clean(s) {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// clean reports whether s is spaced already: no leading, trailing or
// doubled spaces and no white space other than ' ', so collapseSpaces keeps it.
func clean(s string) bool {
	prev := ' '
	for _, r := range s {
		switch {
		case r == ' ':
			if prev == ' ' {
				return false
			}
		case r < ' ' || (r >= 0x7f && unicode.IsSpace(r)):
			return false
		}
		prev = r
	}
	return prev != ' ' || s == ""
}
