package wire

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/storage/geo"
)

// Rejection codes of an Outcome, besides the domain.Code* codes of a bad
// DNI, CUIL, date or name.
const (
	RejectRecordID          = "record_id"
	RejectTooLong           = domain.CodeTooLong // a text field over its maximum (domain.MaxSurname…)
	RejectActivityUnknown   = "activity_unknown"
	RejectProvinceUnknown   = "province_unknown"
	RejectMunicipality      = "municipality_missing"
	RejectModality          = "modality"
	RejectTimeOrder         = "time_order"
	RejectSessionNotClosed  = "session_not_closed"
	RejectSessionFuture     = "session_future"
	RejectSessionUnknown    = "session_unknown"
	RejectSessionRejected   = "session_rejected"
	RejectPersonUnknown     = "person_unknown"
	RejectStatus            = "status_invalid"
	RejectMethod            = "method_invalid"
	RejectMinutes           = "minutes_invalid"
	RejectAttendanceUnknown = "attendance_unknown"
	RejectCertificateKind   = "certificate_kind"
	RejectSurvey            = "survey_invalid"
	RejectSurveySession     = "survey_session"
	RejectNotOwner          = "not_owner"        // the session belongs to a device of another office
	ConflictContent         = "content_differs"  // same ID, other content
	ConflictPersonMarked    = "already_recorded" // the person already has another attendance at that session
)

// Batch and session flags of a Receipt.
const (
	FlagClockSkew     = "clock_skew"
	FlagFutureSession = "future_session"
	FlagLateReport    = "late_report"
)

// Clock sanity limits.
const (
	MaxClockSkew  = 10 * time.Minute
	LateReportAge = 10 // days after the session
	FutureSkew    = 1  // days a session may be ahead of the registry before it is rejected
)

// certKinds are the certificate kinds a device issues.
var certKinds = map[string]bool{domain.KindAttendance: true, domain.KindApproval: true}

// rejectMessages are the Spanish messages of the rejection and conflict
// codes, with fmt verbs for their arguments.
var rejectMessages = map[string]string{
	RejectRecordID:          "El registro no tiene un ID válido (hasta 64 letras, números o guiones). Es un error del programa: avisale al equipo central.",
	RejectActivityUnknown:   "La actividad %q no está en el catálogo del registro: sincronizá para actualizar el catálogo o pedile al equipo central que la cargue.",
	RejectProvinceUnknown:   "No se reconoce la provincia %q de la sesión: el equipo central puede corregirla al revisar este registro.",
	RejectMunicipality:      "Falta el municipio o la localidad de la sesión: el equipo central puede completarlo al revisar este registro.",
	RejectModality:          "La modalidad de la sesión debe ser «presencial», «virtual» o «híbrida».",
	RejectTimeOrder:         "La hora de fin de la sesión debe ser posterior a la de inicio: el equipo central puede corregirla al revisar este registro.",
	RejectSessionNotClosed:  "La sesión no está cerrada: cerrala en el equipo antes de sincronizar.",
	RejectSessionFuture:     "La fecha de la sesión (%s) es posterior a hoy: revisá la fecha y hora del equipo; el equipo central puede corregir la fecha al revisar este registro.",
	RejectSessionUnknown:    "La sesión de esta asistencia no llegó al registro: enviá la sesión junto con sus asistencias.",
	RejectSessionRejected:   "La sesión de esta asistencia fue rechazada (mirá su mensaje): cuando el equipo central la corrija, esta asistencia se acepta con ella.",
	RejectPersonUnknown:     "El DNI no está en el padrón del registro y no vino como agente nuevo: cargá a la persona como agente nuevo, con apellido y nombres.",
	RejectStatus:            "El estado de asistencia %q no es válido: debe ser presente, tarde, justificado o ausente.",
	RejectMethod:            "La forma de registro %q no es válida. Es un error del programa: avisale al equipo central.",
	RejectMinutes:           "Los minutos conectados (%d) no son posibles en una sesión de un día: volvé a cargar el informe de participantes.",
	RejectAttendanceUnknown: "La asistencia de este certificado no está en el registro (o fue rechazada): resolvé primero la asistencia.",
	RejectCertificateKind:   "El tipo de certificado %q no es válido: debe ser asistencia o aprobación.",
	RejectSurvey:            "La encuesta tiene conteos o comentarios imposibles (%s). Es un error del programa: avisale al equipo central.",
	RejectSurveySession:     "La sesión de esta encuesta no está en el registro (o fue rechazada): cuando la sesión se acepte, la encuesta se envía de nuevo.",
	RejectNotOwner:          "Esta sesión la informó un equipo de otra oficina: solo los equipos de esa oficina pueden agregarle asistencias, certificados o cambios. Revisá que sea la sesión correcta; el registro quedó guardado para que lo revise el equipo central.",
	ConflictContent:         "El registro ya tenía %s con otros datos: se guardó esta versión para que la revise el equipo central, sin cambiar la anterior.",
	ConflictPersonMarked:    "Esta persona ya tiene otra asistencia registrada en esa sesión: se guardó para que la revise el equipo central.",
}

