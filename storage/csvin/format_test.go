package csvin_test

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"golang.org/x/text/encoding/unicode"

	"github.com/puntos-ar/puntos/storage/csvin"
	"github.com/puntos-ar/puntos/storage/domain"
)

// wantFormat checks that reading b as a roster and as a catalog fails with
// a *FormatError of that format whose message holds each of words.
func wantFormat(t *testing.T, b []byte, format string, words ...string) {
	t.Helper()
	_, err := csvin.NewRosterReader(bytes.NewReader(b))
	fe, ok := errors.AsType[*csvin.FormatError](err)
	if !ok || fe.Format != format {
		t.Fatalf("got %T %v, want a *FormatError %q", err, err, format)
	}
	for _, w := range words {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("message %q lacks %q", err, w)
		}
	}
	if msg, ok := csvin.Message(err); !ok || msg != err.Error() {
		t.Errorf("Message = %q, %v; want the error's sentence", msg, ok)
	}
	if _, err := csvin.NewCatalogReader(bytes.NewReader(b)); !errors.As(err, &fe) {
		t.Errorf("catalog: got %v, want a *FormatError", err)
	}
}

func TestNotText(t *testing.T) {
	head := "DNI;Apellido;Nombre\r\n12345678;PEREZ;Juan\r\n"
	for _, tc := range []struct {
		name, data string
		words      []string
	}{
		{"NUL", head + "23456789;GO\x00MEZ;Ana\r\n", []string{"bytes nulos", "línea 3", ".xlsx"}},
		{"Control", head + "23456789;GOMEZ;Ana\x01\r\n", []string{"0x01", "línea 3", ".xlsx"}},
		{"Escape", "DNI;Apellido;Nombre\x1b[0m\n", []string{"0x1B", "línea 1"}},
		{"Delete", head + "\x7f\n", []string{"0x7F"}},
		{"C1InUTF8", head + "23456789;GÓMEZ\u0085;Ana\n", []string{"U+0085", "línea 3"}},
		{"Win1252Undefined81", head + "23456789;G\xd3MEZ\x81;Ana\r\n", []string{"0x81", "línea 3"}},
		{"Win1252Undefined8D", "DNI;Apellido;Nombre\n\x8d\n", []string{"0x8D", "línea 2"}},
		{"Win1252Undefined8F", "DNI;Apellido;Nombre\n\x8f\n", []string{"0x8F"}},
		{"Win1252Undefined90", "DNI;Apellido;Nombre\n\x90\n", []string{"0x90"}},
		{"Win1252Undefined9D", "DNI;Apellido;Nombre\n\x9d\n", []string{"0x9D"}},
		{"UTF16WithoutBOM", "D\x00N\x00I\x00;\x00A\x00p\x00e\x00l\x00l\x00i\x00d\x00o\x00\n\x00", []string{"UTF-16", "BOM"}},
		{"Binary", "\x7fELF\x02\x01\x01\x00\x00\x00", []string{"no es texto"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantFormat(t, []byte(tc.data), "binary", tc.words...)
		})
	}
}

func TestTextQuirksAccepted(t *testing.T) {
	// Tabs inside cells, a DOS end-of-file mark, Windows-1252 with its
	// defined bytes (€, smart quotes, ñ).
	text := "DNI;Apellido;Nombre;Organismo\r\n12345678;PE\x91REZ\x92;Juan\tCarlos;Fondo \x80 \xd1and\xfa\r\n\x1a"
	r := newRoster(t, strings.NewReader(text))
	wantPeople(t, readRoster(t, r), []row{{line: 2, person: domain.Person{DNI: "12345678", Surname: "PE‘REZ’", GivenNames: "Juan Carlos", Agency: "Fondo € Ñandú"}}})
	if got := r.Encoding(); got != "Windows-1252" {
		t.Errorf("Encoding() = %q", got)
	}
}

