package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/puntos-ar/puntos/cmd/internal/cmdline"
	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/storage/domain"
)

func init() {
	Register("verify", "TEXTO [--json]", "verifica sin conexión un certificado firmado (el texto de su código QR, o su código si se emitió en este equipo) con las claves de la última sincronización; sale con 0 solo si es auténtico", verify)
}

func verify(env *Env, st *storage.Store, args []string) error {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	pos, err := cmdline.Parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return cmdline.Usagef("se espera un texto: el contenido del código QR del certificado, o su código de verificación")
	}
	v, err := st.Verify(env.Ctx, pos[0])
	if err != nil {
		return err
	}
	if *asJSON {
		if err := json.NewEncoder(env.Stdout).Encode(v); err != nil {
			return err
		}
	} else {
		fmt.Fprintln(env.Stdout, v.Message)
		if c := v.Claims; c != nil {
			fmt.Fprintf(env.Stdout, "Código: %s\nDNI: %s\nActividad: %s\nFechas: %s\nPuntos: %d\nTipo: %s\n",
				c.Code, domain.FormatDNI(c.DNI), c.Activity, strings.Join(c.Dates, " al "), c.Points, c.Kind)
		}
	}
	if !v.OK() {
		return errors.New("el certificado no pasó la verificación (" + v.State + ")")
	}
	return nil
}
