package domain_test

import (
	"strings"
	"testing"

	"github.com/puntos-ar/puntos/storage/domain"
)

// Fictional people; the CUIL tails are computed as in TestCUILCheckDigit.
const (
	cardScan = "00123456789@GARCIA@JUAN CARLOS@M@12345678@A@15/03/1980@20/05/2015"
	oldScan  = "@12345678    @A@1@PEREZ@MARIA ELENA@ARGENTINA@01/02/1975@F@10/10/2010@00123456789@7084 @10/10/2025@421@0@ILR:2.01 C:110927.01 (GM/EXE-MOVE-HM)@UNIDAD #20 || S/N: 0040>2008>>0008"
)

var (
	garcia = domain.DNIScan{Tramite: "00123456789", Surname: "GARCIA", GivenNames: "JUAN CARLOS", Sex: "M",
		DNI: "12345678", Ejemplar: "A", Birth: "1980-03-15", Issued: "2015-05-20"}
	perez = domain.DNIScan{Tramite: "00123456789", Surname: "PEREZ", GivenNames: "MARIA ELENA", Sex: "F",
		DNI: "12345678", Ejemplar: "A", Birth: "1975-02-01", Issued: "2010-10-10"}
)

func with(s domain.DNIScan, f func(*domain.DNIScan)) domain.DNIScan { f(&s); return s }

