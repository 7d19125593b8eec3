// Package demo makes realistic demonstration and benchmark data: a
// catalog, a roster of public servants with valid CUILs, and sessions.
package demo

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/storage/domain"
)

var surnames = strings.Fields(`González Rodríguez Gómez Fernández López Díaz Martínez Pérez García Sánchez
Romero Sosa Álvarez Torres Ruiz Ramírez Flores Acosta Benítez Medina Suárez Herrera Aguirre Pereyra
Gutiérrez Giménez Molina Silva Castro Rojas Ortiz Núñez Luna Juárez Cabrera Ríos Ferreyra Godoy Morales
Domínguez Moreno Peralta Vega Carrizo Quiroga Castillo Ledesma Muñoz Ojeda Ponce Vera Vázquez Villalba
Cardozo Navarro Ramos Arias Coronel Córdoba Figueroa Correa Cáceres Vargas Maldonado Mansilla Farías
Rivero Paz Miranda Roldán Méndez Lucero Cruz Hernández Agüero Páez Blanco Mendoza Barrios Escobar Ávila
Soria Leiva Acuña Maidana Moyano Campos Olivera Duarte Soto Bustos Chávez Peña D'Alessandro Güemes
Ñancucheo Catriel Curaqueo Mamaní Quispe Colque O'Connor Iturbide Echeverría Zubiría`)

var femaleNames = strings.Fields(`María Ana Laura Silvia Graciela Patricia Claudia Mónica Marcela Alejandra
Verónica Gabriela Lucía Florencia Valeria Romina Agustina Natalia Noemí Begoña Zoe Sofía Milagros Rocío
Belén Inés Carolina Camila Victoria Soledad`)

var maleNames = strings.Fields(`Juan José Carlos Jorge Luis Miguel Sergio Daniel Ricardo Roberto Diego Pablo
Martín Sebastián Matías Nicolás Facundo Gustavo Hernán Ramón Ángel Iñaki Joaquín Ezequiel Néstor Héctor
Raúl Tomás Andrés Julián Fabián`)

var agencies = []string{
	"Ministerio de Salud", "Ministerio de Educación", "ANSES", "Ministerio de Desarrollo Social",
	"Ministerio de Economía", "Jefatura de Gabinete", "Instituto Nacional de Tecnología Agropecuaria",
	"Administración de Parques Nacionales", "Ministerio de Trabajo", "Secretaría de Cultura",
	"Dirección Nacional de Vialidad", "Registro Nacional de las Personas", "Municipalidad",
}

var provinces = []string{
	"Buenos Aires", "Córdoba", "Santa Fe", "Mendoza", "Tucumán", "Entre Ríos", "Salta", "Misiones",
	"Chaco", "Corrientes", "Santiago del Estero", "San Juan", "Jujuy", "Río Negro", "Neuquén", "Formosa",
	"Chubut", "San Luis", "Catamarca", "La Rioja", "La Pampa", "Santa Cruz", "Ciudad Autónoma de Buenos Aires",
	"Tierra del Fuego, Antártida e Islas del Atlántico Sur",
}

// RosterHeader is the header line Roster writes.
const RosterHeader = "DNI;CUIL;Apellido;Nombres;Organismo;Correo;Provincia"

// Person returns the i-th demo person of a roster made with seed: the same
// (i, seed) always gives the same person, and DNIs are unique per seed.
func Person(i int, seed uint64) domain.Person {
	r := rand.New(rand.NewPCG(seed, uint64(i)))
	dni := fmt.Sprint(10_000_000 + (i*7919+int(seed%1000)*104729)%35_000_000)
	sur := surnames[r.IntN(len(surnames))]
	if r.IntN(8) == 0 {
		sur += " " + surnames[r.IntN(len(surnames))]
	}
	names, prefix := maleNames, "20"
	if r.IntN(2) == 0 {
		names, prefix = femaleNames, "27"
	}
	given := names[r.IntN(len(names))]
	if second := names[r.IntN(len(names))]; r.IntN(2) == 0 && second != given {
		given += " " + second
	}
	p := domain.Person{
		DNI: dni, Surname: strings.ToUpper(sur), GivenNames: given,
		Agency: agencies[r.IntN(len(agencies))], Province: provinces[r.IntN(len(provinces))],
	}
	p.Email = strings.ToLower(domain.Fold(strings.Fields(given)[0])+"."+strings.ReplaceAll(domain.Fold(sur), " ", "")) + "@example.gob.ar"
	if len(dni) == 8 {
		if d, ok := domain.CUILCheckDigit(prefix + dni); ok {
			p.CUIL = fmt.Sprintf("%s%s%d", prefix, dni, d)
		}
	}
	return p
}

// Roster writes n demo people as a roster CSV (UTF-8, ';').
func Roster(w io.Writer, n int, seed uint64) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	fmt.Fprintln(bw, RosterHeader)
	for i := range n {
		p := Person(i, seed)
		fmt.Fprintf(bw, "%s;%s;%s;%s;%s;%s;%s\n", p.DNI, p.CUIL, p.Surname, p.GivenNames, p.Agency, p.Email, p.Province)
	}
	return bw.Flush()
}

