package participants

import (
	"regexp"
	"strings"
	"time"

	"github.com/puntos-ar/puntos/storage/domain"
)

// Column roles a header cell may name.
const (
	colName = iota + 1
	colFirst
	colLast
	colEmail
	colUPN
	colJoin
	colLeave
	colDuration
	colTotal // Zoom's "Total Duration (Minutes)" of unique users
	colGuest
	colRole
	colModerator
	colAction
	colStamp
	colDNI
	colMeetingID
)

// headerWords maps folded header cells, in the languages the platforms
// export, to column roles.
var headerWords = map[string]int{
	"name": colName, "nombre": colName, "nombre completo": colName, "full name": colName, "user": colName, "usuario": colName,
	"participant": colName, "participante": colName, "nome": colName, "nom": colName, "display name": colName,
	"name original name": colName, "nombre nombre original": colName, "apellido y nombre": colName, "nombre y apellido": colName,
	"first name": colFirst, "given name": colFirst, "nombres": colFirst, "primer nombre": colFirst,
	"last name": colLast, "surname": colLast, "family name": colLast, "apellido": colLast, "apellidos": colLast,
	"email": colEmail, "e mail": colEmail, "mail": colEmail, "user email": colEmail, "correo": colEmail,
	"correo electronico": colEmail, "correo electronico del usuario": colEmail, "email address": colEmail,
	"direccion de correo electronico": colEmail, "correo del usuario": colEmail,
	"participant id upn": colUPN, "id de participante upn": colUPN, "id del participante upn": colUPN, "upn": colUPN,
	"join time": colJoin, "first join": colJoin, "time joined": colJoin, "join": colJoin, "joined": colJoin,
	"hora de ingreso": colJoin, "hora de union": colJoin, "hora de entrada": colJoin, "primera union": colJoin,
	"primera entrada": colJoin, "ingreso": colJoin, "entrada": colJoin, "unirse": colJoin, "se unio": colJoin,
	"hora a la que se unio": colJoin, "registered on": colJoin, "started at": colJoin,
	"leave time": colLeave, "last leave": colLeave, "time exited": colLeave, "left": colLeave, "leave": colLeave,
	"hora de salida": colLeave, "ultima salida": colLeave, "salida": colLeave, "salio": colLeave, "se fue": colLeave,
	"izquierda": colLeave, "hora a la que salio": colLeave, "abandono": colLeave, "ended at": colLeave,
	"duration": colDuration, "duracion": colDuration, "duration minutes": colDuration, "duracion minutos": colDuration,
	"in meeting duration": colDuration, "duracion en la reunion": colDuration, "duracion de la reunion": colDuration,
	"minutes": colDuration, "minutos": colDuration, "attendance duration": colDuration, "tiempo": colDuration,
	"tiempo conectado": colDuration, "duracao": colDuration,
	"total duration minutes": colTotal, "duracion total minutos": colTotal,
	"guest": colGuest, "invitado": colGuest,
	"role": colRole, "rol": colRole, "funcion": colRole,
	"moderator": colModerator, "moderador": colModerator, "moderateur": colModerator, "moderatore": colModerator,
	"user action": colAction, "accion del usuario": colAction, "action": colAction, "accion": colAction,
	"timestamp": colStamp, "marca de tiempo": colStamp, "fecha y hora": colStamp,
	"dni": colDNI, "documento": colDNI, "nro documento": colDNI, "numero de documento": colDNI, "nro de documento": colDNI,
	"cuil": colDNI, "cuil cuit": colDNI, "n documento": colDNI,
	"meeting id": colMeetingID, "id de reunion": colMeetingID, "id de la reunion": colMeetingID,
}

// columns maps roles to cell indexes in a header row.
type columns map[int]int

func headerColumns(cells []string) columns {
	c := columns{}
	for i, cell := range cells {
		if role, ok := headerWords[domain.Fold(cell)]; ok {
			if _, dup := c[role]; !dup {
				c[role] = i
			}
		}
	}
	// "Nombre" next to "Apellido" is the given names (Meet in Spanish).
	if i, ok := c[colName]; ok && c.has(colLast) && !c.has(colFirst) {
		c[colFirst] = i
		delete(c, colName)
	}
	return c
}

func (c columns) has(roles ...int) bool {
	for _, r := range roles {
		if _, ok := c[r]; !ok {
			return false
		}
	}
	return true
}

// cell returns the cell of role in rec, "" when the column or cell is missing.
func (c columns) cell(rec []string, role int) string {
	i, ok := c[role]
	if !ok || i >= len(rec) {
		return ""
	}
	return rec[i]
}

// sectionRE matches Teams' numbered section titles: "2. Participants",
// "2. Participantes", "3. In-Meeting Activities".
var sectionRE = regexp.MustCompile(`^([1-9])\.\s*\S`)

// reader reads the rows of one layout from a file's records.
type reader struct {
	format Format
	read   func(recs []record, day time.Time) []row
}

// record is a file's row with its line number.
type record struct {
	line  int
	cells []string
}

// headerSearch is how many rows may come before the header (Zoom's meeting
// block, title rows an office adds).
const headerSearch = 40

