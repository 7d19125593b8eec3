package regcli

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/puntos-ar/puntos/cmd/internal/cmdline"
	"github.com/puntos-ar/puntos/reports"
	"github.com/puntos-ar/puntos/storage/registry"
	"github.com/puntos-ar/puntos/sync/wire"
)

// Size of the map of --png, in pixels.
const impactPNGW, impactPNGH = 1000, 1600

func impact(e *env, st *registry.Store, args []string) error {
	fs := flag.NewFlagSet("impact", flag.ContinueOnError)
	year := fs.Int("year", 0, "")
	province := fs.String("province", "", "")
	asJSON := fs.Bool("json", false, "")
	pdfPath := fs.String("pdf", "", "")
	pngPath := fs.String("png", "", "")
	csvPath := fs.String("csv", "", "")
	pos, err := cmdline.Parse(fs, args)
	if err != nil {
		return err
	}
	if err := cmdline.NoArgs(pos); err != nil {
		return err
	}
	if *year == 0 {
		return cmdline.Usagef("falta --year AAAA, el año del informe (por ejemplo --year 2026)")
	}
	im, err := st.Impact(e.ctx, *year, *province, wire.StaffScope{})
	if err != nil {
		return err
	}
	for _, out := range []struct {
		path  string
		write func(io.Writer) error
	}{
		{*pdfPath, func(w io.Writer) error { return reports.ImpactPDF(w, im) }},
		{*pngPath, func(w io.Writer) error { return reports.ImpactMap(im).PNG(w, impactPNGW, impactPNGH) }},
		{*csvPath, func(w io.Writer) error { return reports.ImpactPlacesCSV(w, im, ';') }},
	} {
		if out.path == "" {
			continue
		}
		if err := writeOutput(out.path, out.write); err != nil {
			return err
		}
		if !*asJSON {
			fmt.Fprintf(e.stdout, "Escrito %s\n", out.path)
		}
	}
	if *asJSON {
		return cmdline.WriteJSON(e.stdout, im)
	}
	for _, line := range reports.ImpactLines(im) {
		fmt.Fprintln(e.stdout, line)
	}
	return nil
}

// writeOutput renders a file in memory and writes it only when whole, so
// a failure leaves no half file behind.
func writeOutput(path string, write func(io.Writer) error) error {
	var b bytes.Buffer
	if err := write(&b); err != nil {
		return err
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("no se pudo escribir %s: %w", path, err)
	}
	return nil
}
