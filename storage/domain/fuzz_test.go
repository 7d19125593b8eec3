package domain_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/puntos-ar/puntos/storage/domain"
)

func FuzzParseScan(f *testing.F) {
	for _, s := range []string{
		cardScan, cardScan + "@206", oldScan, strings.ReplaceAll(cardScan, "@", `"`),
		strings.ToLower(oldScan) + "\r\n", "]L0" + cardScan, "@@@@@@@@@@@", `""`, "@", "",
		"00123456789@MU\xd1OZ@JUAN@M@012345678@A@15-03-1980@20&05&2015",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := domain.ParseScan(s)
		if err != nil {
			if !errors.Is(err, domain.ErrInvalid) {
				t.Fatalf("got error %v, want ErrInvalid", err)
			}
			return
		}
		if dni, err := domain.NormalizeDNI(got.DNI); err != nil || dni != got.DNI {
			t.Errorf("got DNI %q, NormalizeDNI gives %q, %v", got.DNI, dni, err)
		}
		for _, d := range []string{got.Birth, got.Issued} {
			if tm, err := domain.ParseDate(d); err != nil || tm.Format("2006-01-02") != d {
				t.Errorf("got date %q, not YYYY-MM-DD: %v", d, err)
			}
		}
		if got.Surname == "" || got.GivenNames == "" || got.Tramite == "" {
			t.Errorf("got empty required field in %+v", got)
		}
		if got.Surname != strings.ToUpper(got.Surname) || got.GivenNames != strings.ToUpper(got.GivenNames) {
			t.Errorf("got names %q, %q, want upper case", got.Surname, got.GivenNames)
		}
		if got.CUIL != "" && domain.CUILDNI(got.CUIL) != got.DNI {
			t.Errorf("got CUIL %q for DNI %q", got.CUIL, got.DNI)
		}
		// Caps Lock and the other keyboard layout's separator read the same.
		if !strings.Contains(s, `"`) {
			again, err := domain.ParseScan(strings.ReplaceAll(strings.ToLower(s), "@", `"`))
			if err != nil || again.DNI != got.DNI || again.Birth != got.Birth {
				t.Errorf("got %+v, %v with quotes and lower case, want %+v", again, err, got)
			}
		}
	})
}

func FuzzClassifyInput(f *testing.F) {
	for _, s := range []string{
		"12345678", "12.345.678", "20-12345678-6", "20123456786", "García", "a", "", "  ",
		cardScan, oldScan, "00123456789@GARCIA", "0000000", "20-00123456-1", "ñ1", "1.2.3.4.5.6.7.8",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := domain.ClassifyInput(s)
		if err != nil {
			if !errors.Is(err, domain.ErrInvalid) {
				t.Fatalf("got error %v, want ErrInvalid", err)
			}
			if domain.Message(err, "es") == "" || domain.Message(err, "en") == "" {
				t.Errorf("got empty message for %v", err)
			}
			return
		}
		switch got.Kind {
		case domain.InputDNI, domain.InputCUIL, domain.InputScan:
			if dni, err := domain.NormalizeDNI(got.DNI); err != nil || dni != got.DNI {
				t.Errorf("got %s DNI %q, NormalizeDNI gives %q, %v", got.Kind, got.DNI, dni, err)
			}
			if got.Kind == domain.InputCUIL && domain.CUILDNI(got.CUIL) != got.DNI {
				t.Errorf("got CUIL %q with DNI %q", got.CUIL, got.DNI)
			}
			if (got.Kind == domain.InputScan) != (got.Scan != nil) {
				t.Errorf("got kind %s with Scan %v", got.Kind, got.Scan)
			}
		case domain.InputName:
			if got.Query == "" || got.Query != strings.TrimSpace(got.Query) {
				t.Errorf("got query %q, want trimmed and non-empty", got.Query)
			}
		default:
			t.Errorf("got kind %q", got.Kind)
		}
	})
}

func FuzzParseCUIL(f *testing.F) {
	f.Add("20-12345678-6", uint32(12345678), uint8(0))
	f.Add("20-12345676-0", uint32(12345676), uint8(1))
	f.Add("", uint32(1234567), uint8(3))
	f.Add("3071234567 1", uint32(0), uint8(6))
	prefixes := []string{"20", "23", "24", "27", "30", "33", "34"}
	f.Fuzz(func(t *testing.T, s string, n uint32, p uint8) {
		if got, err := domain.ParseCUIL(s); err == nil {
			if len(got) != 11 || domain.FormatCUIL(got) == got {
				t.Errorf("got %q, want 11 digits", got)
			}
			if again, err := domain.ParseCUIL(domain.FormatCUIL(got)); err != nil || again != got {
				t.Errorf("got %q, %v parsing FormatCUIL(%q)", again, err, got)
			}
		} else if !errors.Is(err, domain.ErrInvalid) {
			t.Fatalf("got error %v, want ErrInvalid", err)
		}

		// A CUIL built from a DNI and a prefix parses back, unless its check
		// digit would be 10, in which case ParseCUIL says so.
		dni := fmt.Sprintf("%08d", n%100_000_000)
		first10 := prefixes[int(p)%len(prefixes)] + dni
		check, ok := domain.CUILCheckDigit(first10)
		cuil := first10 + fmt.Sprint(check)
		got, err := domain.ParseCUIL(domain.FormatCUIL(cuil))
		if !ok {
			var e *domain.Error
			if !errors.As(err, &e) || e.Code != domain.CodeCUILCheckTen {
				t.Fatalf("got %q, %v for %s with check 10, want %s", got, err, first10, domain.CodeCUILCheckTen)
			}
			return
		}
		if err != nil || got != cuil {
			t.Fatalf("got %q, %v, want %q", got, err, cuil)
		}
		if want := strings.TrimLeft(dni, "0"); domain.CUILDNI(got) != want {
			t.Errorf("got DNI %q, want %q", domain.CUILDNI(got), want)
		}
		for d := range 10 {
			if d == check {
				continue
			}
			if _, err := domain.ParseCUIL(first10 + fmt.Sprint(d)); err == nil {
				t.Errorf("got %s%d accepted, want only check digit %d", first10, d, check)
			}
		}
	})
}
