package domain

import "unicode/utf8"

// The longest each text field may be, in characters (not bytes), on the
// device, on the registry and on the wire: a longer value is refused with
// CodeTooLong, never cut or stored. This is the one table; every check
// names its row.
const (
	// Person
	MaxDNI        = 20  // as typed or exported, "DNI 12.345.678"; 7–8 digits once normalised
	MaxCUIL       = 20  // "20-12345678-6" with spaces
	MaxSurname    = 100 // apellido
	MaxGivenNames = 100 // nombres
	MaxAgency     = 200 // organismo
	MaxEmail      = 254 // the longest address SMTP carries (RFC 5321)
	MaxProvince   = 100 // the longest official name has 53
	MaxSex        = 10  // M, F or X
	MaxBirth      = 30  // a date as typed

	// Activity (catalog)
	MaxActivityCode = 20  // "CH-INSP-01"; at most 20 so that a signed QR stays at version 14
	MaxTitle        = 300 // the activity's title
	MaxRuleVersion  = 20  // "2026.1"

	// Session
	MaxMunicipality = 100  // municipio o localidad; the longest listed has 60
	MaxVenue        = 200  // lugar
	MaxInstructor   = 200  // instructor/a
	MaxClockText    = 10   // "09:30" as typed
	MaxDateText     = 30   // "15/03/2026" as typed
	MaxModality     = 20   // presencial, virtual or hibrida
	MaxPlatform     = 100  // "Microsoft Teams"
	MaxLink         = 1000 // a meeting link (Teams links run to 400 bytes and more)

	// Records on the wire
	MaxStatus   = 20 // presente, tarde, justificado or ausente
	MaxMethod   = 20 // typed, search, scan, import or walk-in
	MaxCertCode = 20 // "ABCD-EFGH-JK"
	MaxCertKind = 20 // asistencia or aprobacion

	// Office, devices and staff
	MaxOffice     = 200 // the office's name (certificates, enrollment)
	MaxSubtitle   = 200 // the line under it on certificates
	MaxSignatory  = 100 // a signatory's name
	MaxRole       = 100 // a signatory's role ("Directora de Capacitación")
	MaxURL        = 500 // the verification address
	MaxDeviceName = 100 // "Notebook Tandil 2"
	MaxReason     = 1000
)

// CodeTooLong is the code of a text field over its maximum (Error.Max).
const CodeTooLong = "too_long"

// CheckLen returns a CodeTooLong *Error for field when s has more than
// max characters, else nil. Bytes that are not UTF-8 count one each.
func CheckLen(field, s string, max int) error {
	if len(s) <= max || utf8.RuneCountInString(s) <= max {
		return nil
	}
	return &Error{Code: CodeTooLong, Field: field, Max: max}
}

// FieldLen is one text field to check: its name in errors (Error.Field),
// its value and its maximum.
type FieldLen struct {
	Field string
	Value string
	Max   int
}

// Len is the FieldLen of field with value and maximum max.
func Len(field, value string, max int) FieldLen { return FieldLen{field, value, max} }

// CheckLens returns the error of the first field over its maximum, as
// CheckLen does, else nil.
func CheckLens(fields ...FieldLen) error {
	for _, f := range fields {
		if err := CheckLen(f.Field, f.Value, f.Max); err != nil {
			return err
		}
	}
	return nil
}
