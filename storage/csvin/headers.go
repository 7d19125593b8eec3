package csvin

import "github.com/puntos-ar/puntos/storage/domain"

// column identifies what a header cell means.
type column int

const (
	colNone column = iota
	colDNI
	colCUIL
	colSurname
	colGiven
	colFull           // "Apellido y Nombre": surname first
	colFullGivenFirst // "Nombre y Apellido"
	colName           // English "Name": given names next to a surname column, else the full name
	colAgency
	colEmail
	colProvince

	colCode
	colTitle
	colType
	colHours
	colPoints
	colSessions
	colThreshold
	colRuleVersion
	numColumns
)

// headerKey reduces a header cell to lower-case ASCII letters and digits:
// "Nº Documento" → "ndocumento", "E-mail" → "email", "Repartición" → "reparticion".
func headerKey(s string) string {
	f := domain.Fold(s)
	b := make([]byte, 0, len(f))
	for i := 0; i < len(f); i++ {
		if c := f[i]; c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			b = append(b, c)
		}
	}
	return string(b)
}

var rosterHeaders = map[string]column{
	"dni": colDNI, "nrodni": colDNI, "numerodni": colDNI, "dninro": colDNI, "dninumero": colDNI,
	"documento": colDNI, "doc": colDNI, "nrodoc": colDNI, "numdoc": colDNI, "ndoc": colDNI,
	"nrodocumento": colDNI, "nrodedocumento": colDNI, "numerodocumento": colDNI,
	"numerodedocumento": colDNI, "ndocumento": colDNI, "ndedocumento": colDNI, "nodedocumento": colDNI, "nodocumento": colDNI, "nrododocumento": colDNI,
	"document": colDNI, "documentnumber": colDNI, "idnumber": colDNI, "nationalid": colDNI,

	"cuil": colCUIL, "cuit": colCUIL, "cuilcuit": colCUIL, "cuitcuil": colCUIL, "cuilocuit": colCUIL,
	"nrocuil": colCUIL, "numerocuil": colCUIL, "nrodecuil": colCUIL, "ncuil": colCUIL,

	"apellido": colSurname, "apellidos": colSurname, "surname": colSurname, "surnames": colSurname,
	"lastname": colSurname, "lastnames": colSurname, "familyname": colSurname,

	"nombre": colGiven, "nombres": colGiven, "firstname": colGiven, "firstnames": colGiven,
	"givenname": colGiven, "givennames": colGiven, "forename": colGiven, "forenames": colGiven,

	"apellidoynombre": colFull, "apellidoynombres": colFull, "apellidosynombre": colFull,
	"apellidosynombres": colFull, "apellidonombre": colFull, "apellidonombres": colFull,
	"apellidosnombres": colFull, "nombrecompleto": colFull, "fullname": colFull,
	"agente": colFull, "nombreyapellido": colFullGivenFirst, "nombresyapellidos": colFullGivenFirst,
	"nombresyapellido": colFullGivenFirst, "nombreyapellidos": colFullGivenFirst,
	"name": colName,

	"organismo": colAgency, "reparticion": colAgency, "agency": colAgency, "dependencia": colAgency,
	"institucion": colAgency, "organizacion": colAgency, "organization": colAgency, "organisation": colAgency,

	"correo": colEmail, "correoelectronico": colEmail, "email": colEmail, "mail": colEmail,
	"emailaddress": colEmail, "correoe": colEmail, "direcciondecorreo": colEmail,

	"provincia": colProvince, "province": colProvince, "prov": colProvince,
}

var catalogHeaders = map[string]column{
	"codigo": colCode, "code": colCode, "cod": colCode, "codigoactividad": colCode,
	"codigodeactividad": colCode, "codigodelaactividad": colCode, "activitycode": colCode,

	"titulo": colTitle, "titulodelaactividad": colTitle, "title": colTitle, "actividad": colTitle,
	"nombredelaactividad": colTitle, "nombreactividad": colTitle, "denominacion": colTitle,
	"activity": colTitle, "activitytitle": colTitle, "nombre": colTitle, "name": colTitle,

	"tipo": colType, "type": colType, "tipodeactividad": colType, "tipoactividad": colType,
	"activitytype": colType,

	"horas": colHours, "hours": colHours, "hs": colHours, "cargahoraria": colHours,
	"duracion": colHours, "duracionhs": colHours, "duracionhoras": colHours,
	"cantidaddehoras": colHours, "horasreloj": colHours,

	"puntos": colPoints, "points": colPoints, "creditos": colPoints, "credits": colPoints,
	"puntaje": colPoints,

	"sesiones": colSessions, "encuentros": colSessions, "sessions": colSessions,
	"cantidaddesesiones": colSessions, "cantidaddeencuentros": colSessions,
	"nrodeencuentros": colSessions, "numberofsessions": colSessions,

	"umbral": colThreshold, "asistenciaminima": colThreshold, "threshold": colThreshold,
	"asistenciaminimarequerida": colThreshold, "porcentajedeasistencia": colThreshold,
	"minimumattendance": colThreshold, "attendancethreshold": colThreshold,

	"versionderegla": colRuleVersion, "versiondelaregla": colRuleVersion, "versionregla": colRuleVersion,
	"ruleversion": colRuleVersion, "regla": colRuleVersion,
}

// layout maps the columns found in a header to their index and header text.
type layout struct {
	index [numColumns]int // -1 when absent
	label [numColumns]string
	known bool // some header cell matched
}

// newLayout matches header cells against names; the first cell with a given
// meaning wins, later ones are ignored like any extra column.
func newLayout(head []string, names map[string]column) *layout {
	l := &layout{}
	for i := range l.index {
		l.index[i] = -1
	}
	for i, h := range head {
		c, ok := names[headerKey(h)]
		if !ok {
			continue
		}
		l.known = true
		if l.index[c] >= 0 {
			continue
		}
		l.index[c] = i
		l.label[c] = h
	}
	return l
}

func (l *layout) has(c column) bool { return l.index[c] >= 0 }

// move gives column from's place to column to, unless to already has one.
func (l *layout) move(from, to column) {
	if l.has(from) && !l.has(to) {
		l.index[to], l.label[to] = l.index[from], l.label[from]
	}
	l.index[from], l.label[from] = -1, ""
}
