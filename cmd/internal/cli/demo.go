package cli

import (
	"flag"
	"fmt"

	"github.com/puntos-ar/puntos/cmd/internal/cmdline"
	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/storage/demo"
)

func runDemo(env *Env, st *storage.Store, args []string) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	people := fs.Int("people", 2000, "")
	if _, err := cmdline.Parse(fs, args); err != nil {
		return err
	}
	if *people < 100 || *people > 2_000_000 {
		return cmdline.Usagef("--people debe estar entre 100 y 2000000")
	}
	if err := demo.Fill(env.Ctx, st, demo.Options{People: *people}); err != nil {
		return err
	}
	n, err := st.CountPeople(env.Ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Datos de demostración en %s: %d agentes en el padrón, catálogo y sesiones listos.\n", st.Dir(), n)
	return nil
}
