package csvin_test

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/puntos-ar/puntos/storage/csvin"
	"github.com/puntos-ar/puntos/storage/domain"
)

type activityRow struct {
	line     int
	activity domain.Activity
	err      error
}

func readCatalog(t *testing.T, r *csvin.CatalogReader) []activityRow {
	t.Helper()
	var rows []activityRow
	for {
		a, line, err := r.NextActivity()
		if err == io.EOF {
			return rows
		}
		if err != nil {
			if _, ok := errors.AsType[*csvin.RowError](err); !ok {
				t.Fatalf("line %d: got %T %v, want *csvin.RowError", line, err, err)
			}
		}
		rows = append(rows, activityRow{line, a, err})
		if len(rows) > 1000 {
			t.Fatal("reader does not end")
		}
	}
}

func newCatalog(t *testing.T, in io.Reader) *csvin.CatalogReader {
	t.Helper()
	r, err := csvin.NewCatalogReader(in)
	if err != nil {
		t.Fatalf("NewCatalogReader: %v", err)
	}
	return r
}

func TestCatalogSpanish(t *testing.T) {
	r := newCatalog(t, open(t, "catalog_es.csv"))
	rows := readCatalog(t, r)
	v := domain.RuleVersion
	want := []activityRow{
		{line: 2, activity: domain.Activity{Code: "CH-001", Title: "Charla inspiradora: liderazgo público", Type: domain.Charla,
			Hours: 2, Points: 2, Sessions: 1, Threshold: 0.75, RuleVersion: v}},
		{line: 3, activity: domain.Activity{Code: "TA-010", Title: "Taller de redacción clara", Type: domain.Taller,
			Hours: 3.5, Points: 10, Sessions: 2, Threshold: 0.75, RuleVersion: v}},
		{line: 4, activity: domain.Activity{Code: "CU-100", Title: "Curso de gestión pública", Type: domain.Curso,
			Hours: 40, Points: 60, Sessions: 8, Threshold: 0.8, RuleVersion: "2026.1"}},
		{line: 5, activity: domain.Activity{Code: "IN-200", Title: "Intensivo en políticas de género", Type: domain.Intensivo,
			Hours: 120.5, Points: 100, Sessions: 12, Threshold: 0.665, RuleVersion: v}},
		{line: 6, activity: domain.Activity{Code: "VI-300", Title: "Introducción a la firma digital", Type: domain.Virtual,
			Hours: 1.5, Points: 3, Sessions: 1, Threshold: 0.75, RuleVersion: "2025.2"}},
	}
	if len(rows) != len(want) {
		t.Fatalf("got %d rows %+v, want %d", len(rows), rows, len(want))
	}
	for i, w := range want {
		if rows[i].err != nil || rows[i].line != w.line || rows[i].activity != w.activity {
			t.Errorf("row %d:\n got %d %+v %v\nwant %d %+v", i, rows[i].line, rows[i].activity, rows[i].err, w.line, w.activity)
		}
	}
}

func TestCatalogBadRows(t *testing.T) {
	r := newCatalog(t, open(t, "catalog_bad_rows.csv"))
	rows := readCatalog(t, r)
	wants := []struct {
		line  int
		field string
		code  string
		dupOf int
	}{
		{line: 2},
		{line: 3, field: "Type", code: domain.CodeActivityType},
		{line: 4, field: "Hours", code: domain.CodeActivityHours},
		{line: 5, field: "Points", code: domain.CodeActivityPoints},
		{line: 6, field: "Threshold", code: domain.CodeActivityThreshold},
		{line: 7, field: "Sessions", code: domain.CodeActivitySessions},
		{line: 8, field: "Code", code: domain.CodeRequired},
		{line: 9, field: "Title", code: domain.CodeRequired},
		{line: 11, field: "Code", dupOf: 2},
		{line: 12},
	}
	if len(rows) != len(wants) {
		t.Fatalf("got %d rows %+v, want %d", len(rows), rows, len(wants))
	}
	for i, w := range wants {
		got := rows[i]
		if got.line != w.line {
			t.Errorf("row %d: got line %d, want %d", i, got.line, w.line)
		}
		if w.field == "" {
			if got.err != nil {
				t.Errorf("line %d: got error %v, want none", got.line, got.err)
			}
			continue
		}
		re, ok := errors.AsType[*csvin.RowError](got.err)
		if !ok || re.Line != w.line || re.Field != w.field {
			t.Errorf("line %d: got %v, want a RowError on line %d, %s", got.line, got.err, w.line, w.field)
			continue
		}
		if w.dupOf != 0 {
			if d, ok := errors.AsType[*csvin.DuplicateError](got.err); !ok || d.FirstLine != w.dupOf {
				t.Errorf("line %d: got %v, want a duplicate of line %d", got.line, got.err, w.dupOf)
			}
			continue
		}
		if de, ok := errors.AsType[*domain.Error](got.err); !ok || de.Code != w.code {
			t.Errorf("line %d: got %v, want domain code %s", got.line, got.err, w.code)
		}
	}
	if got, want := r.Skipped(), 1; got != want {
		t.Errorf("Skipped() = %d, want %d", got, want)
	}
	if got, want := rows[9].activity.Type, domain.Taller; got != want {
		t.Errorf("WORKSHOP: got type %q, want %q", got, want)
	}
	for _, tc := range []struct {
		row  int
		want string
	}{
		{1, "línea 3, Type: Elegí el tipo de actividad: charla, taller, curso, intensivo o virtual."},
		{3, "línea 5, Points: Los puntos deben ser un número entero de 0 o más, por ejemplo 2 o 100."},
		{8, "línea 11, Code: Código repetido en la línea 2 con otros datos."},
	} {
		if got := rows[tc.row].err.Error(); !strings.HasPrefix(got, tc.want) {
			t.Errorf("got message %q, want it to start with %q", got, tc.want)
		}
	}
}

