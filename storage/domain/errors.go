package domain

import (
	"errors"
	"strconv"
	"strings"
)

// Sentinel errors that errors.Is finds through wrapping. Their texts are for
// logs; Message gives the text to show a person.
var (
	// ErrInvalid matches every *Error: input a person must correct.
	ErrInvalid = errors.New("invalid input")
	// ErrNotFound means the requested record does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict means the record exists with different content.
	ErrConflict = errors.New("conflict")
	// ErrClosed means the session is closed and can no longer change.
	ErrClosed = errors.New("session closed")
)

// Error codes carried by *Error. They are stable: other programs (the
// registry, its clients) match on them.
const (
	CodeRequired          = "required"
	CodeDNIFormat         = "dni_format"
	CodeDNIZero           = "dni_zero"
	CodeCUILFormat        = "cuil_format"
	CodeCUILPrefix        = "cuil_prefix"
	CodeCUILCheckDigit    = "cuil_check_digit"
	CodeCUILCheckTen      = "cuil_check_ten"
	CodeCUILDNIMismatch   = "cuil_dni_mismatch"
	CodeScanFormat        = "scan_format"
	CodeScanTruncated     = "scan_truncated"
	CodeScanField         = "scan_field"
	CodeInputEmpty        = "input_empty"
	CodeInputNumber       = "input_number"
	CodeInputUnknown      = "input_unknown"
	CodeDateFormat        = "date_format"
	CodeDateInvalid       = "date_invalid"
	CodeClockFormat       = "clock_format"
	CodeCodeFormat        = "code_format"
	CodeActivityType      = "activity_type"
	CodeActivityHours     = "activity_hours"
	CodeActivityPoints    = "activity_points"
	CodeActivitySessions  = "activity_sessions"
	CodeActivityThreshold = "activity_threshold"
	CodeEmailFormat       = "email_format"
	CodeSexFormat         = "sex_format"
	CodeDataFileEmpty     = "data_file_empty" // Field holds the file's path
)

// Error is input that breaks a domain rule. Error returns a Spanish message
// that tells the person what to do; Message gives it in other languages.
type Error struct {
	Code  string // stable machine code, one of the Code* constants
	Field string // the field at fault ("dni", "birth"…), empty when not applicable
	// Text overrides the Spanish message, for codes this package does not
	// know (for example one decoded from a newer registry).
	Text string
	// Max is the limit a CodeTooLong value went over, in characters.
	Max int
}

// Error returns the Spanish message.
func (e *Error) Error() string {
	if e.Text != "" {
		return e.Text
	}
	return e.render(false)
}

// Is reports whether target is ErrInvalid, so that every *Error matches it.
func (e *Error) Is(target error) bool { return target == ErrInvalid }

func (e *Error) render(en bool) string {
	m, ok := messages[e.Code]
	if !ok {
		if en {
			return "Invalid data (" + e.Code + ")."
		}
		return "Dato inválido (" + e.Code + ")."
	}
	text, label := m.es, fieldLabels[e.Field].es
	if en {
		text, label = m.en, fieldLabels[e.Field].en
	}
	if label == "" {
		label = e.Field
	}
	text = strings.ReplaceAll(text, "{max}", strconv.Itoa(e.Max))
	return strings.ReplaceAll(text, "{field}", label)
}

func invalid(code, field string) *Error { return &Error{Code: code, Field: field} }

// Message returns the text to show a person for err: English when lang is
// "en" (or "en-…"), Spanish otherwise. It never reveals internal details: an
// error that is neither an *Error nor a sentinel gets a generic text.
func Message(err error, lang string) string {
	if err == nil {
		return ""
	}
	en := lang == "en" || strings.HasPrefix(lang, "en-") || strings.HasPrefix(lang, "en_")
	if e, ok := errors.AsType[*Error](err); ok {
		if e.Text != "" && (!en || messages[e.Code] == (message{})) {
			return e.Text
		}
		return e.render(en)
	}
	for _, s := range sentinels {
		if errors.Is(err, s.err) {
			if en {
				return s.en
			}
			return s.es
		}
	}
	if en {
		return "Something went wrong. Try again; if it persists, contact central staff."
	}
	return "Algo salió mal. Probá de nuevo; si sigue pasando, avisale al equipo central."
}

type message struct{ es, en string }

var sentinels = []struct {
	err error
	message
}{
	{ErrNotFound, message{"No se encontró lo que buscás. Revisá los datos.", "Not found. Check the details."}},
	{ErrConflict, message{"Ese registro ya existe con otros datos. Revisalo antes de seguir.", "That record already exists with different data. Check it before going on."}},
	{ErrClosed, message{"La sesión está cerrada: no se puede modificar.", "The session is closed and cannot be changed."}},
	{ErrInvalid, message{"Hay un dato inválido. Revisalo.", "Some data is invalid. Check it."}},
}

