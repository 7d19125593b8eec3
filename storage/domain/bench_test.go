package domain_test

import (
	"testing"

	"github.com/puntos-ar/puntos/storage/domain"
)

func BenchmarkClassifyInput(b *testing.B) {
	for _, bb := range []struct{ name, in string }{
		{"DNI", "12.345.678"},
		{"CUIL", "20-12345678-6"},
		{"Name", "García"},
		{"ScanCard", cardScan + "@206\r\n"},
		{"ScanOld", oldScan + "\r\n"},
	} {
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := domain.ClassifyInput(bb.in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkNewCode(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		domain.NewCode()
	}
}
