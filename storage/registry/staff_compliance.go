package registry

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/storage/geo"
	"github.com/puntos-ar/puntos/sync/wire"
)

// complianceProvince resolves the province of a compliance query within
// scope: the filter's, else the scope's; a filter outside the scope is
// not found.
func complianceProvince(filter string, scope wire.StaffScope) (name, id string, err error) {
	if filter != "" {
		p, ok := geo.FindProvince(filter)
		if !ok {
			return "", "", &domain.Error{Code: wire.CodeBadRequest, Text: fmt.Sprintf("No se reconoce la provincia %q: elegila de la lista.", filter)}
		}
		name, id = p.Name, p.ID
	}
	if !scope.All() {
		if id != "" && id != scope.ProvinceID {
			return "", "", notFound("province")
		}
		name, id = scope.Province, scope.ProvinceID
	}
	return name, id, nil
}

func checkYear(year int) error {
	if year < 2000 || year > 2200 {
		return &domain.Error{Code: wire.CodeBadRequest, Text: fmt.Sprintf("El año %d no es válido.", year)}
	}
	return nil
}

// sumCursor walks a year's net points per person in DNI order, for a
// merge with the people table (also in DNI order): no map of half a
// million DNIs is built.
type sumCursor struct {
	rows *sql.Rows
	dni  string
	pts  int
	ok   bool
	err  error
}

