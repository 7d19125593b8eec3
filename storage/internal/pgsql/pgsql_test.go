package pgsql

import "testing"

func TestRebind(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`SELECT 1`, `SELECT 1`},
		{`SELECT a FROM t WHERE b = ? AND c IN (?, ?)`, `SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)`},
		{`SELECT '?' || ?, "we?ird" FROM t`, `SELECT '?' || $1, "we?ird" FROM t`},
		{`SELECT 'it''s ?', ?`, `SELECT 'it''s ?', $1`},
		{"SELECT ? -- why?\n, ?", "SELECT $1 -- why?\n, $2"},
		{`SELECT ?, 'unterminated ?`, `SELECT $1, 'unterminated ?`},
	} {
		if got := Rebind(c.in); got != c.want {
			t.Errorf("Rebind(%q) = %q, want %q", c.in, got, c.want)
		}
		if got := Rebind(c.in); got != c.want { // from the cache
			t.Errorf("cached Rebind(%q) = %q", c.in, got)
		}
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://puntos:s3cret@db:5432/puntos?sslmode=require": "postgres://puntos:xxxxx@db:5432/puntos?sslmode=require",
		"postgres://puntos@db/puntos":                             "postgres://puntos@db/puntos",
		"postgres://%zz":                                          "postgres://…",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}
