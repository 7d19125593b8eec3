package domain_test

import (
	"math"
	"testing"

	"github.com/puntos-ar/puntos/storage/domain"
)

func TestValidateActivity(t *testing.T) {
	base := domain.Activity{Code: "CU-01", Title: "Ética pública", Type: domain.Curso, Hours: 20, Points: 100, Sessions: 4, Threshold: 0.75, RuleVersion: "2025.1"}
	with := func(f func(*domain.Activity)) domain.Activity { a := base; f(&a); return a }
	t.Run("OK", func(t *testing.T) {
		a := base
		if err := domain.ValidateActivity(&a); err != nil || a != base {
			t.Errorf("got %+v, %v, want %+v unchanged", a, err, base)
		}
	})
	t.Run("Defaults", func(t *testing.T) {
		a := domain.Activity{Code: " CH-01 ", Title: "  Charla   inspiradora ", Type: "Charla ", Hours: 2, Points: 2}
		want := domain.Activity{Code: "CH-01", Title: "Charla inspiradora", Type: domain.Charla, Hours: 2, Points: 2,
			Sessions: 1, Threshold: domain.DefaultThreshold, RuleVersion: domain.RuleVersion}
		if err := domain.ValidateActivity(&a); err != nil || a != want {
			t.Errorf("got %+v, %v, want %+v", a, err, want)
		}
	})
	tests := []struct {
		name string
		a    domain.Activity
		code string
	}{
		{"NoCode", with(func(a *domain.Activity) { a.Code = "  " }), domain.CodeRequired},
		{"NoType", with(func(a *domain.Activity) { a.Type = "" }), domain.CodeActivityType},
		{"BadType", with(func(a *domain.Activity) { a.Type = "seminario" }), domain.CodeActivityType},
		{"ZeroHours", with(func(a *domain.Activity) { a.Hours = 0 }), domain.CodeActivityHours},
		{"NegativeHours", with(func(a *domain.Activity) { a.Hours = -1 }), domain.CodeActivityHours},
		{"NaNHours", with(func(a *domain.Activity) { a.Hours = math.NaN() }), domain.CodeActivityHours},
		{"InfHours", with(func(a *domain.Activity) { a.Hours = math.Inf(1) }), domain.CodeActivityHours},
		{"NegativePoints", with(func(a *domain.Activity) { a.Points = -1 }), domain.CodeActivityPoints},
		{"NegativeSessions", with(func(a *domain.Activity) { a.Sessions = -2 }), domain.CodeActivitySessions},
		{"NegativeThreshold", with(func(a *domain.Activity) { a.Threshold = -0.5 }), domain.CodeActivityThreshold},
		{"ThresholdAboveOne", with(func(a *domain.Activity) { a.Threshold = 75 }), domain.CodeActivityThreshold},
		{"NaNThreshold", with(func(a *domain.Activity) { a.Threshold = math.NaN() }), domain.CodeActivityThreshold},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantCode(t, domain.ValidateActivity(&tt.a), tt.code, "*")
		})
	}
}

func TestValidatePerson(t *testing.T) {
	tests := []struct {
		name     string
		in, want domain.Person
	}{
		{"Minimal",
			domain.Person{DNI: "12.345.678", Surname: "García", GivenNames: "Juan"},
			domain.Person{DNI: "12345678", Surname: "García", GivenNames: "Juan"}},
		{"Normalised",
			domain.Person{DNI: " 1.234.567 ", CUIL: "20-01234567-5", Surname: "  NÚÑEZ   D'Alessandro ", GivenNames: " María\tJosé ",
				Email: " mj@organismo.gob.ar ", Sex: "f", Birth: "01/02/1975", Agency: " ANSES ", Province: "Buenos  Aires"},
			domain.Person{DNI: "1234567", CUIL: "20012345675", Surname: "NÚÑEZ D'Alessandro", GivenNames: "María José",
				Email: "mj@organismo.gob.ar", Sex: "F", Birth: "1975-02-01", Agency: "ANSES", Province: "Buenos Aires"}},
		{"DNIFromCUIL",
			domain.Person{CUIL: "27123456780", Surname: "Pérez", GivenNames: "Ana"},
			domain.Person{DNI: "12345678", CUIL: "27123456780", Surname: "Pérez", GivenNames: "Ana"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.in
			if err := domain.ValidatePerson(&p); err != nil || p != tt.want {
				t.Errorf("got %+v, %v, want %+v", p, err, tt.want)
			}
		})
	}
}

func TestValidatePersonErrors(t *testing.T) {
	base := domain.Person{DNI: "12345678", CUIL: "20-12345678-6", Surname: "García", GivenNames: "Juan"}
	with := func(f func(*domain.Person)) domain.Person { p := base; f(&p); return p }
	tests := []struct {
		name        string
		p           domain.Person
		code, field string
	}{
		{"NoDNI", with(func(p *domain.Person) { p.DNI, p.CUIL = "", "" }), domain.CodeRequired, "dni"},
		{"BadDNI", with(func(p *domain.Person) { p.DNI, p.CUIL = "12345", "" }), domain.CodeDNIFormat, "dni"},
		{"BadCUIL", with(func(p *domain.Person) { p.CUIL = "20-12345678-7" }), domain.CodeCUILCheckDigit, "cuil"},
		{"CUILOtherDNI", with(func(p *domain.Person) { p.DNI = "12345679" }), domain.CodeCUILDNIMismatch, "cuil"},
		{"CUILShortDNI", with(func(p *domain.Person) { p.DNI, p.CUIL = "", "20-00123456-1" }), domain.CodeDNIFormat, "dni"},
		{"NoSurname", with(func(p *domain.Person) { p.Surname = "  " }), domain.CodeRequired, "surname"},
		{"NoGivenNames", with(func(p *domain.Person) { p.GivenNames = "" }), domain.CodeRequired, "given_names"},
		{"EmailNoAt", with(func(p *domain.Person) { p.Email = "juan.gob.ar" }), domain.CodeEmailFormat, "email"},
		{"EmailNoDot", with(func(p *domain.Person) { p.Email = "juan@localhost" }), domain.CodeEmailFormat, "email"},
		{"EmailTwoAts", with(func(p *domain.Person) { p.Email = "juan@a@b.ar" }), domain.CodeEmailFormat, "email"},
		{"EmailSpace", with(func(p *domain.Person) { p.Email = "juan perez@gob.ar" }), domain.CodeEmailFormat, "email"},
		{"EmailTrailingDot", with(func(p *domain.Person) { p.Email = "juan@gob." }), domain.CodeEmailFormat, "email"},
		{"EmailNoLocal", with(func(p *domain.Person) { p.Email = "@gob.ar" }), domain.CodeEmailFormat, "email"},
		{"Sex", with(func(p *domain.Person) { p.Sex = "masculino" }), domain.CodeSexFormat, "sex"},
		{"BirthFormat", with(func(p *domain.Person) { p.Birth = "1975" }), domain.CodeDateFormat, "birth"},
		{"BirthImpossible", with(func(p *domain.Person) { p.Birth = "31/04/1975" }), domain.CodeDateInvalid, "birth"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantCode(t, domain.ValidatePerson(&tt.p), tt.code, tt.field)
		})
	}
}