func (s *Store) yearSums(ctx context.Context, year int) (*sumCursor, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT dni, sum(points) FROM ledger WHERE year = ? GROUP BY dni ORDER BY dni`, year)
	if err != nil {
		return nil, err
	}
	c := &sumCursor{rows: rows}
	c.next()
	return c, c.err
}

func (c *sumCursor) next() {
	if c.ok = c.rows.Next(); c.ok {
		c.err = c.rows.Scan(&c.dni, &c.pts)
		c.ok = c.err == nil
	} else {
		c.err = c.rows.Err()
	}
}

// points returns the points of dni; calls must come in DNI order.
func (c *sumCursor) points(dni string) int {
	for c.ok && c.dni < dni {
		c.next()
	}
	if c.ok && c.dni == dni {
		return c.pts
	}
	return 0
}

func (c *sumCursor) close() error {
	c.rows.Close()
	return c.err
}

// folder folds strings with a memo: names and agencies repeat a lot.
type folder map[string]string

func (f folder) fold(s string) string {
	if v, ok := f[s]; ok {
		return v
	}
	v := domain.Fold(s)
	f[s] = v
	return v
}

// Walk-ins come without a province of their own: the report counts them
// under the province of the first session they attended, not under "Sin
// provincia". walkInProvince is the SQL expression of that session's
// province name (NULL for everyone else), over a row of people; inProvince
// the condition that keeps a province's people and the walk-ins that may
// turn out to be its.
const (
	walkInProvince = `CASE WHEN people.province_id = '' AND people.walk_in = 1 THEN
		(SELECT s.province FROM attendances a JOIN sessions s ON s.id = a.session_id
		WHERE a.dni = people.dni ORDER BY s.date, s.id LIMIT 1) END`
	inProvince = `(people.province_id = ? OR (people.province_id = '' AND people.walk_in = 1))`
)

// provinceID returns the INDEC code a person is counted under: their own,
// else the one of sessionProvince (a walk-in's first session).
func provinceID(own string, sessionProvince sql.NullString) string {
	if own == "" && sessionProvince.Valid {
		_, own = provinceOf(sessionProvince.String)
	}
	return own
}

// Compliance returns the year's report; see server.StaffStore.
func (s *Store) Compliance(ctx context.Context, year int, province string, scope wire.StaffScope) (wire.Compliance, error) {
	if err := checkYear(year); err != nil {
		return wire.Compliance{}, err
	}
	provName, provID, err := complianceProvince(province, scope)
	if err != nil {
		return wire.Compliance{}, err
	}
	c := wire.Compliance{Protocol: wire.Protocol, Year: year, Required: domain.RequiredPoints, Province: provName,
		Groups: []wire.ComplianceGroup{}, Places: []wire.CompliancePlace{}, GeneratedAt: s.now()}
	// The groups and the places are counted at once, on two connections.
	var placesErr error
	var wg sync.WaitGroup
	wg.Go(func() { c.Places, placesErr = s.compliancePlaces(ctx, year, provName, folder{}) })
	c.Groups, c.People, c.Under, err = s.complianceGroups(ctx, year, provID, folder{})
	wg.Wait()
	if err != nil {
		return c, err
	}
	if placesErr != nil {
		return c, placesErr
	}
	return c, nil
}

// complianceGroups counts the people of the province with INDEC code
// provID (every province when "") by province and agency, with their
// points and how many are under the required points, sorted by province
// and agency; it also returns the totals of people and people under. A
// small province (smallProvince) looks each person up in the ledger. For
// the whole country or a large province, PostgreSQL counts by merging the
// year's sums per person with the people, and SQLite, which would build
// those sums into a temporary table first, streams both in DNI order to
// merge them here (sumCursor).
func (s *Store) complianceGroups(ctx context.Context, year int, provID string, f folder) ([]wire.ComplianceGroup, int, int, error) {
	gc := groupCounter{provID: provID, names: provinceNames(), groups: map[groupKey]*wire.ComplianceGroup{}}
	small := false
	if provID != "" {
		var err error
		if small, err = s.smallProvince(ctx, provID); err != nil {
			return nil, 0, 0, fmt.Errorf("compliance: %w", err)
		}
	}
	var err error
	if s.pg || small {
		err = s.countGroups(ctx, year, provID, small, &gc)
	} else {
		err = s.mergeGroups(ctx, year, provID, &gc)
	}
	if err != nil {
		return nil, 0, 0, fmt.Errorf("compliance: %w", err)
	}
	out, people, under := gc.result(f)
	return out, people, under, nil
}

// groupKey is a compliance group: a province's INDEC code and an agency.
type groupKey struct{ provinceID, agency string }

// groupCounter adds up compliance groups from partial counts.
type groupCounter struct {
	provID string // the report's province ("": every one)
	names  map[string]string
	groups map[groupKey]*wire.ComplianceGroup
}

// add counts n people of agency with pts points, below of them under the
// required points, under their province: own, or for a walk-in with none
// the province of their first session. People of another
// province than the report's are left out.
func (gc *groupCounter) add(own string, sessionProvince sql.NullString, agency string, n, pts, below int) {
	k := groupKey{provinceID(own, sessionProvince), agency}
	if gc.provID != "" && k.provinceID != gc.provID {
		return
	}
	g := gc.groups[k]
	if g == nil {
		g = &wire.ComplianceGroup{Province: gc.names[k.provinceID], Agency: k.agency}
		gc.groups[k] = g
	}
	g.People += n
	g.Points += pts
	g.Under += below
}

// result returns the groups sorted by province and agency, and the totals
// of people and people under.
func (gc *groupCounter) result(f folder) (out []wire.ComplianceGroup, people, under int) {
	out = []wire.ComplianceGroup{}
	for _, g := range gc.groups {
		out = append(out, *g)
		people += g.People
		under += g.Under
	}
	slices.SortFunc(out, func(a, b wire.ComplianceGroup) int {
		if n := cmp.Compare(f.fold(a.Province), f.fold(b.Province)); n != 0 {
			return n
		}
		return cmp.Compare(f.fold(a.Agency), f.fold(b.Agency))
	})
	return out, people, under
}

// countGroups has the database count the groups (see complianceGroups).
// Walk-ins with no province of their own are few (and found through
// people_roster): they are counted apart, each under the province of
// their first session, so that the rest groups by plain columns. A
// person's points are summed once per person (a subquery in the select
// list would run once per use).
func (s *Store) countGroups(ctx context.Context, year int, provID string, small bool, gc *groupCounter) error {
	looked := `SELECT people.province_id, people.agency, coalesce(sum(l.points), 0) AS pts
		FROM people LEFT JOIN ledger l ON l.dni = people.dni AND l.year = ?
		WHERE %s GROUP BY people.dni, people.province_id, people.agency`
	summed := `SELECT people.province_id, people.agency, coalesce(t.pts, 0) AS pts
		FROM people LEFT JOIN (SELECT dni, sum(points) AS pts FROM ledger WHERE year = ? GROUP BY dni) t ON t.dni = people.dni
		WHERE %s`
	perPerson := fmt.Sprintf(summed, `NOT (people.province_id = '' AND people.walk_in = 1)`)
	args := []any{domain.RequiredPoints, year}
	if provID != "" {
		if small {
			summed = looked
		}
		perPerson, args = fmt.Sprintf(summed, `people.province_id = ?`), append(args, provID)
	}
	args = append(args, domain.RequiredPoints, year)
	q := `SELECT province_id, NULL, agency, count(*), sum(pts), sum(CASE WHEN pts < ? THEN 1 ELSE 0 END)
		FROM (` + perPerson + `) x GROUP BY 1, 3
		UNION ALL
		SELECT '', session_province, agency, count(*), sum(pts), sum(CASE WHEN pts < ? THEN 1 ELSE 0 END)
		FROM (SELECT ` + walkInProvince + ` AS session_province, people.agency, coalesce(sum(l.points), 0) AS pts
		FROM people LEFT JOIN ledger l ON l.dni = people.dni AND l.year = ?
		WHERE people.province_id = '' AND people.walk_in = 1 GROUP BY people.dni, people.province_id, people.walk_in, people.agency) y GROUP BY 2, 3`
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var pid, agency string
		var sessionProvince sql.NullString
		var n, pts, below int
		if err := rows.Scan(&pid, &sessionProvince, &agency, &n, &pts, &below); err != nil {
			return err
		}
		gc.add(pid, sessionProvince, agency, n, pts, below)
	}
	return rows.Err()
}

// mergeGroups counts the groups by walking the people and the year's sums
// per person, both in DNI order (see complianceGroups).
func (s *Store) mergeGroups(ctx context.Context, year int, provID string, gc *groupCounter) error {
	sums, err := s.yearSums(ctx, year)
	if err != nil {
		return err
	}
	defer sums.close()
	q, args := `SELECT dni, province_id, `+walkInProvince+`, agency FROM people`, []any{}
	if provID != "" {
		q, args = q+` WHERE `+inProvince, append(args, provID)
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY dni`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var dni, pid, agency string
		var sessionProvince sql.NullString
		if err := rows.Scan(&dni, &pid, &sessionProvince, &agency); err != nil {
			return err
		}
		// Read points in DNI order even for a row left out: the cursor
		// over the year's sums only moves forward.
		p := sums.points(dni)
		below := 0
		if p < domain.RequiredPoints {
			below = 1
		}
		gc.add(pid, sessionProvince, agency, 1, p, below)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return sums.close()
}