func TestUTF16WithBOM(t *testing.T) {
	// Excel's "Texto Unicode": UTF-16 with a BOM, tab-separated.
	text := "DNI\tApellido\tNombres\r\n12345678\tMUÑOZ\tJosé\r\n"
	for name, e := range map[string]unicode.Endianness{"LittleEndian": unicode.LittleEndian, "BigEndian": unicode.BigEndian} {
		t.Run(name, func(t *testing.T) {
			b, err := unicode.UTF16(e, unicode.UseBOM).NewEncoder().Bytes([]byte(text))
			if err != nil {
				t.Fatal(err)
			}
			r := newRoster(t, bytes.NewReader(b))
			if got := r.Encoding(); got != "UTF-16" {
				t.Errorf("Encoding() = %q, want UTF-16", got)
			}
			wantPeople(t, readRoster(t, r), []row{{line: 2, person: domain.Person{DNI: "12345678", Surname: "MUÑOZ", GivenNames: "José"}}})
		})
	}
}

func TestRecognised(t *testing.T) {
	// Files are told by their content: none of these has a name.
	ole := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 504)...)
	for _, tc := range []struct {
		name, format string
		data         []byte
		words        []string
	}{
		{"ODS", "ods", zipOf(t, "mimetype", "application/vnd.oasis.opendocument.spreadsheet", "content.xml", "<office:document-content/>"),
			[]string{"LibreOffice (.ods)", "Guardar como", ".xlsx", "CSV"}},
		{"XLS", "xls", ole, []string{"97-2003 (.xls)", ".xlsx", "CSV"}},
		{"XLSB", "xlsb", zipOf(t, "[Content_Types].xml", "<Types/>", "xl/workbook.bin", "\x00"), []string{".xlsb", ".xlsx"}},
		{"DOCX", "office", zipOf(t, "[Content_Types].xml", "<Types/>", "word/document.xml", "<w:document/>"), []string{"no una planilla"}},
		{"ODT", "office", zipOf(t, "mimetype", "application/vnd.oasis.opendocument.text", "content.xml", "<x/>"), []string{"no una planilla"}},
		{"ZIP", "zip", zipOf(t, "padron.csv", "DNI;Apellido;Nombre\n"), []string{"ZIP", "descomprimilo"}},
		{"DamagedZIP", "zip", []byte("PK\x03\x04garbage"), []string{"dañada"}},
		{"PDF", "pdf", []byte("%PDF-1.7\n%âãÏÓ\n1 0 obj\n"), []string{"PDF"}},
	} {
		t.Run(tc.name, func(t *testing.T) { wantFormat(t, tc.data, tc.format, tc.words...) })
	}
}

func TestColumnLimit(t *testing.T) {
	cols := func(n int) string { return strings.Repeat(";", n-1) }
	t.Run("HeaderAtLimit", func(t *testing.T) {
		r := newRoster(t, strings.NewReader("DNI;Apellido;Nombre"+cols(csvin.MaxColumns-2)+"\n12345678;PEREZ;Juan\n"))
		if rows := readRoster(t, r); len(rows) != 1 || rows[0].err != nil {
			t.Fatalf("got %+v, want one person", rows)
		}
	})
	t.Run("ErrHeader", func(t *testing.T) {
		wantFormat(t, []byte("Nómina\nDNI;Apellido;Nombre"+cols(csvin.MaxColumns-1)+"\n12345678;PEREZ;Juan\n"),
			"columns", "línea 2", "201 columnas", "200", "borrá")
	})
	t.Run("ErrRow", func(t *testing.T) {
		r := newRoster(t, strings.NewReader("DNI;Apellido;Nombre\n12345678;PEREZ;Juan"+cols(csvin.MaxColumns)+"\n23456789;GOMEZ;Ana\n"))
		rows := readRoster(t, r)
		if len(rows) != 2 || rows[0].err == nil || rows[0].line != 2 || rows[1].err != nil {
			t.Fatalf("got %+v, want row 2 rejected and row 3 read", rows)
		}
		if !strings.Contains(rows[0].err.Error(), "202 columnas") {
			t.Errorf("message %q", rows[0].err)
		}
	})
}

