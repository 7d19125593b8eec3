package domain

import (
	"fmt"
	"math"
	"strings"
)

// Places finds the official spelling of where a session takes place;
// storage/geo answers from the official lists.
type Places interface {
	// Province returns the official name and INDEC code of the province s
	// names, and whether it names one.
	Province(s string) (name, id string, ok bool)
	// Municipality returns the listed spelling of the place s in the
	// province with INDEC code provinceID, and whether it is listed.
	Municipality(provinceID, s string) (string, bool)
}

// ValidateSession checks a new session and normalises it in place: an
// activity code that activity accepts (activity returns the error to
// report for an unknown code), a valid date, optional start and end times
// with the end after the start, a province places knows (its official
// name), a municipality (its listed spelling when listed), trimmed venue
// and instructor, a modality ("" means presencial) and no field over its
// maximum (MaxVenue…). A virtual session needs no municipality; virtual and
// hybrid sessions need start and end times, may name a platform and an
// http(s) link, and may set a threshold (a share in (0, 1] or minutes, not
// both). It returns the first broken rule.
func ValidateSession(in *Session, activity func(code string) error, places Places) error {
	in.ActivityCode = strings.TrimSpace(in.ActivityCode)
	if err := CheckLens(Len("code", in.ActivityCode, MaxActivityCode),
		Len("province", in.Province, MaxProvince), Len("municipality", in.Municipality, MaxMunicipality)); err != nil {
		return err
	}
	if in.ActivityCode == "" {
		return sessionError("activity_missing", "actividad", "Falta la actividad: indicá el código del catálogo.")
	}
	if err := activity(in.ActivityCode); err != nil {
		return err
	}
	d, err := ParseDate(in.Date)
	if err != nil {
		return err
	}
	in.Date = d.Format("2006-01-02")
	for _, c := range []*string{&in.Start, &in.End} {
		if strings.TrimSpace(*c) == "" {
			*c = ""
			continue
		}
		if *c, err = ParseClock(*c); err != nil {
			return err
		}
	}
	if in.Start != "" && in.End != "" && in.End <= in.Start {
		return sessionError("time_order", "fin", "La hora de fin (%s) debe ser posterior a la de inicio (%s).", in.End, in.Start)
	}
	if err := sessionModality(in); err != nil {
		return err
	}
	if err := sessionPlace(in, places); err != nil {
		return err
	}
	in.Venue = strings.TrimSpace(in.Venue)
	in.Instructor = strings.TrimSpace(in.Instructor)
	return CheckLens(Len("venue", in.Venue, MaxVenue), Len("instructor", in.Instructor, MaxInstructor),
		Len("platform", in.Platform, MaxPlatform))
}

// sessionPlace checks and spells a session's province and municipality.
func sessionPlace(in *Session, places Places) error {
	name, id, ok := places.Province(in.Province)
	if !ok {
		if strings.TrimSpace(in.Province) == "" {
			return sessionError("province_missing", "provincia", "Falta la provincia de la sesión.")
		}
		return sessionError("province_unknown", "provincia", "No se reconoce la provincia %q: escribila como en la lista (por ejemplo «Córdoba» o «CABA»).", in.Province)
	}
	in.Province = name
	in.Municipality = strings.Join(strings.Fields(in.Municipality), " ")
	if in.Municipality == "" && in.Modality == Remote {
		return nil
	}
	if in.Municipality == "" {
		return sessionError("municipality_missing", "municipio", "Falta el municipio o la localidad de la sesión.")
	}
	if m, ok := places.Municipality(id, in.Municipality); ok {
		in.Municipality = m
	}
	return nil
}

// sessionError is a broken session rule, with its Spanish text.
func sessionError(code, field, msg string, args ...any) error {
	return &Error{Code: code, Field: field, Text: fmt.Sprintf(msg, args...)}
}

// ParseModality reads a modality as typed: presencial, virtual, hibrida or
// híbrida (any case); "" is presencial.
func ParseModality(s string) (Modality, error) {
	switch Fold(s) {
	case "", "presencial":
		return Presencial, nil
	case "virtual":
		return Remote, nil
	case "hibrida":
		return Hybrid, nil
	}
	return "", sessionError("modality", "modalidad", "La modalidad %q no existe: usá «presencial», «virtual» o «híbrida».", s)
}