// smallProvince reports whether the province with INDEC code provID has
// few enough people (lookupPeople) that looking each one up in the ledger
// beats summing the whole year's: the sum costs about the same for any
// province, the lookups grow with its people.
func (s *Store) smallProvince(ctx context.Context, provID string) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM people WHERE province_id = ? LIMIT ?) x`, provID, lookupPeople+1).Scan(&n)
	return n <= lookupPeople, err
}

// lookupPeople is where looking people up stops paying (measured at
// national scale on PostgreSQL; see docs/BENCHMARKS.md). Tests lower it.
var lookupPeople = 250_000

// compliancePlaces counts the year's sessions, attendees and points by
// municipality, in the province named provName (every province when ""),
// sorted by province and municipality. Each session's attendees and
// ledger points come from covering indexes.
func (s *Store) compliancePlaces(ctx context.Context, year int, provName string, f folder) ([]wire.CompliancePlace, error) {
	type place struct{ province, municipality string }
	places := map[place]*wire.CompliancePlace{}
	q, args := `SELECT s.province, s.municipality,
		(SELECT count(*) FROM attendances a WHERE a.session_id = s.id AND a.status IN ('presente', 'tarde')),
		(SELECT coalesce(sum(l.points), 0) FROM ledger l WHERE l.session_id = s.id)
		FROM sessions s WHERE s.year = ?`, []any{year}
	if provName != "" {
		q, args = q+` AND s.province = ?`, append(args, provName)
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("compliance: %w", err)
	}
	for rows.Next() {
		var k place
		var attendees, pts int
		if err := rows.Scan(&k.province, &k.municipality, &attendees, &pts); err != nil {
			rows.Close()
			return nil, err
		}
		p := places[k]
		if p == nil {
			p = &wire.CompliancePlace{Province: k.province, Municipality: k.municipality}
			places[k] = p
		}
		p.Sessions++
		p.Attendees += attendees
		p.Points += pts
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := []wire.CompliancePlace{}
	for _, p := range places {
		out = append(out, *p)
	}
	slices.SortFunc(out, func(a, b wire.CompliancePlace) int {
		if n := cmp.Compare(f.fold(a.Province), f.fold(b.Province)); n != 0 {
			return n
		}
		return cmp.Compare(f.fold(a.Municipality), f.fold(b.Municipality))
	})
	return out, nil
}

// provinceNames maps INDEC codes to official province names; people
// whose province was not recognised ("" code) get "".
func provinceNames() map[string]string {
	m := map[string]string{"": ""}
	for _, p := range geo.Provinces() {
		m[p.ID] = p.Name
	}
	return m
}

// CompliancePeople calls fn with each person under the required points;
// see server.StaffStore. A whole-country list reads the year's ledger once;
// a province's looks each person up.
func (s *Store) CompliancePeople(ctx context.Context, q wire.CompliancePeopleQuery, scope wire.StaffScope, fn func(wire.CompliancePerson) error) (int, error) {
	if err := checkYear(q.Year); err != nil {
		return 0, err
	}
	_, provID, err := complianceProvince(q.Province, scope)
	if err != nil {
		return 0, err
	}
	var sums *sumCursor
	if provID == "" {
		if sums, err = s.yearSums(ctx, q.Year); err != nil {
			return 0, fmt.Errorf("compliance people: %w", err)
		}
		defer sums.close()
	}
	names := provinceNames()
	query, args := compliancePeopleQuery(q, provID, sums == nil)
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return 0, fmt.Errorf("compliance people: %w", err)
	}
	out := make([]underRow, 0, 1024)
	f := folder{}
	for rows.Next() {
		var r underRow
		var pid string
		var sessionProvince sql.NullString
		dest := []any{&pid, &sessionProvince, &r.p.Agency, &r.p.Surname, &r.p.GivenNames, &r.p.DNI, &r.p.CUIL}
		if sums == nil {
			dest = append(dest, &r.p.Points)
		}
		if err := rows.Scan(dest...); err != nil {
			rows.Close()
			return 0, err
		}
		if sums != nil {
			r.p.Points = sums.points(r.p.DNI)
		}
		if pid = provinceID(pid, sessionProvince); provID != "" && pid != provID {
			continue
		}
		r.p.Province = names[pid]
		if r.p.Points >= domain.RequiredPoints {
			continue
		}
		r.prov, r.agency, r.sur, r.giv = f.fold(r.p.Province), f.fold(r.p.Agency), f.fold(r.p.Surname), f.fold(r.p.GivenNames)
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	if sums != nil {
		if err := sums.close(); err != nil {
			return 0, err
		}
	}
	order := sortUnder(out)
	for _, i := range order {
		if err := fn(out[i].p); err != nil {
			return 0, err
		}
	}
	return len(out), nil
}

// compliancePeopleQuery returns the query of CompliancePeople's rows for
// q in the province with INDEC code provID (every province when ""); with
// ledger it also sums each person's points of the year.
func compliancePeopleQuery(q wire.CompliancePeopleQuery, provID string, ledger bool) (string, []any) {
	query, args := `SELECT province_id, `+walkInProvince+`, agency, surname, given_names, dni, cuil`, []any{}
	if ledger {
		query, args = query+`, (SELECT coalesce(sum(l.points), 0) FROM ledger l WHERE l.dni = people.dni AND l.year = ?)`, append(args, q.Year)
	}
	query += ` FROM people`
	switch {
	case provID != "" && q.Agency != "":
		query, args = query+` WHERE `+inProvince+` AND agency = ?`, append(args, provID, q.Agency)
	case provID != "":
		query, args = query+` WHERE `+inProvince, append(args, provID)
	case q.Agency != "":
		query, args = query+` WHERE agency = ?`, append(args, q.Agency)
	}
	return query + ` ORDER BY dni`, args
}

// underRow is a person under the required points with the folded keys
// the list is sorted by.
type underRow struct {
	p                      wire.CompliancePerson
	prov, agency, sur, giv string
}

// sortUnder returns the positions of rows sorted by province, agency,
// surname, given names and DNI: sorting positions, not the wide rows
// themselves, is faster.
func sortUnder(rows []underRow) []int32 {
	order := make([]int32, len(rows))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(i, j int32) int {
		a, b := &rows[i], &rows[j]
		switch {
		case a.prov != b.prov:
			return strings.Compare(a.prov, b.prov)
		case a.agency != b.agency:
			return strings.Compare(a.agency, b.agency)
		case a.sur != b.sur:
			return strings.Compare(a.sur, b.sur)
		case a.giv != b.giv:
			return strings.Compare(a.giv, b.giv)
		}
		return strings.Compare(a.p.DNI, b.p.DNI)
	})
	return order
}
