package domain_test

import (
	"testing"

	"github.com/puntos-ar/puntos/storage/domain"
)

func TestNormalizeDNI(t *testing.T) {
	tests := []struct {
		name, in, want, code string
	}{
		{"Plain", "12345678", "12345678", ""},
		{"Dots", "12.345.678", "12345678", ""},
		{"Spaces", "12 345 678", "12345678", ""},
		{"SevenDigitsDots", "1.234.567", "1234567", ""},
		{"Surrounding", "  12345678 \t\n", "12345678", ""},
		{"LeadingZero", "01234567", "1234567", ""},
		{"LeadingZerosFromScan", "00012345678", "12345678", ""},
		{"Empty", "", "", domain.CodeDNIFormat},
		{"OnlySpaces", "   ", "", domain.CodeDNIFormat},
		{"OnlyDots", "..", "", domain.CodeDNIFormat},
		{"SixDigits", "123456", "", domain.CodeDNIFormat},
		{"NineDigits", "123456789", "", domain.CodeDNIFormat},
		{"LeadingZeroTooShort", "0123456", "", domain.CodeDNIFormat},
		{"Letters", "12a45678", "", domain.CodeDNIFormat},
		{"Dash", "12-345-678", "", domain.CodeDNIFormat},
		{"Negative", "-12345678", "", domain.CodeDNIFormat},
		{"FullWidthDigits", "１２３４５６７８", "", domain.CodeDNIFormat},
		{"AllZeros", "00.000.000", "", domain.CodeDNIZero},
		{"Zero", "0", "", domain.CodeDNIZero},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := domain.NormalizeDNI(tt.in)
			if tt.code != "" {
				wantCode(t, err, tt.code, "dni")
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("got %q, %v, want %q", got, err, tt.want)
			}
		})
	}
}

func TestFormatDNI(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"Eight", "12345678", "12.345.678"},
		{"Seven", "1234567", "1.234.567"},
		{"Six", "123456", "123.456"},
		{"Short", "12", "12"},
		{"Empty", "", ""},
		{"NotDigits", "12.345.678", "12.345.678"},
		{"TooLong", "1234567890", "1234567890"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := domain.FormatDNI(tt.in); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// The check digits below are computed by hand with weights 5,4,3,2,7,6,5,4,3,2:
//
//	20-12345678: 10+0+3+4+21+24+25+24+21+16 = 148, 148 mod 11 = 5, 11-5 = 6
//	27-12345678: 10+28+3+4+21+24+25+24+21+16 = 176, 176 mod 11 = 0 → 0
//	20-12345676: 144, 144 mod 11 = 1, 11-1 = 10 → none: issued as 23-…
//	23-12345676: 156, 156 mod 11 = 2, 11-2 = 9
//	20-01234567: 116, 116 mod 11 = 6, 11-6 = 5
//	30-71234567: 142, 142 mod 11 = 10, 11-10 = 1
func TestCUILCheckDigit(t *testing.T) {
	tests := []struct {
		name, first10 string
		want          int
		ok            bool
	}{
		{"Man", "2012345678", 6, true},
		{"WomanRemainderZero", "2712345678", 0, true},
		{"RemainderOne", "2012345676", 0, false},
		{"Prefix23", "2312345676", 9, true},
		{"SevenDigitDNI", "2001234567", 5, true},
		{"Company", "3071234567", 1, true},
		{"Short", "201234567", 0, false},
		{"Letters", "20123456a8", 0, false},
		{"Dashes", "20-1234567", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := domain.CUILCheckDigit(tt.first10)
			if got != tt.want || ok != tt.ok {
				t.Errorf("got %d, %v, want %d, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestParseCUIL(t *testing.T) {
	tests := []struct {
		name, in, want, code string
	}{
		{"Dashes", "20-12345678-6", "20123456786", ""},
		{"Plain", "20123456786", "20123456786", ""},
		{"Dots", "20.12345678.6", "20123456786", ""},
		{"Spaces", " 20 12345678 6\n", "20123456786", ""},
		{"DNIDots", "20-12.345.678-6", "20123456786", ""},
		{"WomanCheckZero", "27-12345678-0", "27123456780", ""},
		{"Prefix23", "23-12345676-9", "23123456769", ""},
		{"SevenDigitDNI", "20-01234567-5", "20012345675", ""},
		{"Company", "30-71234567-1", "30712345671", ""},
		{"Empty", "", "", domain.CodeCUILFormat},
		{"TenDigits", "2012345678", "", domain.CodeCUILFormat},
		{"TwelveDigits", "201234567861", "", domain.CodeCUILFormat},
		{"Letters", "20-1234567X-6", "", domain.CodeCUILFormat},
		{"BadPrefix", "21-12345678-6", "", domain.CodeCUILPrefix},
		{"BadPrefixZero", "00-12345678-6", "", domain.CodeCUILPrefix},
		{"BadCheckDigit", "20-12345678-7", "", domain.CodeCUILCheckDigit},
		{"RemainderTen", "20-12345676-0", "", domain.CodeCUILCheckTen},
		{"RemainderTenOther", "20-12345676-9", "", domain.CodeCUILCheckTen},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := domain.ParseCUIL(tt.in)
			if tt.code != "" {
				wantCode(t, err, tt.code, "cuil")
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("got %q, %v, want %q", got, err, tt.want)
			}
		})
	}
}

func TestCUILDNI(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"Eight", "20123456786", "12345678"},
		{"Dashes", "20-12345678-6", "12345678"},
		{"SevenTrimmed", "20012345675", "1234567"},
		{"NotCUIL", "12345678", ""},
		{"Letters", "2012345678X", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := domain.CUILDNI(tt.in); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFormatCUIL(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"OK", "20123456786", "20-12345678-6"},
		{"AlreadyFormatted", "20-12345678-6", "20-12345678-6"},
		{"Short", "2012345678", "2012345678"},
		{"Empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := domain.FormatCUIL(tt.in); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