func TestParseScan(t *testing.T) {
	tests := []struct {
		name, in string
		want     domain.DNIScan
	}{
		{"Card", cardScan, garcia},
		{"CardWithCUIL", cardScan + "@206", with(garcia, func(s *domain.DNIScan) { s.CUIL = "20123456786" })},
		{"CardWithWrongCUILTail", cardScan + "@200", garcia},
		{"CardWithOddTail", cardScan + "@abc", garcia},
		{"CardTrailingCRLF", cardScan + "\r\n", garcia},
		{"CardTrailingTab", cardScan + "\t", garcia},
		{"CardSurroundingSpaces", "  " + cardScan + "  ", garcia},
		{"CardTrailingSeparator", cardScan + "@", garcia},
		{"CardQuotes", strings.ReplaceAll(cardScan, "@", `"`), garcia},
		{"CardQuotesDashDates", `00123456789"GARCIA"JUAN CARLOS"M"12345678"A"15-03-1980"20-05-2015"206` + "\n",
			with(garcia, func(s *domain.DNIScan) { s.CUIL = "20123456786" })},
		{"CardCapsLock", strings.ToLower(cardScan), garcia},
		{"CardFieldSpaces", "00123456789@GARCIA @ JUAN  CARLOS @M@ 12345678 @A@15/03/1980@20/05/2015", garcia},
		{"CardDNILeadingZero", "00123456789@GARCIA@JUAN CARLOS@M@01234567@A@15/03/1980@20/05/2015@205",
			with(garcia, func(s *domain.DNIScan) { s.DNI, s.CUIL = "1234567", "20012345675" })},
		{"CardOddDateSeparator", "00123456789@GARCIA@JUAN CARLOS@M@12345678@A@15·03·1980@20\xfb05\xfb2015", garcia},
		{"CardAIMPrefix", "]L0" + cardScan, garcia},
		{"CardAIMPrefixCapsLock", "]l0" + strings.ToLower(cardScan), garcia},
		{"CardEnye", "00123456789@muñoz@íñigo@M@12345678@A@15/03/1980@20/05/2015",
			with(garcia, func(s *domain.DNIScan) { s.Surname, s.GivenNames = "MUÑOZ", "ÍÑIGO" })},
		{"CardEnyeOtherLayout", "00123456789@MU;OZ@I{IGO@M@12345678@A@15/03/1980@20/05/2015",
			with(garcia, func(s *domain.DNIScan) { s.Surname, s.GivenNames = "MU;OZ", "I{IGO" })},
		{"CardInvalidUTF8Name", "00123456789@MU\xd1OZ@JUAN CARLOS@M@12345678@A@15/03/1980@20/05/2015",
			with(garcia, func(s *domain.DNIScan) { s.Surname = "MU\uFFFDOZ" })},
		{"CardSexX", "00123456789@GARCIA@JUAN CARLOS@X@12345678@A@15/03/1980@20/05/2015",
			with(garcia, func(s *domain.DNIScan) { s.Sex = "X" })},
		{"Old", oldScan, perez},
		{"OldQuotes", strings.ReplaceAll(oldScan, "@", `"`), perez},
		{"OldCapsLockCRLF", strings.ToLower(oldScan) + "\r\n", perez},
		{"OldShortest", "@12345678    @A@1@PEREZ@MARIA ELENA@ARGENTINA@01/02/1975@F@10/10/2010@00123456789", perez},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := domain.ParseScan(tt.in)
			if err != nil {
				t.Fatalf("got error %v, want %+v", err, tt.want)
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestParseScanErrors(t *testing.T) {
	card := func(i int, v string) string {
		f := strings.Split(cardScan, "@")
		f[i] = v
		return strings.Join(f, "@")
	}
	tests := []struct {
		name, in, code, field string
	}{
		{"Empty", "", domain.CodeScanFormat, ""},
		{"NoSeparator", "GARCIA JUAN", domain.CodeScanFormat, ""},
		{"OneSeparator", "juan@example.com", domain.CodeScanFormat, ""},
		{"CardTruncated", "00123456789@GARCIA@JUAN CARLOS@M@12345678", domain.CodeScanTruncated, ""},
		{"CardTruncatedBeforeIssued", "00123456789@GARCIA@JUAN CARLOS@M@12345678@A@15/03/1980", domain.CodeScanTruncated, ""},
		{"OldTruncated", "@12345678    @A@1@PEREZ@MARIA ELENA@ARGENTINA@01/02/1975@F@", domain.CodeScanTruncated, ""},
		{"Tramite", card(0, "0012345678X"), domain.CodeScanField, "tramite"},
		{"TramiteMissing", card(0, " "), domain.CodeScanTruncated, ""}, // reads as a short first-card layout
		{"Surname", card(1, "  "), domain.CodeScanField, "surname"},
		{"GivenNames", card(2, ""), domain.CodeScanField, "given_names"},
		{"Sex", card(3, "Q"), domain.CodeScanField, "sex"},
		{"DNIShort", card(4, "12345"), domain.CodeScanField, "dni"},
		{"DNIZero", card(4, "00000000"), domain.CodeScanField, "dni"},
		{"DNILetters", card(4, "F1234567"), domain.CodeScanField, "dni"},
		{"Ejemplar", card(5, "1"), domain.CodeScanField, "ejemplar"},
		{"BirthImpossible", card(6, "31/02/1980"), domain.CodeScanField, "birth"},
		{"BirthShort", card(6, "15/03/80"), domain.CodeScanField, "birth"},
		{"BirthNoSeparators", card(6, "1503/19800"), domain.CodeScanField, "birth"},
		{"Issued", card(7, "2015"), domain.CodeScanField, "issued"},
		{"OldDNI", strings.Replace(oldScan, "12345678    ", "1234", 1), domain.CodeScanField, "dni"},
		{"OldSex", strings.Replace(oldScan, "@F@", "@1975@", 1), domain.CodeScanField, "sex"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := domain.ParseScan(tt.in)
			if err == nil {
				t.Fatalf("got %+v, want error %s", got, tt.code)
			}
			wantCode(t, err, tt.code, tt.field)
		})
	}
}

func TestLooksLikeScan(t *testing.T) {
	tests := []struct {
		name, in string
		want     bool
	}{
		{"Card", cardScan, true},
		{"Old", oldScan, true},
		{"Quotes", strings.ReplaceAll(cardScan, "@", `"`), true},
		{"Truncated", "00123456789@GARCIA@JUAN", true},
		{"DNI", "12.345.678", false},
		{"Name", "García", false},
		{"Email", "juan@example.com", false},
		{"Empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := domain.LooksLikeScan(tt.in); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