// Reject returns the rejection (or conflict) with that code and its
// Spanish message formatted with args.
func Reject(code string, args ...any) *domain.Error {
	msg, ok := rejectMessages[code]
	if !ok {
		msg = "El registro fue rechazado (" + code + "). Avisale al equipo central."
	} else if len(args) > 0 {
		msg = fmt.Sprintf(msg, args...)
	}
	return &domain.Error{Code: code, Text: msg}
}

// RejectedOutcome is the outcome that rejects the record (kind, id) for
// err: its *domain.Error code and Spanish message, or a generic one.
func RejectedOutcome(kind, id string, err error) Outcome {
	code := "invalid"
	if e, ok := errors.AsType[*domain.Error](err); ok {
		code = e.Code
	}
	return Outcome{Kind: kind, ID: id, Result: Rejected, Code: code, Message: domain.Message(err, "es")}
}

// ConflictOutcome is the outcome of a record that differs from the one
// stored under the same ID (code ConflictContent) or that clashes with
// another record (ConflictPersonMarked).
func ConflictOutcome(kind, id, code string) Outcome {
	noun := map[string]string{KindSession: "esta sesión", KindAttendance: "esta asistencia", KindPerson: "este agente", KindCertificate: "este certificado", KindSurvey: "esta encuesta"}[kind]
	var e *domain.Error
	if code == ConflictContent {
		e = Reject(code, noun)
	} else {
		e = Reject(code)
	}
	return Outcome{Kind: kind, ID: id, Result: Conflict, Code: e.Code, Message: e.Text}
}

// zone is the registry's civil time zone for "today" (no DST since 2009).
var zone = time.FixedZone("ART", -3*60*60)