func TestTooLongCells(t *testing.T) {
	huge := strings.Repeat("X", 10<<20)
	for _, tc := range []struct {
		name, text, field string
	}{
		{"Surname10MB", "DNI;Apellido;Nombres\n23456789;" + huge + ";Ana\n", "Apellido"},
		{"Surname101", "DNI;Apellido;Nombres\n23456789;" + strings.Repeat("Ñ", domain.MaxSurname+1) + ";Ana\n", "Apellido"},
		{"GivenNames", "DNI;Apellido;Nombres\n23456789;GOMEZ;" + strings.Repeat("a", domain.MaxGivenNames+1) + "\n", "Nombres"},
		{"FullName", "DNI;Apellido y Nombre\n23456789;GOMEZ, " + strings.Repeat("a", domain.MaxGivenNames+1) + "\n34567890;PAZ, Luis\n", "Apellido y Nombre"},
		{"Agency", "DNI;Apellido;Nombres;Organismo\n23456789;GOMEZ;Ana;" + strings.Repeat("a", domain.MaxAgency+1) + "\n", "Organismo"},
		{"Email", "DNI;Apellido;Nombres;Correo\n23456789;GOMEZ;Ana;" + strings.Repeat("a", 250) + "@x.org\n", "Correo"},
		{"Province", "DNI;Apellido;Nombres;Provincia\n23456789;GOMEZ;Ana;" + strings.Repeat("a", domain.MaxProvince+1) + "\n", "Provincia"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text := tc.text
			if !strings.Contains(text, "34567890") {
				text += "34567890;PAZ;Luis\n"
			}
			rows := readRoster(t, newRoster(t, strings.NewReader(text)))
			if len(rows) != 2 || rows[1].err != nil || rows[1].person.DNI != "34567890" {
				t.Fatalf("got %d rows, want the long one rejected and the next read", len(rows))
			}
			re, ok := errors.AsType[*csvin.RowError](rows[0].err)
			de, isDomain := errors.AsType[*domain.Error](rows[0].err)
			if !ok || re.Line != 2 || re.Field != tc.field || !isDomain || de.Code != domain.CodeTooLong {
				t.Fatalf("got %v, want a too_long *RowError on line 2, field %s", rows[0].err, tc.field)
			}
			if msg := re.Error(); len(msg) > 300 || !strings.Contains(msg, "caracteres") {
				t.Errorf("message %q: want a short sentence naming the limit", msg)
			}
		})
	}
	t.Run("Catalog", func(t *testing.T) {
		r, err := csvin.NewCatalogReader(strings.NewReader("Código;Título;Tipo;Horas;Puntos\nA-1;" + strings.Repeat("t", domain.MaxTitle+1) + ";charla;2;2\n" +
			strings.Repeat("C", domain.MaxActivityCode+1) + ";Charla;charla;2;2\n"))
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []struct {
			line  int
			field string
		}{{2, "Título"}, {3, "Código"}} {
			_, line, err := r.NextActivity()
			re, ok := errors.AsType[*csvin.RowError](err)
			if !ok || line != want.line || re.Field != want.field || !strings.Contains(err.Error(), "caracteres") {
				t.Errorf("line %d: got %v, want too long in %s", line, err, want.field)
			}
		}
		if _, _, err := r.NextActivity(); err != io.EOF {
			t.Errorf("got %v, want EOF", err)
		}
	})
}

// TestNotTextAnywhere puts bytes that are or are not allowed at every
// offset around the 8-byte steps of the scan, against a plain reading.
func TestNotTextAnywhere(t *testing.T) {
	pieces := []string{"a", ";", "\n", "\t", "\r\n", "é", "¡", "Â", "ñ", "\x01", "\x7f", "\u0085", "\u009f"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 3000 {
		var b strings.Builder
		b.WriteString("DNI;Apellido;Nombre\n")
		bad := false
		for range rng.IntN(40) {
			p := pieces[rng.IntN(len(pieces))]
			bad = bad || p == "\x01" || p == "\x7f" || p == "\u0085" || p == "\u009f"
			b.WriteString(p)
		}
		_, err := csvin.NewRosterReader(strings.NewReader(b.String()))
		fe, isFormat := errors.AsType[*csvin.FormatError](err)
		if got := isFormat && fe.Format == "binary"; got != bad {
			t.Fatalf("%q: refused %v, want %v (%v)", b.String(), got, bad, err)
		}
	}
}
