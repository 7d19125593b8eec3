package registry

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/storage/geo"
	"github.com/puntos-ar/puntos/sync/wire"
)

// attended is the SQL condition of an attendance that counts as trained.
const attended = `t.status IN ('presente', 'tarde')`

// Impact returns the impact view of a year for a province (every
// province in scope when ""); see server.StaffStore.
func (s *Store) Impact(ctx context.Context, year int, province string, scope wire.StaffScope) (wire.Impact, error) {
	if err := checkYear(year); err != nil {
		return wire.Impact{}, err
	}
	provName, _, err := complianceProvince(province, scope)
	if err != nil {
		return wire.Impact{}, err
	}
	im := wire.Impact{Protocol: wire.Protocol, Year: year, Province: provName, Months: make([]wire.ImpactMonth, 12),
		Provinces: []wire.ImpactProvince{}, Municipalities: []wire.ImpactPlace{}, GeneratedAt: s.now()}
	for i := range im.Months {
		im.Months[i].Month = i + 1
	}
	// The previous year is counted alongside, on another connection.
	var prevErr error
	var wg sync.WaitGroup
	wg.Go(func() { im.Previous, prevErr = s.impactYear(ctx, year-1, provName, nil) })
	im.ImpactTotals, err = s.impactYear(ctx, year, provName, &im)
	wg.Wait()
	if err != nil {
		return im, fmt.Errorf("impact %d: %w", year, err)
	}
	if prevErr != nil {
		return im, fmt.Errorf("impact %d: %w", year-1, prevErr)
	}
	if im.Attendances > 0 {
		im.InPersonShare = 1 - im.OnlineShare
	}
	im.Change = wire.ImpactChange{
		People:   change(float64(im.People), float64(im.Previous.People)),
		Sessions: change(float64(im.Sessions), float64(im.Previous.Sessions)),
		Hours:    change(im.Hours, im.Previous.Hours),
		Points:   change(float64(im.Points), float64(im.Previous.Points)),
	}
	sv, err := s.impactSurvey(ctx, year, provName)
	if err != nil {
		return im, fmt.Errorf("impact survey: %w", err)
	}
	im.Survey = wire.NewSurveyResults(sv)
	return im, nil
}

// change is the relative change from before to now, nil when before is 0.
func change(now, before float64) *float64 {
	if before == 0 {
		return nil
	}
	c := (now - before) / before
	return &c
}

// yearFilter is the WHERE of the sessions s of a year and province ("":
// every one) and its arguments.
func yearFilter(year int, provName string) (string, []any) {
	if provName == "" {
		return `s.year = ?`, []any{year}
	}
	return `s.year = ? AND s.province = ?`, []any{year, provName}
}

