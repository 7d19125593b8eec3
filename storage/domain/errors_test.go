package domain_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/puntos-ar/puntos/storage/domain"
)

// wantCode fails the test unless err is an *domain.Error with the code and
// field given (field "*" matches any), which errors.Is finds as ErrInvalid.
func wantCode(t *testing.T, err error, code, field string) {
	t.Helper()
	e, ok := errors.AsType[*domain.Error](err)
	if !ok {
		t.Fatalf("got error %v (%T), want *domain.Error with code %q", err, err, code)
	}
	if e.Code != code || (field != "*" && e.Field != field) {
		t.Errorf("got code %q field %q, want code %q field %q", e.Code, e.Field, code, field)
	}
	if !errors.Is(err, domain.ErrInvalid) {
		t.Errorf("errors.Is(%v, ErrInvalid) = false, want true", err)
	}
}

var allCodes = []string{
	domain.CodeRequired, domain.CodeDNIFormat, domain.CodeDNIZero, domain.CodeCUILFormat,
	domain.CodeCUILPrefix, domain.CodeCUILCheckDigit, domain.CodeCUILCheckTen, domain.CodeCUILDNIMismatch,
	domain.CodeScanFormat, domain.CodeScanTruncated, domain.CodeScanField, domain.CodeInputEmpty,
	domain.CodeInputNumber, domain.CodeInputUnknown, domain.CodeDateFormat, domain.CodeDateInvalid,
	domain.CodeClockFormat, domain.CodeCodeFormat, domain.CodeActivityType, domain.CodeActivityHours,
	domain.CodeActivityPoints, domain.CodeActivitySessions, domain.CodeActivityThreshold,
	domain.CodeEmailFormat, domain.CodeSexFormat, domain.CodeTooLong, domain.CodeDataFileEmpty,
}

func TestMessageEveryCode(t *testing.T) {
	seen := map[string]bool{}
	for _, code := range allCodes {
		t.Run(code, func(t *testing.T) {
			if seen[code] {
				t.Fatalf("code %q listed twice", code)
			}
			seen[code] = true
			err := &domain.Error{Code: code, Field: "surname"}
			es, en := domain.Message(err, "es"), domain.Message(err, "en")
			if es != err.Error() {
				t.Errorf("got Message(es) %q, want Error() %q", es, err.Error())
			}
			if strings.Contains(es, "("+code+")") || strings.Contains(en, "("+code+")") {
				t.Errorf("code %q has no table entry: es %q, en %q", code, es, en)
			}
			if es == en {
				t.Errorf("got the same text for es and en: %q", es)
			}
			if strings.Contains(es, "{field}") || strings.Contains(en, "{field}") {
				t.Errorf("placeholder left: es %q, en %q", es, en)
			}
		})
	}
}

func TestMessage(t *testing.T) {
	wrapped := fmt.Errorf("import roster line 3: %w", &domain.Error{Code: domain.CodeDNIFormat, Field: "dni"})
	tests := []struct {
		name   string
		err    error
		lang   string
		want   string
		prefix bool
	}{
		{"Nil", nil, "es", "", false},
		{"Spanish", wrapped, "es", "El DNI debe tener 7 u 8 dígitos (por ejemplo 12.345.678).", false},
		{"English", wrapped, "en", "The DNI must have 7 or 8 digits (for example 12.345.678).", false},
		{"EnglishRegion", wrapped, "en-GB", "The DNI must have 7 or 8 digits", true},
		{"OtherLanguageIsSpanish", wrapped, "pt", "El DNI debe", true},
		{"FieldLabelES", &domain.Error{Code: domain.CodeScanField, Field: "birth"}, "es", "En el código escaneado la fecha de nacimiento no se pudo leer.", true},
		{"FieldLabelEN", &domain.Error{Code: domain.CodeScanField, Field: "birth"}, "en", "In the scanned code, the date of birth could not be read.", true},
		{"TextOverridesSpanish", &domain.Error{Code: domain.CodeDNIFormat, Text: "Otro texto."}, "es", "Otro texto.", false},
		{"TableWinsInEnglish", &domain.Error{Code: domain.CodeDNIFormat, Text: "Otro texto."}, "en", "The DNI must", true},
		{"UnknownCodeText", &domain.Error{Code: "quota_exceeded", Text: "Se superó la cuota."}, "en", "Se superó la cuota.", false},
		{"UnknownCodeNoText", &domain.Error{Code: "quota_exceeded"}, "es", "Dato inválido (quota_exceeded).", false},
		{"NotFound", fmt.Errorf("find person: %w", domain.ErrNotFound), "es", "No se encontró", true},
		{"NotFoundEN", fmt.Errorf("find person: %w", domain.ErrNotFound), "en", "Not found.", true},
		{"Conflict", domain.ErrConflict, "es", "Ese registro ya existe", true},
		{"Closed", fmt.Errorf("add attendance: %w", domain.ErrClosed), "es", "La sesión está cerrada", true},
		{"ClosedEN", domain.ErrClosed, "en", "The session is closed", true},
		{"InternalHidden", errors.New("sql: database is locked"), "es", "Algo salió mal.", true},
		{"InternalHiddenEN", errors.New("sql: database is locked"), "en", "Something went wrong.", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := domain.Message(tt.err, tt.lang)
			if tt.prefix && !strings.HasPrefix(got, tt.want) || !tt.prefix && got != tt.want {
				t.Errorf("got %q, want %q (prefix %v)", got, tt.want, tt.prefix)
			}
			if strings.Contains(got, "locked") {
				t.Errorf("got %q, leaks internal detail", got)
			}
		})
	}
}

func TestErrorIs(t *testing.T) {
	err := fmt.Errorf("save: %w", &domain.Error{Code: domain.CodeDNIZero})
	if !errors.Is(err, domain.ErrInvalid) {
		t.Error("got errors.Is(*Error, ErrInvalid) false, want true")
	}
	for _, s := range []error{domain.ErrNotFound, domain.ErrConflict, domain.ErrClosed} {
		if errors.Is(err, s) {
			t.Errorf("got errors.Is(*Error, %v) true, want false", s)
		}
		if errors.Is(s, domain.ErrInvalid) {
			t.Errorf("got errors.Is(%v, ErrInvalid) true, want false", s)
		}
	}
}
