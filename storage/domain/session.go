package domain

import (
	"fmt"
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
// maximum (MaxVenue…). It returns the first broken rule.
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
	if err := sessionPlace(in, places); err != nil {
		return err
	}
	in.Venue = strings.TrimSpace(in.Venue)
	in.Instructor = strings.TrimSpace(in.Instructor)
	switch in.Modality {
	case "":
		in.Modality = Presencial
	case Presencial, Remote:
	default:
		return sessionError("modality", "modalidad", "La modalidad debe ser «presencial» o «virtual».")
	}
	return CheckLens(Len("venue", in.Venue, MaxVenue), Len("instructor", in.Instructor, MaxInstructor))
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