// Catalog is the demo activity catalog as CSV.
const Catalog = `Código;Título;Tipo;Horas;Puntos;Sesiones;Umbral
CH-INSP-01;Charla inspiradora: liderazgo en el Estado;charla;2;2;1;75%
CH-ETICA-02;Ética pública y transparencia;charla;2;2;1;75%
TA-LENG-01;Taller de lenguaje claro;taller;4;6;1;75%
TA-EXCEL-02;Taller de planillas de cálculo;taller;6;8;1;75%
TA-ATEN-03;Atención a la ciudadanía con perspectiva de derechos;taller;4;6;1;75%
CU-GDE-01;Curso de expediente electrónico (GDE);curso;12;20;4;75%
CU-COMPRAS-02;Compras y contrataciones públicas;curso;16;30;4;75%
CU-GENERO-03;Ley Micaela: formación en género;curso;8;15;2;100%
IN-GEST-01;Intensivo en gestión de proyectos públicos;intensivo;40;100;5;80%
IN-DATOS-02;Intensivo en análisis de datos para políticas públicas;intensivo;40;100;5;80%
VI-CIBER-01;Seguridad de la información (virtual);virtual;3;4;1;75%
VI-ACCES-02;Accesibilidad digital (virtual);virtual;3;4;1;75%
`

// Options size the demo.
type Options struct {
	People int    // roster size; 2,000 when zero
	Seed   uint64 // 1 when zero
}

// Fill puts a demo catalog, roster and sessions into the store: two closed
// sessions from last week with attendances, and one open session today.
// It writes the CSVs it imported into dir/demo so a person can look at
// them, marks the folder as a demo's (storage.Store.MarkDemo) and, when the
// office has no signatory, sets a demo office. Filling a store that
// already has sessions changes nothing.
func Fill(ctx context.Context, st *storage.Store, opt Options) error {
	if opt.People == 0 {
		opt.People = 2000
	}
	if opt.Seed == 0 {
		opt.Seed = 1
	}
	existing, err := st.Sessions(ctx, storage.AllSessions)
	if err != nil {
		return err
	}
	if len(existing) > 0 {
		return nil
	}
	// The mark goes first: the demo's certificates print "EJEMPLO — SIN
	// VALIDEZ" and its loopback registry.
	if err := st.MarkDemo(ctx); err != nil {
		return err
	}
	if o, err := st.Office(ctx); err != nil {
		return err
	} else if len(o.Signatories) == 0 {
		o.Name = "Oficina regional de capacitación (demostración)"
		o.Signatories = []storage.Signatory{{Name: "Lic. Carla Benítez", Role: "Coordinadora de capacitación"}}
		if err := st.SetOffice(ctx, o); err != nil {
			return fmt.Errorf("demo office: %w", err)
		}
	}
	dir := filepath.Join(st.Dir(), "demo")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	catPath, rosterPath := filepath.Join(dir, "catalogo.csv"), filepath.Join(dir, "padron.csv")
	if err := os.WriteFile(catPath, []byte(Catalog), 0o600); err != nil {
		return err
	}
	f, err := os.Create(rosterPath)
	if err != nil {
		return err
	}
	if err := Roster(f, opt.People, opt.Seed); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if _, err := st.ImportCatalog(ctx, strings.NewReader(Catalog), nil); err != nil {
		return fmt.Errorf("demo catalog: %w", err)
	}
	rf, err := os.Open(rosterPath)
	if err != nil {
		return err
	}
	defer rf.Close()
	if _, err := st.ImportRoster(ctx, rf, nil); err != nil {
		return fmt.Errorf("demo roster: %w", err)
	}
	now := st.Now
	today := now()
	day := func(d int) string { return today.AddDate(0, 0, d).Format("2006-01-02") }
	plan := []struct {
		s      domain.Session
		people int
		close  bool
	}{
		{domain.Session{ActivityCode: "TA-LENG-01", Date: day(-6), Start: "09:00", End: "13:00", Province: "Buenos Aires",
			Municipality: "Tandil", Venue: "Centro Cultural Municipal", Instructor: "Lic. Carla Benítez"}, 24, true},
		{domain.Session{ActivityCode: "CH-INSP-01", Date: day(-2), Start: "10:00", End: "12:00", Province: "Córdoba",
			Municipality: "Villa María", Venue: "Salón del Concejo Deliberante", Instructor: "Lic. Carla Benítez"}, 37, true},
		{domain.Session{ActivityCode: "CU-GDE-01", Date: day(0), Start: "14:00", End: "17:00", Province: "Salta",
			Municipality: "Cafayate", Venue: "Escuela N° 4021", Instructor: "Lic. Carla Benítez"}, 6, false},
	}
	statuses := []domain.Status{domain.Presente, domain.Presente, domain.Presente, domain.Tarde, domain.Presente, domain.Ausente}
	for k, p := range plan {
		s, err := st.CreateSession(ctx, p.s)
		if err != nil {
			return fmt.Errorf("demo session: %w", err)
		}
		start, _ := time.ParseInLocation("2006-01-02 15:04", s.Date+" "+s.Start, domain.Argentina)
		for i := range p.people {
			person := Person((k*97+i*31)%opt.People, opt.Seed)
			at := start.Add(time.Duration(i*40-600) * time.Second)
			st.Now = func() time.Time { return at }
			_, err := st.Mark(ctx, s.ID, person.DNI, statuses[i%len(statuses)], domain.Typed)
			st.Now = now
			if err != nil {
				return fmt.Errorf("demo check-in: %w", err)
			}
		}
		if p.close {
			end, _ := time.ParseInLocation("2006-01-02 15:04", s.Date+" "+s.End, domain.Argentina)
			st.Now = func() time.Time { return end }
			_, err := st.CloseSession(ctx, s.ID)
			st.Now = now
			if err != nil {
				return err
			}
		}
	}
	return st.SetSetting(ctx, "last_instructor", "Lic. Carla Benítez")
}
