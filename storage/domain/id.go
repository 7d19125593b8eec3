package domain

import (
	"crypto/rand"
	"strings"

	"github.com/google/uuid"
)

// NewID returns a new record ID: a UUIDv7 string, time-ordered so that
// records made on a device sort by creation.
func NewID() string {
	// NewV7 fails only if crypto/rand does, which crashes the program anyway.
	return uuid.Must(uuid.NewV7()).String()
}

// crockford is Crockford's base32 alphabet: digits and letters without
// I, L, O and U, so a code read aloud or by eye is not misread.
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// codeLen is the number of symbols in a verification code (50 random bits).
const codeLen = 10

// NewCode returns a new random certificate verification code: 10 symbols of
// Crockford's base32, grouped as XXXX-XXXX-XX.
func NewCode() string {
	var b [codeLen]byte
	rand.Read(b[:]) // never fails (crypto/rand)
	for i := range b {
		b[i] = crockford[b[i]&31] // 256 is a multiple of 32: no bias
	}
	return groupCode(string(b[:]))
}

// NormalizeCode returns a verification code as typed by a person in the form
// NewCode makes: it accepts lower case, missing dashes and spaces, and reads
// O as 0 and I and L as 1, as Crockford's base32 does.
func NormalizeCode(s string) (string, error) {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == '-' || r == ' ' || r == '\t':
			continue
		case r == 'O':
			r = '0'
		case r == 'I' || r == 'L':
			r = '1'
		case !strings.ContainsRune(crockford, r):
			return "", invalid(CodeCodeFormat, "")
		}
		if b.Len() == codeLen {
			return "", invalid(CodeCodeFormat, "")
		}
		b.WriteRune(r)
	}
	if b.Len() != codeLen {
		return "", invalid(CodeCodeFormat, "")
	}
	return groupCode(b.String()), nil
}

func groupCode(c string) string { return c[:4] + "-" + c[4:8] + "-" + c[8:] }
