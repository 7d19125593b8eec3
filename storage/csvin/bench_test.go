package csvin_test

import (
	"bytes"
	"fmt"
	"io"
	"testing"

	"github.com/puntos-ar/puntos/storage/csvin"
	"github.com/puntos-ar/puntos/storage/domain"
	"golang.org/x/text/encoding/charmap"
)

// rosterFile returns a UTF-8 roster of n distinct people with Spanish headers,
// CUILs with valid check digits and the odd quoted cell, as a payroll system
// would export it.
func rosterFile(n int) []byte {
	var b bytes.Buffer
	b.WriteString("DNI;CUIL;Apellido;Nombres;Organismo;Correo;Provincia\r\n")
	surnames := []string{"PÉREZ", "GÓMEZ", "MUÑOZ", "ARGÜELLO", "DE LA FUENTE", "O'BRIEN", "FERNÁNDEZ"}
	given := []string{"Juan Carlos", "María José", "Ángela", "Ñusta", "Pedro", "Ana"}
	agencies := []string{"Ministerio de Salud", "\"Secretaría de Cultura; Dirección de Museos\"", "ANSES"}
	for i := range n {
		dni := 20_000_000 + i*7
		first10 := fmt.Sprintf("20%08d", dni)
		check, ok := domain.CUILCheckDigit(first10)
		cuil := ""
		if ok {
			cuil = fmt.Sprintf("20-%08d-%d", dni, check)
		}
		fmt.Fprintf(&b, "%d.%03d.%03d;%s;%s;%s;%s;agente%d@example.gob.ar;Córdoba\r\n",
			dni/1_000_000, dni/1000%1000, dni%1000, cuil,
			surnames[i%len(surnames)], given[i%len(given)], agencies[i%len(agencies)], i)
	}
	return b.Bytes()
}

func BenchmarkRosterReader(b *testing.B) {
	const rows = 500_000
	utf := rosterFile(rows)
	cp, err := charmap.Windows1252.NewEncoder().Bytes(utf)
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		data []byte
	}{{"UTF-8", utf}, {"Windows-1252", cp}} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.data)))
			for b.Loop() {
				r, err := csvin.NewRosterReader(bytes.NewReader(bc.data))
				if err != nil {
					b.Fatal(err)
				}
				n := 0
				for {
					_, _, err := r.NextPerson()
					if err == io.EOF {
						break
					}
					if err != nil {
						b.Fatal(err)
					}
					n++
				}
				if n != rows {
					b.Fatalf("got %d people, want %d", n, rows)
				}
			}
			b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