// messages maps each code to its texts; "{field}" stands for the field label.
var messages = map[string]message{
	CodeRequired: {
		"Completá {field}.",
		"Fill in {field}.",
	},
	CodeDNIFormat: {
		"El DNI debe tener 7 u 8 dígitos (por ejemplo 12.345.678).",
		"The DNI must have 7 or 8 digits (for example 12.345.678).",
	},
	CodeDNIZero: {
		"El DNI no puede ser todo ceros. Revisá el número.",
		"The DNI cannot be all zeros. Check the number.",
	},
	CodeCUILFormat: {
		"El CUIL debe tener 11 dígitos (por ejemplo 20-12345678-6).",
		"The CUIL must have 11 digits (for example 20-12345678-6).",
	},
	CodeCUILPrefix: {
		"El CUIL debe empezar con 20, 23, 24 o 27 (personas) o con 30, 33 o 34 (empresas). Revisá los dos primeros dígitos.",
		"The CUIL must start with 20, 23, 24 or 27 (people) or 30, 33 or 34 (companies). Check the first two digits.",
	},
	CodeCUILCheckDigit: {
		"El último dígito del CUIL no coincide con los demás. Revisá el número en la constancia de CUIL o en el recibo de sueldo.",
		"The last digit of the CUIL does not match the others. Check the number on the CUIL certificate or the payslip.",
	},
	CodeCUILCheckTen: {
		"Ese CUIL no existe: con ese prefijo el dígito verificador daría 10, y en ese caso se asigna el prefijo 23 (o 33 para empresas). Revisá los dos primeros dígitos.",
		"That CUIL cannot exist: with that prefix the check digit would be 10, and such numbers are issued with prefix 23 (or 33 for companies). Check the first two digits.",
	},
	CodeCUILDNIMismatch: {
		"El CUIL no corresponde al DNI: los 8 dígitos del medio del CUIL deben ser el DNI. Revisá los dos números.",
		"The CUIL does not match the DNI: its 8 middle digits must be the DNI. Check both numbers.",
	},
	CodeScanFormat: {
		"No se reconoce el código escaneado. Escaneá el código de barras del frente del DNI o escribí el número.",
		"The scanned code is not recognised. Scan the barcode on the front of the DNI or type the number.",
	},
	CodeScanTruncated: {
		"El código escaneado llegó incompleto. Volvé a escanear el DNI sin moverlo, o escribí el número.",
		"The scanned code is incomplete. Scan the DNI again holding it still, or type the number.",
	},
	CodeScanField: {
		"En el código escaneado {field} no se pudo leer. Volvé a escanear el DNI o escribí el número.",
		"In the scanned code, {field} could not be read. Scan the DNI again or type the number.",
	},
	CodeInputEmpty: {
		"Escribí un DNI, un CUIL o un apellido, o escaneá el DNI.",
		"Type a DNI, a CUIL or a surname, or scan the DNI.",
	},
	CodeInputNumber: {
		"Un DNI tiene 7 u 8 dígitos y un CUIL tiene 11. Revisá el número.",
		"A DNI has 7 or 8 digits and a CUIL has 11. Check the number.",
	},
	CodeInputUnknown: {
		"No se reconoce lo ingresado. Escribí un DNI, un CUIL o al menos 2 letras del apellido.",
		"The input is not recognised. Type a DNI, a CUIL or at least 2 letters of the surname.",
	},
	CodeDateFormat: {
		"Escribí la fecha como DD/MM/AAAA (por ejemplo 15/03/2026).",
		"Write the date as DD/MM/YYYY (for example 15/03/2026).",
	},
	CodeDateInvalid: {
		"Esa fecha no existe. Revisá el día y el mes.",
		"That date does not exist. Check the day and the month.",
	},
	CodeClockFormat: {
		"Escribí la hora como HH:MM, entre 00:00 y 23:59 (por ejemplo 09:30).",
		"Write the time as HH:MM, between 00:00 and 23:59 (for example 09:30).",
	},
	CodeCodeFormat: {
		"El código de verificación tiene 10 letras y números (por ejemplo ABCD-EFGH-JK). Copialo tal como figura en el certificado.",
		"The verification code has 10 letters and digits (for example ABCD-EFGH-JK). Copy it exactly as printed on the certificate.",
	},
	CodeActivityType: {
		"Elegí el tipo de actividad: charla, taller, curso, intensivo o virtual.",
		"Choose the activity type: charla, taller, curso, intensivo or virtual.",
	},
	CodeActivityHours: {
		"Las horas de la actividad deben ser más de 0.",
		"The activity's hours must be more than 0.",
	},
	CodeActivityPoints: {
		"Los puntos de la actividad no pueden ser negativos.",
		"The activity's points cannot be negative.",
	},
	CodeActivitySessions: {
		"La actividad debe tener al menos 1 encuentro.",
		"The activity must have at least 1 session.",
	},
	CodeActivityThreshold: {
		"La asistencia mínima debe estar entre 0 y 1 (por ejemplo 0,75 para el 75 %).",
		"The attendance threshold must be between 0 and 1 (for example 0.75 for 75%).",
	},
	CodeEmailFormat: {
		"El correo electrónico no parece válido (por ejemplo nombre@organismo.gob.ar). Revisalo o dejalo vacío.",
		"The email address does not look valid (for example name@agency.gob.ar). Check it or leave it empty.",
	},
	CodeSexFormat: {
		"El sexo debe ser M, F o X.",
		"Sex must be M, F or X.",
	},
	CodeDataFileEmpty: {
		"El archivo de datos {field} está vacío (0 bytes), quizá por una copia o un respaldo que se cortó: restauralo desde el respaldo o, para empezar sin datos, borralo; Puntos no lo modificó.",
		"The data file {field} is empty (0 bytes), perhaps from a copy or a backup cut short: restore it from the backup or, to start with no data, delete it; Puntos left it untouched.",
	},
	CodeSurveyValue: {
		"La valoración de la clase debe ser un número del 1 (muy baja) al 5 (muy alta).",
		"The value of the class must be a number from 1 (very low) to 5 (very high).",
	},
	CodeSurveyUse: {
		"La probabilidad de usar lo aprendido debe ser un número del 1 (muy improbable) al 5 (muy probable).",
		"The likelihood of using what was learned must be a number from 1 (very unlikely) to 5 (very likely).",
	},
	CodeSurveyTally: {
		"El conteo de {field} debe tener 5 números separados por comas, del más bajo al más alto (por ejemplo 0,1,3,6,2).",
		"The tally of {field} must have 5 numbers separated by commas, lowest to highest (for example 0,1,3,6,2).",
	},
	CodeSurveyCount: {
		"Cada número del conteo de {field} debe ser un entero entre 0 y {max}.",
		"Each number in the tally of {field} must be a whole number from 0 to {max}.",
	},
	CodeSurveyClosed: {
		"La encuesta de esta sesión ya está cerrada (se cerró a mano, pasaron 7 días desde la sesión o ya se envió al registro): no se guardó la respuesta.",
		"This session's survey is closed (closed by hand, 7 days have passed since the session, or it was already sent to the registry): the answer was not stored.",
	},
	CodeTooLong: {
		"Hay más de {max} caracteres en {field}: acortalo.",
		"There are more than {max} characters in {field}: shorten it.",
	},
}

