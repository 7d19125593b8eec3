package csvin_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

var update = flag.Bool("update", false, "rewrite the sample files in testdata/csv")

// csvDir holds the sample files, at the repository root.
var csvDir = filepath.Join("..", "..", "testdata", "csv")

// sample is one file of testdata/csv as an office would send it.
type sample struct {
	name string
	text string // lines joined by "\n"
	crlf bool
	bom  bool
	cp   bool // Windows-1252 instead of UTF-8
}

// bytes encodes the sample as it is stored on disk.
func (s sample) bytes(t *testing.T) []byte {
	t.Helper()
	text := s.text
	if s.crlf {
		text = strings.ReplaceAll(text, "\n", "\r\n")
	}
	var b []byte
	if s.cp {
		var err error
		if b, err = charmap.Windows1252.NewEncoder().Bytes([]byte(text)); err != nil {
			t.Fatalf("encode %s: %v", s.name, err)
		}
	} else {
		b = []byte(text)
	}
	if s.bom {
		b = append([]byte{0xEF, 0xBB, 0xBF}, b...)
	}
	return b
}

var samples = []sample{
	{
		// Excel on Windows, "CSV UTF-8": BOM, semicolons, CRLF.
		name: "roster_es_utf8bom.csv", crlf: true, bom: true,
		text: `Nro Documento;CUIL;Apellido;Nombres;Organismo;Correo;Provincia;Observaciones
12.345.678;20-12345678-6;PÉREZ;Juan Carlos;Ministerio de Salud;JPerez@Salud.gob.ar;Córdoba;
 23456789 ;;MUÑOZ;María Ángela;"Secretaría de Cultura; Dirección de Museos";;Jujuy;traslado

;;;;;;;
7654321.0;;ARGÜELLO;Güemes  Martín;ANSES;;Salta;
12345678;20-12345678-6;PÉREZ;Juan Carlos;Ministerio de Salud;jperez@salud.gob.ar;Córdoba;repetido
`,
	},
	{
		// Excel on Spanish Windows, "CSV (delimitado por comas)": Windows-1252, no BOM.
		name: "roster_win1252.csv", crlf: true, cp: true,
		text: `DNI;Apellido y Nombre;Repartición;E-mail;Provincia
30111222;MUÑOZ, Ángela Inés;Dirección de Tránsito;;Tucumán
28.999.000;ARGÜELLO PEÑA Juan José;Secretaría de Niñez;jj@example.com;Neuquén
"20.500.600";NÚÑEZ DE LA FUENTE, Martín;Municipalidad de Añatuya;;Santiago del Estero
`,
	},
	{
		// Another system's export: English headers, commas, LF, quotes, a line break in a cell.
		name: "roster_en_comma.csv",
		text: `Last name,First name,Document,CUIL/CUIT,Agency,Email,Province
"O'BRIEN","Patricio ""Pato""",22333444,20-22333444-0,"Ministry of Health, Nursing",pato@example.org,Buenos Aires
"GARCÍA
LÓPEZ",Ana,"25,111,222",,"Agency with ""quotes""",,Mendoza
Smith,John,26111333,,,,
`,
	},
	{
		// Tab-separated, one name column, no trailing newline.
		name: "roster_tab.tsv",
		text: "Apellido y Nombre\tDNI\tProvincia\tOrganismo\n" +
			"PEREZ Juan\t31000111\tMisiones\tIPS\n" +
			"GOMEZ GARCIA Ana María\t31000112\tMisiones\tIPS\n" +
			"de la Fuente, José\t31000113\t\t\n" +
			"\n" +
			"FERNANDEZ LUIS ALBERTO\t31000114\tCorrientes\t",
	},
	{
		// One row of each kind of mistake, and a row split over two lines.
		name: "roster_bad_rows.csv", crlf: true,
		text: `DNI;CUIL;Apellido;Nombre;Correo
12345678;20-12345678-6;PEREZ;Juan;
23456789;20-23456789-0;GOMEZ;Ana;
;;SOSA;Luis;
34567890;;;Marta;
34567891;;RIOS;;
1,23457E+07;;LUNA;Pedro;
12345678;;PEREZ;Juan Pablo;
45678901;;"VEGA
DIAZ";Rosa;rosa@
1234;;ROJAS;Eva;
45678902;20-45678903-0;CASTRO;Eduardo;
12345678;20-12345678-6;PEREZ;Juan;
56789012;;MORALES;Iván;
`,
	},
	{
		name: "roster_missing_name.csv", crlf: true,
		text: `DNI;Correo;Provincia
12345678;a@b.ar;Salta
`,
	},
	{
		// Excel on Windows, Spanish catalog: comma decimals, percentages, optional cells empty.
		name: "catalog_es.csv", crlf: true, bom: true,
		text: `Código;Título de la actividad;Tipo;Horas;Puntos;Encuentros;Asistencia mínima;Versión de regla
CH-001;Charla inspiradora: liderazgo público;Charla;2;2;;;
TA-010;Taller de redacción clara;TALLER;3,5;10;2;75%;
CU-100;Curso de gestión pública;curso;40;60;8;0,8;2026.1
IN-200;Intensivo en políticas de género;Intensivo;120,5;100;12;"66,5 %";
VI-300;Introducción a la firma digital;virtual;1,5 hs;3;1;0.75;2025.2
`,
	},
	{
		name: "catalog_bad_rows.csv",
		text: `Code,Title,Type,Hours,Points,Sessions,Threshold
C1,Talk one,talk,1.5,2,,
C2,Bad type,seminar,2,2,,
C3,Bad hours,course,abc,2,,
C4,Bad points,course,2,"2,5",,
C5,Bad threshold,course,2,2,4,150%
C6,Bad sessions,course,2,2,0,
,No code,talk,1,1,,
C7,,talk,1,1,,
C1,Talk one,Talk,1.5,2,1,75%
C1,Talk one renamed,talk,1.5,2,,
C8,Workshop,WORKSHOP,4,8,2,0.5
`,
	},
}

// TestSamples keeps testdata/csv equal to the samples above; run with
// -update to rewrite the files.
func TestSamples(t *testing.T) {
	for _, s := range samples {
		t.Run(s.name, func(t *testing.T) {
			want := s.bytes(t)
			path := filepath.Join(csvDir, s.name)
			if *update {
				if err := os.MkdirAll(csvDir, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, want, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -run TestSamples -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from the sample in testdata_test.go; run go test -run TestSamples -update", path)
			}
		})
	}
}

// open returns a sample file from testdata/csv.
func open(t *testing.T, name string) *os.File {
	t.Helper()
	f, err := os.Open(filepath.Join(csvDir, name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}
