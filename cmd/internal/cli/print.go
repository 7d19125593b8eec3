package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/puntos-ar/puntos/cmd/internal/cmdline"
	"github.com/puntos-ar/puntos/reports"
	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/storage/csvin"
	"github.com/puntos-ar/puntos/storage/csvin/xlsx"
	"github.com/puntos-ar/puntos/storage/domain"
)

func printCommands() []command {
	return []command{
		{"certificates", "SESIÓN --out CARPETA", "emite los certificados de una sesión cerrada: un PDF con todos y uno por persona", printCertificates},
		{"sheet", "SESIÓN --out ARCHIVO.pdf [--expected INSCRIPTOS.csv|.xlsx [--sheet HOJA]] [--blank N]", "imprime la planilla de asistencia (antes: esperados y filas en blanco; después: con estados)", printSheet},
		{"statement", "DNI --year AAAA --out ARCHIVO.pdf", "constancia provisoria de puntos de una persona en un año", printStatement},
		{"export", "SESIÓN --out ARCHIVO.csv [--sep ;|,|tab]", "exporta la asistencia de una sesión para Excel", exportCSV},
		{"office set", "[--name N] [--subtitle S] [--verify-url URL] [--logo IMG|--no-logo] [--signatory \"Nombre|Cargo[|firma.png]\"]...", "configura la oficina que emite los certificados", officeSet},
		{"office show", "[--json]", "muestra la configuración de la oficina", officeShow},
	}
}

// needOut fails unless --out names what.
func needOut(out, what string) error {
	if strings.TrimSpace(out) == "" {
		return cmdline.Usagef("falta --out con %s", what)
	}
	return nil
}

// parseSessionOut adds --out to fs, parses args and returns the only
// positional argument, a session ID, and --out, which must name outWhat.
func parseSessionOut(fs *flag.FlagSet, args []string, outWhat string) (id, out string, err error) {
	fs.StringVar(&out, "out", "", "")
	if id, err = parseOne(fs, args, "el ID de la sesión"); err != nil {
		return "", "", err
	}
	if err := needOut(out, outWhat); err != nil {
		return "", "", err
	}
	return id, out, nil
}

func printCertificates(env *Env, st *storage.Store, args []string) error {
	fs := flag.NewFlagSet("certificates", flag.ContinueOnError)
	id, out, err := parseSessionOut(fs, args, "la carpeta donde guardar los PDF")
	if err != nil {
		return err
	}
	progress, done := cmdline.ProgressLine(env.Stderr, "Generando certificados")
	run, err := reports.PrintCertificates(env.Ctx, st, id, out, func(d, t int) {
		if progress != nil {
			progress(int64(d), int64(t))
		}
	})
	done()
	if err != nil {
		return err
	}
	n := len(run.Issue.Certificates)
	fmt.Fprintf(env.Stdout, "%s (%s, %s).\n", cmdline.Count(n, "certificado", "certificados"),
		cmdline.Count(run.Issue.New, "nuevo", "nuevos"), cmdline.Count(n-run.Issue.New, "reimpreso", "reimpresos"))
	for _, p := range run.SessionPDFs {
		fmt.Fprintf(env.Stdout, "Para imprimir: %s\n", p)
	}
	if len(run.Files) > 0 {
		fmt.Fprintf(env.Stdout, "Uno por persona: %s en %s\n", cmdline.Count(len(run.Files), "archivo", "archivos"), out)
	}
	for _, n := range run.Issue.NotEligible {
		fmt.Fprintf(env.Stdout, "Sin certificado: %s (%s): %s\n", n.Attendee.Person.FullName(), domain.FormatDNI(n.Attendee.DNI), n.Message)
	}
	return nil
}

func printSheet(env *Env, st *storage.Store, args []string) error {
	fs := flag.NewFlagSet("sheet", flag.ContinueOnError)
	expectedPath := fs.String("expected", "", "")
	sheet := fs.String("sheet", "", "")
	blank := fs.Int("blank", 10, "")
	id, out, err := parseSessionOut(fs, args, "el archivo PDF")
	if err != nil {
		return err
	}
	if *blank < 0 || *blank > 500 {
		return cmdline.Usagef("--blank debe estar entre 0 y 500")
	}
	if *sheet != "" && *expectedPath == "" {
		return cmdline.Usagef("--sheet elige la hoja de la planilla de --expected: indicá también --expected")
	}
	var expected []domain.Person
	if *expectedPath != "" {
		if expected, err = readExpected(*expectedPath, *sheet); err != nil {
			return err
		}
	}
	if err := reports.PrintSheet(env.Ctx, st, id, expected, *blank, out); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Planilla: %s\n", out)
	return nil
}

// readExpected reads the people expected at a session from a roster-like
// CSV or workbook (its sheet named sheet, else the first); any rejected
// row fails the command so nobody is silently left off.
func readExpected(path, sheet string) ([]domain.Person, error) {
	f, err := cmdline.OpenFile(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rd, err := csvin.NewRosterReader(f, csvin.Sheet(sheet), csvin.Workbooks(xlsx.Reader{}))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var people []domain.Person
	for {
		p, _, err := rd.NextPerson()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return people, nil
			}
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		people = append(people, p)
	}
}