// LocalDate returns the calendar date of t in Argentina.
func LocalDate(t time.Time) time.Time {
	y, m, d := t.In(zone).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// ClockSkewed reports whether a device clock is off by more than
// MaxClockSkew from the registry's time (or missing).
func ClockSkewed(deviceClock, receivedAt time.Time) bool {
	if deviceClock.IsZero() {
		return true
	}
	d := deviceClock.Sub(receivedAt)
	return d > MaxClockSkew || d < -MaxClockSkew
}

// ValidRecordID reports whether id is usable as a record or batch ID: 1 to
// 64 ASCII letters, digits, '-' or '_'.
func ValidRecordID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// CheckPerson validates a walk-in as it arrived and returns it normalised
// (domain.ValidatePerson), marked as a walk-in.
func CheckPerson(r PersonRecord) (domain.Person, error) {
	if err := domain.CheckLens(domain.Len("dni", r.DNI, domain.MaxDNI), domain.Len("cuil", r.CUIL, domain.MaxCUIL),
		domain.Len("surname", r.Surname, domain.MaxSurname), domain.Len("given_names", r.GivenNames, domain.MaxGivenNames),
		domain.Len("agency", r.Agency, domain.MaxAgency), domain.Len("email", r.Email, domain.MaxEmail),
		domain.Len("province", r.Province, domain.MaxProvince), domain.Len("sex", r.Sex, domain.MaxSex),
		domain.Len("birth", r.Birth, domain.MaxBirth)); err != nil {
		return domain.Person{}, err
	}
	p := domain.Person{DNI: r.DNI, CUIL: r.CUIL, Surname: r.Surname, GivenNames: r.GivenNames, Agency: r.Agency,
		Email: r.Email, Province: r.Province, Sex: r.Sex, Birth: r.Birth, WalkIn: true}
	if err := domain.ValidatePerson(&p); err != nil {
		return domain.Person{}, err
	}
	if prov, ok := geo.FindProvince(p.Province); ok {
		p.Province = prov.Name
	}
	return p, nil
}

// CheckSession validates a session as it arrived at receivedAt (all but
// its activity, which the store checks) and returns it normalised with its
// flags (FlagFutureSession, FlagLateReport).
func CheckSession(r SessionRecord, receivedAt time.Time) (SessionRecord, []string, error) {
	if !ValidRecordID(r.ID) {
		return r, nil, Reject(RejectRecordID)
	}
	if err := domain.CheckLens(domain.Len("code", r.ActivityCode, domain.MaxActivityCode), domain.Len("date", r.Date, domain.MaxDateText),
		domain.Len("start", r.Start, domain.MaxClockText), domain.Len("end", r.End, domain.MaxClockText),
		domain.Len("province", r.Province, domain.MaxProvince), domain.Len("municipality", r.Municipality, domain.MaxMunicipality),
		domain.Len("venue", r.Venue, domain.MaxVenue), domain.Len("instructor", r.Instructor, domain.MaxInstructor),
		domain.Len("modality", r.Modality, domain.MaxModality), domain.Len("platform", r.Platform, domain.MaxPlatform)); err != nil {
		return r, nil, err
	}
	r.ActivityCode = strings.TrimSpace(r.ActivityCode)
	day, err := domain.ParseDate(r.Date)
	if err != nil {
		return r, nil, err
	}
	r.Date = day.Format("2006-01-02")
	for _, c := range []*string{&r.Start, &r.End} {
		if strings.TrimSpace(*c) == "" {
			*c = ""
			continue
		}
		if *c, err = domain.ParseClock(*c); err != nil {
			return r, nil, err
		}
	}
	if r.Start != "" && r.End != "" && r.End <= r.Start {
		return r, nil, Reject(RejectTimeOrder)
	}
	prov, ok := geo.FindProvince(r.Province)
	if !ok {
		return r, nil, Reject(RejectProvinceUnknown, r.Province)
	}
	r.Province = prov.Name
	switch domain.Modality(r.Modality) {
	case "":
		r.Modality = string(domain.Presencial)
	case domain.Presencial, domain.Remote, domain.Hybrid:
	default:
		return r, nil, Reject(RejectModality)
	}
	// A virtual session happens nowhere in particular: no municipality.
	r.Municipality = strings.Join(strings.Fields(r.Municipality), " ")
	if r.Municipality == "" && r.Modality != string(domain.Remote) {
		return r, nil, Reject(RejectMunicipality)
	}
	r.Venue = strings.TrimSpace(r.Venue)
	r.Instructor = strings.TrimSpace(r.Instructor)
	r.Platform = strings.Join(strings.Fields(r.Platform), " ")
	if r.ClosedAt.IsZero() {
		return r, nil, Reject(RejectSessionNotClosed)
	}
	r.ClosedAt = r.ClosedAt.UTC()
	today := LocalDate(receivedAt)
	var flags []string
	switch {
	case day.After(today.AddDate(0, 0, FutureSkew)):
		return r, nil, Reject(RejectSessionFuture, day.Format("02/01/2006"))
	case day.After(today):
		flags = append(flags, FlagFutureSession)
	case day.Before(today.AddDate(0, 0, -LateReportAge)):
		flags = append(flags, FlagLateReport)
	}
	return r, flags, nil
}

// CheckAttendance validates an attendance as it arrived (all but its
// session and person, which the store checks) and returns it normalised.
func CheckAttendance(r AttendanceRecord) (AttendanceRecord, error) {
	if !ValidRecordID(r.ID) {
		return r, Reject(RejectRecordID)
	}
	if !ValidRecordID(r.SessionID) {
		return r, Reject(RejectSessionUnknown)
	}
	if err := domain.CheckLens(domain.Len("dni", r.DNI, domain.MaxDNI), domain.Len("status", r.Status, domain.MaxStatus),
		domain.Len("method", r.Method, domain.MaxMethod)); err != nil {
		return r, err
	}
	dni, err := domain.NormalizeDNI(r.DNI)
	if err != nil {
		return r, err
	}
	r.DNI = dni
	if !domain.Status(r.Status).Valid() {
		return r, Reject(RejectStatus, r.Status)
	}
	switch domain.Method(r.Method) {
	case domain.Typed, domain.Search, domain.Scan, domain.Import, domain.WalkIn:
	default:
		return r, Reject(RejectMethod, r.Method)
	}
	r.At = r.At.UTC()
	if r.Minutes != nil && (*r.Minutes < 0 || *r.Minutes > 24*60) {
		return r, Reject(RejectMinutes, *r.Minutes)
	}
	return r, nil
}

// CheckCertificate validates a certificate as it arrived (all but its
// attendance, which the store checks) and returns it with its code
// normalised (domain.NormalizeCode).
func CheckCertificate(r CertificateRecord) (CertificateRecord, error) {
	if err := domain.CheckLens(domain.Len("verification", r.Code, domain.MaxCertCode), domain.Len("kind", r.Kind, domain.MaxCertKind)); err != nil {
		return r, err
	}
	code, err := domain.NormalizeCode(r.Code)
	if err != nil {
		return r, err
	}
	r.Code = code
	if !ValidRecordID(r.AttendanceID) {
		return r, Reject(RejectAttendanceUnknown)
	}
	if !certKinds[r.Kind] {
		return r, Reject(RejectCertificateKind, r.Kind)
	}
	r.IssuedAt = r.IssuedAt.UTC()
	return r, nil
}

// CheckSurvey validates a survey as it arrived: a valid session ID,
// counts from 0 to domain.MaxSurveyCount per point, and no more comments
// than answers, each of at most domain.MaxSurveyComment characters.
func CheckSurvey(r SurveyRecord) error {
	if !ValidRecordID(r.SessionID) {
		return Reject(RejectRecordID)
	}
	for _, c := range [...]domain.SurveyCounts{r.Value, r.Use} {
		for _, n := range c {
			if n < 0 || n > domain.MaxSurveyCount {
				return Reject(RejectSurvey, fmt.Sprintf("un conteo de %d", n))
			}
		}
	}
	s := domain.Survey{Value: r.Value, Use: r.Use}
	if len(r.Comments) > s.Responses() {
		return Reject(RejectSurvey, fmt.Sprintf("%d comentarios para %d respuestas", len(r.Comments), s.Responses()))
	}
	for _, c := range r.Comments {
		if len([]rune(c)) > domain.MaxSurveyComment {
			return Reject(RejectSurvey, "un comentario demasiado largo")
		}
	}
	return nil
}