func TestCatalogCells(t *testing.T) {
	const head = "Código;Título;Tipo;Horas;Puntos;Sesiones;Umbral\n"
	for _, tc := range []struct {
		name  string
		row   string
		check func(domain.Activity) bool
	}{
		{"ThresholdPercent", "A;T;curso;2;2;4;75%", func(a domain.Activity) bool { return a.Threshold == 0.75 }},
		{"ThresholdNumber", "A;T;curso;2;2;4;75", func(a domain.Activity) bool { return a.Threshold == 0.75 }},
		{"ThresholdCommaShare", "A;T;curso;2;2;4;0,75", func(a domain.Activity) bool { return a.Threshold == 0.75 }},
		{"ThresholdPointShare", "A;T;curso;2;2;4;0.6", func(a domain.Activity) bool { return a.Threshold == 0.6 }},
		{"ThresholdAll", "A;T;curso;2;2;4;100 %", func(a domain.Activity) bool { return a.Threshold == 1 }},
		{"HoursComma", "A;T;curso;1,5;2;;", func(a domain.Activity) bool { return a.Hours == 1.5 }},
		{"HoursUnit", "A;T;curso;3 horas;2;;", func(a domain.Activity) bool { return a.Hours == 3 }},
		{"HoursThousands", "A;T;curso;1.200,5;2;;", func(a domain.Activity) bool { return a.Hours == 1200.5 }},
		{"PointsDecimalZero", "A;T;curso;2;100,0;;", func(a domain.Activity) bool { return a.Points == 100 }},
		{"ZeroPoints", "A;T;charla;2;0;;", func(a domain.Activity) bool { return a.Points == 0 }},
		{"TypeAccents", "A;T;  CHÁRLA ;2;2;;", func(a domain.Activity) bool { return a.Type == domain.Charla }},
		{"TypeEnglish", "A;T;Intensive;2;2;;", func(a domain.Activity) bool { return a.Type == domain.Intensivo }},
		{"TypeCourse", "A;T;course;2;2;;", func(a domain.Activity) bool { return a.Type == domain.Curso }},
		{"TypeVirtual", "A;T;VIRTUAL;2;2;;", func(a domain.Activity) bool { return a.Type == domain.Virtual }},
		{"SessionsDefault", "A;T;taller;2;2;;", func(a domain.Activity) bool { return a.Sessions == 1 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows := readCatalog(t, newCatalog(t, strings.NewReader(head+tc.row+"\n")))
			if len(rows) != 1 || rows[0].err != nil || !tc.check(rows[0].activity) {
				t.Errorf("got %+v", rows)
			}
		})
	}
	for _, tc := range []struct{ name, row, field string }{
		{"HoursZero", "A;T;curso;0;2;;", "Horas"},
		{"HoursNegative", "A;T;curso;-1;2;;", "Horas"},
		{"HoursEmpty", "A;T;curso;;2;;", "Horas"},
		{"PointsNegative", "A;T;curso;2;-5;;", "Puntos"},
		{"PointsEmpty", "A;T;curso;2;;;", "Puntos"},
		{"ThresholdZero", "A;T;curso;2;2;;0%", "Umbral"},
		{"ThresholdWords", "A;T;curso;2;2;;mucho", "Umbral"},
		{"SessionsFraction", "A;T;curso;2;2;1,5;", "Sesiones"},
		{"TypeEmpty", "A;T;;2;2;;", "Tipo"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows := readCatalog(t, newCatalog(t, strings.NewReader(head+tc.row+"\n")))
			re, ok := errors.AsType[*csvin.RowError](rows[0].err)
			if len(rows) != 1 || !ok || re.Field != tc.field || re.Line != 2 {
				t.Errorf("got %+v, want a RowError on line 2, %s", rows, tc.field)
			}
		})
	}
	t.Run("MissingColumns", func(t *testing.T) {
		_, err := csvin.NewCatalogReader(strings.NewReader("Código,Actividad,Horas\nA,T,2\n"))
		want := `línea 1: faltan las columnas Tipo, Puntos. Columnas encontradas: "Código", "Actividad", "Horas".`
		if err == nil || err.Error() != want {
			t.Errorf("got %v\nwant %s", err, want)
		}
	})
	t.Run("TitleRowAndMissingColumn", func(t *testing.T) {
		_, err := csvin.NewCatalogReader(strings.NewReader("Catálogo 2026\nCódigo;Título;Tipo;Horas\nA;B;charla;2\n"))
		want := `línea 2: falta la columna Puntos. Columnas encontradas: "Código", "Título", "Tipo", "Horas".`
		if err == nil || err.Error() != want {
			t.Errorf("got %v\nwant %s", err, want)
		}
	})
	t.Run("EnglishHeaders", func(t *testing.T) {
		rows := readCatalog(t, newCatalog(t, strings.NewReader(
			"code\ttitle\ttype\thours\tpoints\tsessions\tthreshold\trule version\nX1\tIntro\tworkshop\t2.5\t5\t3\t0.5\t2027.1\n")))
		want := domain.Activity{Code: "X1", Title: "Intro", Type: domain.Taller, Hours: 2.5, Points: 5, Sessions: 3, Threshold: 0.5, RuleVersion: "2027.1"}
		if len(rows) != 1 || rows[0].activity != want {
			t.Errorf("got %+v, want %+v", rows, want)
		}
	})
}
