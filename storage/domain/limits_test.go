package domain_test

import (
	"strings"
	"testing"

	"github.com/puntos-ar/puntos/storage/domain"
)

func TestCheckLen(t *testing.T) {
	if err := domain.CheckLen("surname", strings.Repeat("Ñ", domain.MaxSurname), domain.MaxSurname); err != nil {
		t.Errorf("100 characters (200 bytes): got %v, want nil", err)
	}
	err := domain.CheckLen("surname", strings.Repeat("a", domain.MaxSurname+1), domain.MaxSurname)
	wantCode(t, err, domain.CodeTooLong, "surname")
	if e, _ := err.(*domain.Error); e.Max != domain.MaxSurname {
		t.Errorf("Max = %d, want %d", e.Max, domain.MaxSurname)
	}
	if got, want := domain.Message(err, "es"), "Hay más de 100 caracteres en el apellido: acortalo."; got != want {
		t.Errorf("es: got %q, want %q", got, want)
	}
	if got, want := domain.Message(err, "en"), "There are more than 100 characters in the surname: shorten it."; got != want {
		t.Errorf("en: got %q, want %q", got, want)
	}
	err = domain.CheckLens(domain.Len("venue", "Club", domain.MaxVenue), domain.Len("instructor", strings.Repeat("x", 201), domain.MaxInstructor))
	wantCode(t, err, domain.CodeTooLong, "instructor")
}

func TestValidatePersonLengths(t *testing.T) {
	base := domain.Person{DNI: "12345678", Surname: "PÉREZ", GivenNames: "Juan", Agency: "ANSES", Email: "j@x.org", Province: "Salta"}
	huge := strings.Repeat("x", 10<<20)
	for _, tc := range []struct {
		field string
		edit  func(*domain.Person)
	}{
		{"dni", func(p *domain.Person) { p.DNI = huge }},
		{"cuil", func(p *domain.Person) { p.CUIL = strings.Repeat("2", domain.MaxCUIL+1) }},
		{"surname", func(p *domain.Person) { p.Surname = huge }},
		{"surname", func(p *domain.Person) { p.Surname = strings.Repeat("Ü", domain.MaxSurname+1) }},
		{"given_names", func(p *domain.Person) { p.GivenNames = strings.Repeat("a", domain.MaxGivenNames+1) }},
		{"agency", func(p *domain.Person) { p.Agency = strings.Repeat("a", domain.MaxAgency+1) }},
		{"email", func(p *domain.Person) { p.Email = strings.Repeat("a", domain.MaxEmail-5) + "@x.org" }},
		{"province", func(p *domain.Person) { p.Province = strings.Repeat("a", domain.MaxProvince+1) }},
		{"birth", func(p *domain.Person) { p.Birth = strings.Repeat("1", domain.MaxBirth+1) }},
	} {
		t.Run(tc.field, func(t *testing.T) {
			p := base
			tc.edit(&p)
			wantCode(t, domain.ValidatePerson(&p), domain.CodeTooLong, tc.field)
		})
	}
	t.Run("AtTheLimits", func(t *testing.T) {
		p := base
		p.Surname, p.GivenNames = strings.Repeat("Ñ", domain.MaxSurname), strings.Repeat("ñ", domain.MaxGivenNames)
		p.Agency, p.Email = strings.Repeat("a", domain.MaxAgency), strings.Repeat("a", domain.MaxEmail-6)+"@x.org"
		if err := domain.ValidatePerson(&p); err != nil {
			t.Errorf("got %v, want nil", err)
		}
	})
}

func TestValidateActivityLengths(t *testing.T) {
	for _, tc := range []struct {
		field string
		a     domain.Activity
	}{
		{"code", domain.Activity{Code: strings.Repeat("C", domain.MaxActivityCode+1), Title: "T", Type: domain.Charla, Hours: 1}},
		{"title", domain.Activity{Code: "C", Title: strings.Repeat("t", domain.MaxTitle+1), Type: domain.Charla, Hours: 1}},
		{"rule_version", domain.Activity{Code: "C", Title: "T", Type: domain.Charla, Hours: 1, RuleVersion: strings.Repeat("1", domain.MaxRuleVersion+1)}},
	} {
		t.Run(tc.field, func(t *testing.T) { wantCode(t, domain.ValidateActivity(&tc.a), domain.CodeTooLong, tc.field) })
	}
}