// sessionModality checks the modality and what only online sessions have.
func sessionModality(in *Session) error {
	m, err := ParseModality(string(in.Modality))
	if err != nil {
		return err
	}
	in.Modality = m
	in.Platform = strings.Join(strings.Fields(in.Platform), " ")
	in.Link = strings.TrimSpace(in.Link)
	if !m.Online() {
		if in.Platform != "" || in.Link != "" || in.MinShare != 0 || in.MinMinutes != 0 {
			return sessionError("not_online", "modalidad", "La plataforma, el enlace y el mínimo de conexión son de sesiones virtuales o híbridas: indicá la modalidad «virtual» o «híbrida».")
		}
		return nil
	}
	if err := CheckLen("link", in.Link, MaxLink); err != nil {
		return err
	}
	switch {
	case in.Start == "" || in.End == "":
		return sessionError("times_missing", "inicio", "Una sesión virtual o híbrida necesita hora de inicio y de fin: con ellas se calcula el tiempo de conexión que da la asistencia.")
	case in.Link != "" && !(strings.HasPrefix(in.Link, "https://") || strings.HasPrefix(in.Link, "http://")) || strings.ContainsAny(in.Link, " \t\r\n"):
		return sessionError("link", "enlace", "El enlace de la reunión debe empezar con https:// (copialo entero de la invitación).")
	case in.MinShare != 0 && in.MinMinutes != 0:
		return sessionError("threshold_both", "mínimo", "Indicá el mínimo de conexión como proporción o como minutos, no los dos.")
	case in.MinShare < 0 || in.MinShare > 1 || math.IsNaN(in.MinShare):
		return sessionError("min_share", "mínimo", "La proporción mínima de conexión debe estar entre 0 y 1 (por ejemplo 0.75).")
	case in.MinMinutes < 0:
		return sessionError("min_minutes", "mínimo", "Los minutos mínimos de conexión no pueden ser negativos.")
	}
	if l := in.Length(); in.MinMinutes > l {
		return sessionError("min_minutes", "mínimo", "Los minutos mínimos de conexión (%d) superan la duración de la sesión (%d).", in.MinMinutes, l)
	}
	return nil
}

// DefaultMinShare is the share of an online session's scheduled length a
// person must be connected to count as present.
const DefaultMinShare = 0.75

// Length returns the scheduled length in minutes, from Start to End (0
// when either is missing).
func (s Session) Length() int {
	a, err1 := clockMinutes(s.Start)
	b, err2 := clockMinutes(s.End)
	if err1 != nil || err2 != nil || b < a {
		return 0
	}
	return b - a
}

func clockMinutes(c string) (int, error) {
	var h, m int
	if _, err := fmt.Sscanf(c, "%d:%d", &h, &m); err != nil {
		return 0, err
	}
	return h*60 + m, nil
}

// RequiredSeconds returns the connected seconds a person needs to count as
// present at an online session: MinMinutes when set, else MinShare
// (DefaultMinShare when 0) of the scheduled length.
func (s Session) RequiredSeconds() int {
	if s.MinMinutes > 0 {
		return s.MinMinutes * 60
	}
	share := s.MinShare
	if share == 0 {
		share = DefaultMinShare
	}
	return int(math.Ceil(share * float64(s.Length()*60)))
}

// Place returns where a session is held, as certificates and sheets
// print it: "Cafayate, Salta"; a virtual one "Virtual (Zoom), Salta"; a
// hybrid one "Cafayate, Salta, y virtual (Zoom)".
func (s Session) Place() string {
	online := "virtual"
	if s.Platform != "" {
		online += " (" + s.Platform + ")"
	}
	switch {
	case s.Modality == Remote && s.Municipality == "":
		return "V" + online[1:] + ", " + s.Province
	case s.Modality == Remote:
		return "V" + online[1:] + ", " + s.Municipality + ", " + s.Province
	case s.Modality == Hybrid:
		return s.Municipality + ", " + s.Province + ", y " + online
	}
	return s.Municipality + ", " + s.Province
}