// recognise finds the layout from the rows themselves.
func recognise(recs []record) (reader, error) {
	if teamsSections(recs) != nil {
		return reader{Teams, readTeams}, nil
	}
	for i, rec := range recs {
		if i >= headerSearch {
			break
		}
		c := headerColumns(rec.cells)
		at := recs[i+1:]
		switch {
		case c.has(colMeetingID):
			continue // Zoom's meeting block above the participants
		case c.has(colAction, colStamp) && (c.has(colName) || c.has(colFirst)):
			return reader{TeamsLegacy, func(_ []record, day time.Time) []row { return readLegacy(c, at, day) }}, nil
		case c.has(colName, colTotal):
			return reader{ZoomUnique, func(_ []record, day time.Time) []row { return readTable(c, at, day, zoomRows) }}, nil
		case c.has(colName, colJoin, colLeave, colDuration) && (c.has(colGuest) || c.has(colEmail)) && !c.has(colModerator):
			return reader{Zoom, func(_ []record, day time.Time) []row { return readTable(c, at, day, zoomRows) }}, nil
		case c.has(colFirst, colLast, colDuration, colJoin):
			return reader{Meet, func(_ []record, day time.Time) []row { return readTable(c, at, day, spanRows) }}, nil
		case c.has(colModerator, colDuration) && (c.has(colName) || c.has(colFirst)):
			return reader{BBB, func(_ []record, day time.Time) []row { return readTable(c, at, day, spanRows) }}, nil
		case (c.has(colDNI) || c.has(colEmail)) && c.has(colDuration):
			return reader{Plain, func(_ []record, day time.Time) []row { return readTable(c, at, day, 0) }}, nil
		}
	}
	return reader{}, reportError(CodeUnknownLayout, "No se reconoce el informe: debe ser el de participantes de Zoom, el informe de asistencia de Teams, la asistencia de Google Meet, el panel de aprendizaje de BigBlueButton o un CSV con DNI o correo y minutos.")
}

// How readTable takes a layout's rows.
const (
	// spanRows have a first join, a last leave and the connected time
	// apart (Meet, BigBlueButton, Teams' participants section).
	spanRows = 1 << iota
	// zoomRows may carry Zoom's original name: "Display (Original Name)".
	zoomRows
)

// readTable reads one table's rows, one per line, until a section title.
func readTable(c columns, recs []record, day time.Time, how int) []row {
	var out []row
	for _, rec := range recs {
		cells := rec.cells
		if isSection(cells) {
			break
		}
		r := row{span: how&spanRows != 0}
		r.name = c.cell(cells, colName)
		if c.has(colFirst) || c.has(colLast) {
			r.name = strings.TrimSpace(c.cell(cells, colFirst) + " " + c.cell(cells, colLast))
		}
		r.name, r.original = splitOriginal(r.name, how&zoomRows != 0)
		r.email, r.masked = cleanEmail(c.cell(cells, colEmail))
		if r.email == "" && !r.masked {
			r.email, _ = cleanEmail(c.cell(cells, colUPN))
		}
		if d := c.cell(cells, colDNI); d != "" {
			r.dni = dniOf(d)
			if r.name == "" {
				r.name = d // a plain CSV without names: the DNI as written names the row
			}
		}
		if r.name == "" {
			r.name = r.email
		}
		r.host = isHost(c.cell(cells, colRole)) || isYes(c.cell(cells, colModerator))
		r.join, _ = parseStamp(c.cell(cells, colJoin), day)
		r.leave, _ = parseStamp(c.cell(cells, colLeave), day)
		dur := c.cell(cells, colDuration)
		if c.has(colTotal) {
			dur = c.cell(cells, colTotal)
		}
		r.seconds, _ = parseDuration(dur)
		if r.name == "" && r.email == "" && r.dni == "" {
			continue
		}
		if isAnonymous(r.name) && r.email == "" && r.dni == "" {
			continue
		}
		out = append(out, r)
	}
	return out
}

// splitOriginal drops a guest mark ("Pedro Muñoz (Guest)", "(Invitado)")
// and, for Zoom, splits "Display (Original Name)".
func splitOriginal(s string, zoom bool) (name, original string) {
	s = strings.TrimSpace(s)
	i := strings.LastIndex(s, " (")
	if !strings.HasSuffix(s, ")") || i <= 0 {
		return s, ""
	}
	name, inner := strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+2:len(s)-1])
	switch domain.Fold(inner) {
	case "guest", "invitado", "invitada", "external", "externo", "externa", "unverified", "no verificado":
		return name, ""
	}
	if zoom {
		return name, inner
	}
	return s, ""
}

// dniOf returns the DNI a DNI or CUIL cell holds, "" when it holds neither.
func dniOf(s string) string {
	if cuil, err := domain.ParseCUIL(s); err == nil {
		return domain.CUILDNI(cuil)
	}
	if dni, err := domain.NormalizeDNI(s); err == nil {
		return dni
	}
	return ""
}

func isHost(role string) bool {
	switch domain.Fold(role) {
	case "organizer", "organizador", "organizadora", "coorganizador", "co organizer", "host", "anfitrion", "moderador", "moderator":
		return true
	}
	return false
}

func isYes(s string) bool {
	switch domain.Fold(s) {
	case "yes", "si", "true", "1", "sim", "oui":
		return true
	}
	return false
}

// isAnonymous reports BigBlueButton's "Anonymous" poll row.
func isAnonymous(name string) bool {
	switch domain.Fold(name) {
	case "anonymous", "anonimo", "anonimos":
		return true
	}
	return false
}