// fieldLabels names fields inside messages.
var fieldLabels = map[string]message{
	"dni":          {"el DNI", "the DNI"},
	"value":        {"la valoración (--value)", "the value (--value)"},
	"use":          {"la probabilidad de uso (--use)", "the likelihood of use (--use)"},
	"comment":      {"el comentario", "the comment"},
	"cuil":         {"el CUIL", "the CUIL"},
	"surname":      {"el apellido", "the surname"},
	"given_names":  {"los nombres", "the given names"},
	"sex":          {"el sexo", "the sex"},
	"birth":        {"la fecha de nacimiento", "the date of birth"},
	"issued":       {"la fecha de emisión", "the issue date"},
	"tramite":      {"el número de trámite", "the procedure number"},
	"ejemplar":     {"el ejemplar", "the copy letter"},
	"code":         {"el código de la actividad", "the activity code"},
	"email":        {"el correo electrónico", "the email address"},
	"date":         {"la fecha", "the date"},
	"agency":       {"el organismo", "the agency"},
	"province":     {"la provincia", "the province"},
	"title":        {"el título de la actividad", "the activity's title"},
	"rule_version": {"la versión de la regla", "the rule version"},
	"municipality": {"el municipio", "the municipality"},
	"venue":        {"el lugar", "the venue"},
	"instructor":   {"el nombre de quien da la actividad", "the instructor's name"},
	"start":        {"la hora de inicio", "the start time"},
	"end":          {"la hora de fin", "the end time"},
	"modality":     {"la modalidad", "the modality"},
	"platform":     {"la plataforma", "the platform"},
	"link":         {"el enlace", "the link"},
	"status":       {"el estado de asistencia", "the attendance status"},
	"method":       {"la forma de registro", "the check-in method"},
	"kind":         {"el tipo de certificado", "the certificate kind"},
	"reason":       {"el motivo", "the reason"},
	"office":       {"el nombre de la oficina", "the office's name"},
	"subtitle":     {"el subtítulo", "the subtitle"},
	"signatory":    {"el nombre de quien firma", "the signatory's name"},
	"role":         {"el cargo de quien firma", "the signatory's role"},
	"url":          {"la dirección de verificación", "the verification address"},
	"device_name":  {"el nombre del equipo", "the device's name"},
	"verification": {"el código de verificación", "the verification code"},
}
