package registry

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/storage/geo"
	"github.com/puntos-ar/puntos/sync/wire"
)

// A staff account scoped to a province sees and decides records by their
// own province, never by the sending device's: a session's province; an
// attendance's or a certificate's session's; a person's. A record touches
// the provinces of the version that arrived and of the version the
// registry holds; the sending device's province stands in only when the
// registry can tell neither.

// noProvince stands for a person without a (recognised) province: only
// an unlimited scope covers it.
const noProvince = ""

// sessionProvince returns the INDEC code of a stored session's province;
// ok is false when there is no such session.
func sessionProvince(ctx context.Context, q queryer, sessionID string) (id string, ok bool, err error) {
	var name string
	err = q.QueryRowContext(ctx, `SELECT province FROM sessions WHERE id = ?`, sessionID).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	_, id = provinceOf(name)
	return id, err == nil, err
}

// attendanceProvince returns the province of a stored attendance's
// session; ok is false when there is no such attendance.
func attendanceProvince(ctx context.Context, q queryer, attendanceID string) (string, bool, error) {
	return provinceVia(ctx, q, `SELECT session_id FROM attendances WHERE id = ?`, attendanceID, sessionProvince)
}

// certificateProvince returns the province of a stored certificate's
// session; ok is false when there is no such certificate.
func certificateProvince(ctx context.Context, q queryer, code string) (string, bool, error) {
	return provinceVia(ctx, q, `SELECT attendance_id FROM certificates WHERE code = ?`, code, attendanceProvince)
}

// provinceVia reads the record that query (selecting one ID) finds for
// key and returns the province next finds for that ID; ok is false when
// either finds nothing.
func provinceVia(ctx context.Context, q queryer, query, key string,
	next func(context.Context, queryer, string) (string, bool, error)) (string, bool, error) {
	var ref string
	err := q.QueryRowContext(ctx, query, key).Scan(&ref)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	} else if err != nil {
		return "", false, err
	}
	return next(ctx, q, ref)
}

// contentProvinces returns the provinces a record of kind in wire JSON
// names: its own, or that of the stored session it refers to. A record
// that names none the registry knows gives none; a person without a
// province gives noProvince.
func contentProvinces(ctx context.Context, q queryer, kind string, content []byte) ([]string, error) {
	if len(content) == 0 || string(content) == "null" {
		return nil, nil
	}
	var r struct {
		Province   *string `json:"province"`
		Session    string  `json:"session"`
		Attendance string  `json:"attendance"`
	}
	if json.Unmarshal(content, &r) != nil {
		return nil, nil // the decision refuses it with a proper message
	}
	var id string
	var ok bool
	var err error
	switch kind {
	case wire.KindSession:
		if r.Province != nil {
			var p geo.Province
			p, ok = geo.FindProvince(*r.Province)
			id = p.ID
		}
	case wire.KindPerson:
		// A person's province is optional: one without (or with one not
		// recognised) belongs to no province.
		id, ok = noProvince, true
		if p, found := geo.FindProvince(deref(r.Province)); found {
			id = p.ID
		}
	case wire.KindAttendance, wire.KindSurvey:
		id, ok, err = sessionProvince(ctx, q, r.Session)
	case wire.KindCertificate:
		id, ok, err = attendanceProvince(ctx, q, r.Attendance)
	}
	if err != nil || !ok {
		return nil, err
	}
	return []string{id}, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// storedProvinces returns the province of the record of kind the
// registry holds under id (an outcome's record ID), or none.
func storedProvinces(ctx context.Context, q queryer, kind, id string) ([]string, error) {
	var prov string
	var ok bool
	var err error
	switch kind {
	case wire.KindSession, wire.KindSurvey: // a survey's ID is its session's
		prov, ok, err = sessionProvince(ctx, q, id)
	case wire.KindAttendance:
		prov, ok, err = attendanceProvince(ctx, q, id)
	case wire.KindCertificate:
		if code, cerr := domain.NormalizeCode(id); cerr == nil {
			prov, ok, err = certificateProvince(ctx, q, code)
		}
	case wire.KindPerson:
		if dni, derr := domain.NormalizeDNI(id); derr == nil {
			err = q.QueryRowContext(ctx, `SELECT province_id FROM people WHERE dni = ?`, dni).Scan(&prov)
			ok = err == nil
			if errors.Is(err, sql.ErrNoRows) {
				err = nil
			}
		}
	}
	if err != nil || !ok {
		return nil, err
	}
	return []string{prov}, nil
}

// recordReach is the provinces a record touches (INDEC codes) and whether
// the registry could tell any: when it could not, the sending device's
// province stands in.
type recordReach struct {
	provinces []string
	known     bool
}

// reachOf returns the provinces the record of kind and id touches: as it
// arrived (content, wire JSON; nil for an accepted record) and as stored.
// deviceProvince is the sending device's, for a record the registry can
// place nowhere.
func reachOf(ctx context.Context, q queryer, kind, id string, content []byte, deviceProvince string) (recordReach, error) {
	in, err := contentProvinces(ctx, q, kind, content)
	if err != nil {
		return recordReach{}, err
	}
	stored, err := storedProvinces(ctx, q, kind, id)
	if err != nil {
		return recordReach{}, err
	}
	// A version without a province (a walk-in sent without one) does not
	// take the record out of the province the other version names.
	known := slices.DeleteFunc(append(in, stored...), func(p string) bool { return p == noProvince })
	if len(known) == 0 {
		return recordReach{provinces: []string{deviceProvince}}, nil
	}
	return recordReach{provinces: known, known: true}, nil
}

// covers reports whether scope covers every province the record touches.
func (r recordReach) covers(scope wire.StaffScope) bool {
	for _, p := range r.provinces {
		if !scope.Covers(p) {
			return false
		}
	}
	return true
}

// recordVisible reports whether scope sees the record of kind and id
// (content as it arrived, nil for an accepted record) that a device of
// the province named deviceProvince sent.
func recordVisible(ctx context.Context, q queryer, scope wire.StaffScope, kind, id string, content []byte, deviceProvince string) (bool, error) {
	if scope.All() {
		return true, nil
	}
	_, devID := provinceOf(deviceProvince)
	r, err := reachOf(ctx, q, kind, id, content, devID)
	return err == nil && r.covers(scope), err
}

// checkMove refuses a corrected record that would take a record scope
// sees (before) into or out of another province: each province the
// corrected version names must be the scope's, and a person who had a
// province may not be left without one.
func checkMove(ctx context.Context, q queryer, scope wire.StaffScope, kind string, corrected []byte, before recordReach) error {
	if scope.All() {
		return nil
	}
	after, err := contentProvinces(ctx, q, kind, corrected)
	if err != nil {
		return err
	}
	for _, p := range after {
		if p == noProvince && !before.known || scope.Covers(p) {
			continue
		}
		return outOfScope(scope, "El registro corregido quedaría fuera de %s")
	}
	return nil
}

// outOfScope is the wire.CodeOutOfScope error of a change outside the
// scope's province; format has one %s for the province.
func outOfScope(scope wire.StaffScope, format string) error {
	return &domain.Error{Code: wire.CodeOutOfScope, Text: fmt.Sprintf(format, scope.Province) +
		": tu cuenta solo puede decidir sobre registros de esa provincia. Si hace falta, pediselo a una cuenta de alcance nacional."}
}
