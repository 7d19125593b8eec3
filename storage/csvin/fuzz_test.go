package csvin_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/puntos-ar/puntos/storage/csvin"
	"github.com/puntos-ar/puntos/storage/domain"
)

// addSeeds adds the sample files and a few tricky inputs to the corpus.
func addSeeds(f *testing.F, extra ...string) {
	files, _ := filepath.Glob(filepath.Join(csvDir, "*"))
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	for _, s := range extra {
		f.Add([]byte(s))
	}
}

// maxLines bounds the physical lines of data: every line break the decoded
// text can hold comes from a CR or LF byte of the input.
func maxLines(data []byte) int {
	return bytes.Count(data, []byte{'\n'}) + bytes.Count(data, []byte{'\r'}) + 1
}

// checkOpenErr accepts only the errors the constructors document.
func checkOpenErr(t *testing.T, err error) {
	t.Helper()
	if _, ok := errors.AsType[*csvin.HeaderError](err); ok {
		return
	}
	if _, ok := errors.AsType[*csvin.FormatError](err); ok {
		return
	}
	if !errors.Is(err, csvin.ErrEmpty) && !errors.Is(err, csvin.ErrTooLarge) && !errors.Is(err, csvin.ErrUnzippedTooLarge) {
		t.Fatalf("constructor: unexpected error %v", err)
	}
}

// damaged reports whether err ends reading a workbook found damaged midway.
func damaged(err error) bool {
	fe, ok := errors.AsType[*csvin.FormatError](err)
	return ok && fe.Format == "xlsx"
}

// checkRow checks a row's line and error shape; prev is the previous row's line.
func checkRow(t *testing.T, line, prev, limit int, err error) {
	t.Helper()
	if line <= prev || line < 2 || line > limit {
		t.Fatalf("line %d after %d, want in (%d, %d]", line, prev, prev, limit)
	}
	if err != nil {
		re, ok := errors.AsType[*csvin.RowError](err)
		if !ok || re.Line != line || re.Err == nil {
			t.Fatalf("line %d: got %T %v, want a *RowError on that line", line, err, err)
		}
	}
}

func FuzzRosterReader(f *testing.F) {
	addSeeds(f,
		"DNI;Apellido;Nombre\n12345678;PEREZ;Juan\n",
		"CUIL,Apellido y Nombre\n20-12345678-6,\"PEREZ,\n Juan\"\n\"",
		"sep=\t\r\nDNI\tName\r12345678\tA B\r\r",
		"\xff\xfeD\x00N\x00I\x00;\x00N\x00o\x00m\x00b\x00r\x00e\x00 \x00c\x00o\x00m\x00p\x00l\x00e\x00t\x00o\x00\n\x00",
		"DNI;Nombre y Apellido\n'1,2E+07;x\n=\"12345678\";Juan del Valle\n",
	)
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := csvin.NewRosterReader(bytes.NewReader(data))
		if err != nil {
			checkOpenErr(t, err)
			return
		}
		limit := maxLines(data)
		prev := 0
		for range limit + 1 {
			p, line, err := r.NextPerson()
			if done, total := r.Progress(); done > total || done < 0 {
				t.Fatalf("Progress() = %d, %d", done, total)
			}
			if damaged(err) {
				return
			}
			if err == io.EOF {
				if done, total := r.Progress(); done != total {
					t.Fatalf("at EOF Progress() = %d, %d", done, total)
				}
				return
			}
			checkRow(t, line, prev, limit, err)
			prev = line
			if err != nil {
				continue
			}
			q := p
			if err := domain.ValidatePerson(&q); err != nil || q != p || p.DNI == "" {
				t.Fatalf("line %d: person %+v not valid or not normalised: %v", line, p, err)
			}
		}
		t.Fatalf("more than %d rows from %d lines", limit, limit)
	})
}

func FuzzCatalogReader(f *testing.F) {
	addSeeds(f,
		"Código;Título;Tipo;Horas;Puntos\nA;B;charla;1,5;2\n",
		"Code,Title,Type,Hours,Points,Sessions,Threshold\nA,B,talk,1.5,2,3,75%\nA,B,talk,1.5,2,3,0.75\n",
		"Code\tTitle\tType\tHours\tPoints\n\"A\r\n\"\tB\tcurso\t1e3\t-0\n",
	)
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := csvin.NewCatalogReader(bytes.NewReader(data))
		if err != nil {
			checkOpenErr(t, err)
			return
		}
		limit := maxLines(data)
		prev := 0
		for range limit + 1 {
			a, line, err := r.NextActivity()
			if err == io.EOF || damaged(err) {
				return
			}
			checkRow(t, line, prev, limit, err)
			prev = line
			if err != nil {
				continue
			}
			b := a
			if err := domain.ValidateActivity(&b); err != nil || b != a || a.Title == "" {
				t.Fatalf("line %d: activity %+v not valid or not normalised: %v", line, a, err)
			}
		}
		t.Fatalf("more than %d rows from %d lines", limit, limit)
	})
}