// impactYear counts a year's totals; with im it also fills its months,
// provinces and municipalities.
func (s *Store) impactYear(ctx context.Context, year int, provName string, im *wire.Impact) (wire.ImpactTotals, error) {
	var tot wire.ImpactTotals
	where, args := yearFilter(year, provName)
	rows, err := s.db.QueryContext(ctx, `SELECT s.date, s.province, s.municipality, s.modality, s.start_time, s.end_time,
		a.hours, a.sessions, (SELECT count(*) FROM attendances t WHERE t.session_id = s.id AND `+attended+`)
		FROM sessions s JOIN activities a ON a.code = s.activity_code WHERE `+where, args...)
	if err != nil {
		return tot, err
	}
	type placeKey struct{ province, municipality string }
	provinces := map[string]*wire.ImpactProvince{}
	places := map[placeKey]*wire.ImpactPlace{}
	var online int
	for rows.Next() {
		var date, prov, muni, modality, start, end string
		var actHours float64
		var actSessions, n int
		if err := rows.Scan(&date, &prov, &muni, &modality, &start, &end, &actHours, &actSessions, &n); err != nil {
			rows.Close()
			return tot, err
		}
		hours := float64(n) * sessionHours(start, end, actHours, actSessions)
		tot.Sessions++
		tot.Attendances += n
		tot.Hours += hours
		if domain.Modality(modality).Online() {
			online += n
		}
		if im == nil {
			continue
		}
		if m, err := strconv.Atoi(date[5:7]); err == nil && m >= 1 && m <= 12 {
			mo := &im.Months[m-1]
			mo.Sessions++
			mo.Attendances += n
			mo.Hours += hours
		}
		if n == 0 {
			continue // a session nobody attended reaches nobody
		}
		p := provinces[prov]
		if p == nil {
			p = &wire.ImpactProvince{Province: prov}
			provinces[prov] = p
		}
		p.Sessions++
		p.Attendances += n
		if strings.TrimSpace(muni) == "" {
			continue // a virtual session is held nowhere in particular
		}
		k := placeKey{prov, domain.Fold(muni)}
		pl := places[k]
		if pl == nil {
			pl = &wire.ImpactPlace{Province: prov, Municipality: muni}
			if gp, ok := geo.FindProvince(prov); ok {
				pl.ProvinceID = gp.ID
				if pt, ok := geo.Locate(gp.ID, muni); ok {
					pl.Lat, pl.Lon, pl.Located = pt.Lat, pt.Lon, true
				}
			}
			places[k] = pl
		}
		pl.Sessions++
		pl.Attendances += n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return tot, err
	}
	if tot.Attendances > 0 {
		tot.OnlineShare = float64(online) / float64(tot.Attendances)
	}
	// GROUP BY walks the covering index attendances_session_dni faster
	// than count(DISTINCT).
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT t.dni FROM sessions s
		JOIN attendances t ON t.session_id = s.id WHERE `+where+` AND `+attended+` GROUP BY t.dni) trained`, args...).Scan(&tot.People); err != nil {
		return tot, err
	}
	points := `SELECT coalesce(sum(points), 0) FROM ledger WHERE year = ?`
	if provName != "" {
		points = `SELECT coalesce(sum(l.points), 0) FROM sessions s JOIN ledger l ON l.session_id = s.id WHERE ` + where
	}
	if err := s.db.QueryRowContext(ctx, points, args...).Scan(&tot.Points); err != nil {
		return tot, err
	}
	if im != nil {
		for _, p := range provinces {
			im.Provinces = append(im.Provinces, *p)
		}
		slices.SortFunc(im.Provinces, func(a, b wire.ImpactProvince) int {
			return cmp.Or(cmp.Compare(b.Attendances, a.Attendances), strings.Compare(a.Province, b.Province))
		})
		for _, p := range places {
			im.Municipalities = append(im.Municipalities, *p)
		}
		slices.SortFunc(im.Municipalities, func(a, b wire.ImpactPlace) int {
			return cmp.Or(cmp.Compare(b.Attendances, a.Attendances), strings.Compare(a.Province, b.Province),
				strings.Compare(a.Municipality, b.Municipality))
		})
		im.ProvincesReached, im.MunicipalitiesReached = len(im.Provinces), len(im.Municipalities)
	}
	return tot, nil
}

// sessionHours is the length of a session: its times when it has both,
// else its activity's hours shared among the activity's sessions.
func sessionHours(start, end string, actHours float64, actSessions int) float64 {
	if m := (domain.Session{Start: start, End: end}).Length(); m > 0 {
		return float64(m) / 60
	}
	return actHours / float64(max(actSessions, 1))
}

// impactSurvey adds up the surveys of the year's sessions.
func (s *Store) impactSurvey(ctx context.Context, year int, provName string) (domain.Survey, error) {
	var sv domain.Survey
	where, args := yearFilter(year, provName)
	err := s.db.QueryRowContext(ctx, `SELECT coalesce(sum(v.value_1), 0), coalesce(sum(v.value_2), 0), coalesce(sum(v.value_3), 0),
		coalesce(sum(v.value_4), 0), coalesce(sum(v.value_5), 0), coalesce(sum(v.use_1), 0), coalesce(sum(v.use_2), 0),
		coalesce(sum(v.use_3), 0), coalesce(sum(v.use_4), 0), coalesce(sum(v.use_5), 0)
		FROM sessions s JOIN surveys v ON v.session_id = s.id WHERE `+where, args...).Scan(
		&sv.Value[0], &sv.Value[1], &sv.Value[2], &sv.Value[3], &sv.Value[4],
		&sv.Use[0], &sv.Use[1], &sv.Use[2], &sv.Use[3], &sv.Use[4])
	return sv, err
}