func printStatement(env *Env, st *storage.Store, args []string) error {
	fs := flag.NewFlagSet("statement", flag.ContinueOnError)
	out := fs.String("out", "", "")
	year := fs.Int("year", time.Now().Year(), "")
	raw, err := parseOne(fs, args, "el DNI")
	if err != nil {
		return err
	}
	dni, err := domain.NormalizeDNI(raw)
	if err != nil {
		return err
	}
	if err := needOut(*out, "el archivo PDF"); err != nil {
		return err
	}
	if *year < 2000 || *year > 2100 {
		return cmdline.Usagef("--year %d no es un año válido", *year)
	}
	if err := reports.PrintStatement(env.Ctx, st, dni, *year, *out); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Constancia provisoria: %s\n", *out)
	return nil
}

func exportCSV(env *Env, st *storage.Store, args []string) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	sep := fs.String("sep", ";", "")
	id, out, err := parseSessionOut(fs, args, "el archivo CSV")
	if err != nil {
		return err
	}
	var r rune
	switch *sep {
	case ";":
		r = ';'
	case ",":
		r = ','
	case "tab", "\t":
		r = '\t'
	default:
		return cmdline.Usagef("--sep debe ser ; , o tab")
	}
	if err := reports.ExportAttendance(env.Ctx, st, id, r, out); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Exportado: %s\n", out)
	return nil
}

// repeated collects a flag given several times.
type repeated []string

func (r *repeated) String() string     { return strings.Join(*r, ", ") }
func (r *repeated) Set(v string) error { *r = append(*r, v); return nil }

func readImage(path, what string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: no se puede leer %s: revisá la ruta", what, path)
	}
	if err := reports.ValidateImage(b); err != nil {
		return nil, fmt.Errorf("%s (%s): %w", what, filepath.Base(path), err)
	}
	return b, nil
}

func officeSet(env *Env, st *storage.Store, args []string) error {
	fs := flag.NewFlagSet("office set", flag.ContinueOnError)
	name := fs.String("name", "", "")
	subtitle := fs.String("subtitle", "", "")
	url := fs.String("verify-url", "", "")
	logo := fs.String("logo", "", "")
	noLogo := fs.Bool("no-logo", false, "")
	var sigs repeated
	fs.Var(&sigs, "signatory", "")
	pos, err := cmdline.Parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return cmdline.Usagef("argumento de más %q", pos[0])
	}
	o, err := st.Office(env.Ctx)
	if err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if len(set) == 0 {
		return cmdline.Usagef("indicá qué cambiar: --name, --subtitle, --verify-url, --logo o --signatory")
	}
	if set["name"] {
		o.Name = *name
	}
	if set["subtitle"] {
		o.Subtitle = *subtitle
	}
	if set["verify-url"] {
		o.VerifyBaseURL = *url
	}
	switch {
	case *noLogo:
		o.Logo = nil
	case set["logo"]:
		if o.Logo, err = readImage(*logo, "logo"); err != nil {
			return err
		}
	}
	if len(sigs) > 0 {
		if len(sigs) > reports.MaxSignatories {
			return cmdline.Usagef("un certificado lleva como máximo %d firmas", reports.MaxSignatories)
		}
		o.Signatories = nil
		for i, s := range sigs {
			parts := strings.Split(s, "|")
			if len(parts) < 2 || len(parts) > 3 || strings.TrimSpace(parts[0]) == "" {
				return cmdline.Usagef("--signatory %q: escribilo como \"Nombre|Cargo\" o \"Nombre|Cargo|firma.png\"", s)
			}
			sg := storage.Signatory{Name: parts[0], Role: parts[1]}
			if len(parts) == 3 {
				if sg.Image, err = readImage(parts[2], "firma "+strconv.Itoa(i+1)); err != nil {
					return err
				}
			}
			o.Signatories = append(o.Signatories, sg)
		}
	}
	if err := st.SetOffice(env.Ctx, o); err != nil {
		return err
	}
	return officeShow(env, st, nil)
}

func officeShow(env *Env, st *storage.Store, args []string) error {
	return cmdline.Show(env.Stdout, args, func() (storage.Office, error) { return st.Office(env.Ctx) }, printOffice)
}

func printOffice(w io.Writer, o storage.Office) {
	fmt.Fprintf(w, "Oficina: %s\n", o.Name)
	if o.Subtitle != "" {
		fmt.Fprintf(w, "Área: %s\n", o.Subtitle)
	}
	if o.VerifyBaseURL == "" {
		fmt.Fprintln(w, "Verificación: sin dirección pública, no se emiten certificados (configurala con --verify-url https://…)")
	} else {
		fmt.Fprintf(w, "Verificación: %s/verify/…\n", o.VerifyBaseURL)
	}
	fmt.Fprintf(w, "Logo: %s\n", yesNo(len(o.Logo) > 0))
	for _, s := range o.Signatories {
		fmt.Fprintf(w, "Firma: %s — %s (imagen: %s)\n", s.Name, s.Role, yesNo(len(s.Image) > 0))
	}
}

func yesNo(b bool) string {
	if b {
		return "sí"
	}
	return "no"
}
