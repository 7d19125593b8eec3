package domain_test

import (
	"regexp"
	"testing"

	"github.com/google/uuid"
	"github.com/puntos-ar/puntos/storage/domain"
)

func TestNewID(t *testing.T) {
	prev := ""
	for range 1000 {
		id := domain.NewID()
		u, err := uuid.Parse(id)
		if err != nil {
			t.Fatalf("got %q, not a UUID: %v", id, err)
		}
		if u.Version() != 7 {
			t.Fatalf("got version %d, want 7", u.Version())
		}
		if id <= prev {
			t.Fatalf("got %q after %q, want increasing IDs", id, prev)
		}
		prev = id
	}
}

var codeForm = regexp.MustCompile(`^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{2}$`)

func TestNewCode(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		c := domain.NewCode()
		if !codeForm.MatchString(c) {
			t.Fatalf("got %q, want XXXX-XXXX-XX in Crockford base32", c)
		}
		if seen[c] {
			t.Fatalf("got %q twice", c)
		}
		seen[c] = true
		if got, err := domain.NormalizeCode(c); err != nil || got != c {
			t.Fatalf("got NormalizeCode(%q) = %q, %v, want it unchanged", c, got, err)
		}
	}
}

func TestNormalizeCode(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"Canonical", "ABCD-EFGH-JK", "ABCD-EFGH-JK"},
		{"Lower", "abcd-efgh-jk", "ABCD-EFGH-JK"},
		{"NoDashes", "ABCDEFGHJK", "ABCD-EFGH-JK"},
		{"Spaces", " abcd efgh jk ", "ABCD-EFGH-JK"},
		{"OasZero", "O0oO-1234-56", "0000-1234-56"},
		{"IandLasOne", "IiLl-1234-56", "1111-1234-56"},
		{"OtherGrouping", "AB-CD-EF-GH-JK", "ABCD-EFGH-JK"},
		{"U", "ABCD-EFGH-JU", ""},
		{"Short", "ABCD-EFGH-J", ""},
		{"Long", "ABCD-EFGH-JKM", ""},
		{"LongLookalikes", "OOOO-OOOO-OOO", ""},
		{"Punctuation", "ABCD.EFGH.JK", ""},
		{"Accent", "ÁBCD-EFGH-JK", ""},
		{"Empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := domain.NormalizeCode(tt.in)
			if tt.want == "" {
				wantCode(t, err, domain.CodeCodeFormat, "")
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("got %q, %v, want %q", got, err, tt.want)
			}
		})
	}
}
