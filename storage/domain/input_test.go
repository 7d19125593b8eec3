package domain_test

import (
	"testing"

	"github.com/puntos-ar/puntos/storage/domain"
)

func TestClassifyInput(t *testing.T) {
	tests := []struct {
		name, in string
		want     domain.Input
	}{
		{"DNI", "12345678", domain.Input{Kind: domain.InputDNI, DNI: "12345678"}},
		{"DNIDots", " 12.345.678 ", domain.Input{Kind: domain.InputDNI, DNI: "12345678"}},
		{"DNISeven", "1.234.567", domain.Input{Kind: domain.InputDNI, DNI: "1234567"}},
		{"DNISpacesEnter", "12 345 678\r\n", domain.Input{Kind: domain.InputDNI, DNI: "12345678"}},
		{"CUIL", "20123456786", domain.Input{Kind: domain.InputCUIL, DNI: "12345678", CUIL: "20123456786"}},
		{"CUILDashes", "20-12345678-6", domain.Input{Kind: domain.InputCUIL, DNI: "12345678", CUIL: "20123456786"}},
		{"CUILSevenDigitDNI", "20-01234567-5", domain.Input{Kind: domain.InputCUIL, DNI: "1234567", CUIL: "20012345675"}},
		{"Name", "  García ", domain.Input{Kind: domain.InputName, Query: "García"}},
		{"FullName", "perez maria", domain.Input{Kind: domain.InputName, Query: "perez maria"}},
		{"TwoLetters", "ño", domain.Input{Kind: domain.InputName, Query: "ño"}},
		{"Apostrophe", "D'Alessandro", domain.Input{Kind: domain.InputName, Query: "D'Alessandro"}},
		{"LettersAndDigits", "Juan 123", domain.Input{Kind: domain.InputName, Query: "Juan 123"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := domain.ClassifyInput(tt.in)
			if err != nil {
				t.Fatalf("got error %v, want %+v", err, tt.want)
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestClassifyInputScan(t *testing.T) {
	got, err := domain.ClassifyInput(cardScan + "@206\r\n")
	if err != nil {
		t.Fatalf("got error %v", err)
	}
	if got.Kind != domain.InputScan || got.DNI != "12345678" || got.CUIL != "20123456786" || got.Scan == nil {
		t.Fatalf("got %+v, want a scan of DNI 12345678 with CUIL 20123456786", got)
	}
	if got.Scan.Surname != "GARCIA" {
		t.Errorf("got surname %q, want %q", got.Scan.Surname, "GARCIA")
	}
}

func TestClassifyInputErrors(t *testing.T) {
	tests := []struct {
		name, in, code, field string
	}{
		{"Empty", "", domain.CodeInputEmpty, ""},
		{"Blank", " \t\r\n", domain.CodeInputEmpty, ""},
		{"OneLetter", "a", domain.CodeInputUnknown, ""},
		{"Punctuation", "?!", domain.CodeInputUnknown, ""},
		{"DigitAndLetter", "1234567a", domain.CodeInputUnknown, ""},
		{"ShortNumber", "12345", domain.CodeInputNumber, ""},
		{"NineDigits", "123456789", domain.CodeInputNumber, ""},
		{"TenDigits", "20-1234567-8", domain.CodeInputNumber, ""},
		{"ZeroDNI", "0000000", domain.CodeDNIZero, "dni"},
		{"CUILBadCheck", "20-12345678-7", domain.CodeCUILCheckDigit, "cuil"},
		{"CUILRemainderTen", "20-12345676-0", domain.CodeCUILCheckTen, "cuil"},
		{"CUILBadPrefix", "99-12345678-6", domain.CodeCUILPrefix, "cuil"},
		{"CUILShortDNI", "20-00123456-1", domain.CodeDNIFormat, "dni"},
		{"TruncatedScan", "00123456789@GARCIA@JUAN", domain.CodeScanTruncated, ""},
		{"BadScan", "00123456789@GARCIA@JUAN CARLOS@M@12345678@A@31/02/1980@20/05/2015", domain.CodeScanField, "birth"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := domain.ClassifyInput(tt.in)
			if err == nil {
				t.Fatalf("got %+v, want error %s", got, tt.code)
			}
			wantCode(t, err, tt.code, tt.field)
		})
	}
}
