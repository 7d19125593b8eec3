// Command gen cleans the georef-ar CSV files and writes storage/geo/places.tsv.
//
// Run it through "go generate ./storage/geo/".
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"

	"github.com/puntos-ar/puntos/storage/geo/internal/georef"
)

func main() {
	src := flag.String("src", "../../../shared/data/georef", "directory holding the georef-ar CSV files")
	out := flag.String("out", "places.tsv", "file to write")
	flag.Parse()
	if err := run(*src, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(src, out string) error {
	var b bytes.Buffer
	if err := georef.Build(src, &b); err != nil {
		return fmt.Errorf("build %s: %w", out, err)
	}
	// Written only once complete, so a failed run leaves the old file in place.
	if err := os.WriteFile(out, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", out, err)
	}
	return nil
}
