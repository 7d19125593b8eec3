package registry

import (
	"reflect"
	"testing"
)

// TestConvertFor checks the conversions of SQLite's dynamically typed
// values to the types of the PostgreSQL columns.
func TestConvertFor(t *testing.T) {
	for _, c := range []struct {
		typ      string
		in, want any
	}{
		{"bigint", int64(7), int64(7)},
		{"bigint", 7.0, int64(7)},
		{"bigint", " 42", int64(42)},
		{"bigint", []byte("42"), int64(42)},
		{"bigint", nil, nil},
		{"double precision", int64(2), 2.0},
		{"double precision", "0.75", 0.75},
		{"text", int64(20123456), "20123456"},
		{"text", 1.5, "1.5"},
		{"text", []byte("hola"), "hola"},
		{"json", `{"a":1}`, `{"a":1}`},
		{"bytea", "abc", []byte("abc")},
		{"bytea", []byte{0, 1}, []byte{0, 1}},
		{"bytea", nil, nil},
	} {
		got, err := convertFor(c.typ, c.in)
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s %#v: got %#v %v, want %#v", c.typ, c.in, got, err, c.want)
		}
	}
	for _, c := range []struct {
		typ string
		in  any
	}{{"bigint", 1.5}, {"bigint", "uno"}, {"double precision", "x"}, {"bytea", int64(1)}, {"uuid", "x"}, {"uuid", nil}} {
		if got, err := convertFor(c.typ, c.in); err == nil {
			t.Errorf("%s %#v: got %#v, want an error", c.typ, c.in, got)
		}
	}
}
