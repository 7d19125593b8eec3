package registry

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/storage/geo"
	"github.com/puntos-ar/puntos/storage/internal/sqlitex"
	"github.com/puntos-ar/puntos/sync/wire"
)

// argentina is the registry's civil time zone for dates typed by staff.
var argentina = domain.Argentina

const inboxCols = `b.id, b.device_id, d.name, d.office, d.province, b.source, b.received_at, b.device_clock, b.records, b.flags,
	(SELECT coalesce(sum(c.n), 0) FROM outcome_counts c WHERE c.batch_id = b.id AND c.result = 'accepted'),
	(SELECT coalesce(sum(c.n), 0) FROM outcome_counts c WHERE c.batch_id = b.id AND c.result = 'duplicate'),
	(SELECT coalesce(sum(c.n), 0) FROM outcome_counts c WHERE c.batch_id = b.id AND c.result = 'conflict'),
	(SELECT coalesce(sum(c.n), 0) FROM outcome_counts c WHERE c.batch_id = b.id AND c.result = 'rejected'),
	(SELECT count(*) FROM review r WHERE r.batch_id = b.id AND r.resolved_at IS NULL),
	(SELECT count(*) FROM review r WHERE r.batch_id = b.id AND r.resolved_at IS NOT NULL)`

func scanInbox(sc interface{ Scan(...any) error }) (wire.InboxBatch, error) {
	var b wire.InboxBatch
	var received, clock, flags string
	err := sc.Scan(&b.ID, &b.DeviceID, &b.DeviceName, &b.Office, &b.Province, &b.Source, &received, &clock, &b.Records, &flags,
		&b.Counts.Accepted, &b.Counts.Duplicate, &b.Counts.Conflict, &b.Counts.Rejected, &b.OpenReview, &b.Resolved)
	b.ReceivedAt, b.DeviceClock = sqlitex.ParseStamp(received), sqlitex.ParseStamp(clock)
	b.Flags = []string{}
	if flags != "" {
		b.Flags = strings.Split(flags, ",")
	}
	return b, err
}

// provinceFilter resolves a province typed in a filter to its INDEC code.
func provinceFilter(p string) (string, error) {
	if strings.TrimSpace(p) == "" {
		return "", nil
	}
	prov, ok := geo.FindProvince(p)
	if !ok {
		return "", &domain.Error{Code: wire.CodeBadRequest,
			Text: fmt.Sprintf("No se reconoce la provincia %q: elegila de la lista.", p)}
	}
	return prov.ID, nil
}

// where collects the conditions and arguments of a query.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

func (w *where) sql() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// scoped adds the scope's and a filter's province conditions on the
// province ID column col. A filter outside the scope matches nothing.
func (w *where) scoped(col string, scope wire.StaffScope, filter string) error {
	id, err := provinceFilter(filter)
	if err != nil {
		return err
	}
	if !scope.All() {
		w.add(col+" = ?", scope.ProvinceID)
	}
	if id != "" {
		w.add(col+" = ?", id)
	}
	return nil
}

// Inbox returns a page of received batches; see server.StaffStore.
func (s *Store) Inbox(ctx context.Context, q wire.InboxQuery, scope wire.StaffScope) (wire.InboxPage, error) {
	limit := pageLimit(q.Limit)
	var w where
	if err := w.scoped("d.province_id", scope, q.Province); err != nil {
		return wire.InboxPage{}, err
	}
	if q.Office != "" {
		w.add("d.office = ?", q.Office)
	}
	if q.Flag != "" {
		w.add("(',' || b.flags || ',') LIKE ?", "%,"+q.Flag+",%")
	}
	if q.Open {
		w.add("EXISTS (SELECT 1 FROM review r WHERE r.batch_id = b.id AND r.resolved_at IS NULL)")
	}
	if q.Cursor != "" {
		at, id, err := decodeCursor(q.Cursor)
		if err != nil {
			return wire.InboxPage{}, err
		}
		w.add("(b.received_at < ? OR (b.received_at = ? AND b.id < ?))", at, at, id)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+inboxCols+` FROM batches b JOIN devices d ON d.id = b.device_id`+w.sql()+
		` ORDER BY b.received_at DESC, b.id DESC LIMIT ?`, append(w.args, limit+1)...)
	if err != nil {
		return wire.InboxPage{}, fmt.Errorf("inbox: %w", err)
	}
	defer rows.Close()
	p := wire.InboxPage{Protocol: wire.Protocol, Batches: []wire.InboxBatch{}}
	for rows.Next() {
		b, err := scanInbox(rows)
		if err != nil {
			return p, err
		}
		if len(p.Batches) == limit {
			last := p.Batches[limit-1]
			p.Next = encodeCursor(sqlitex.Stamp(last.ReceivedAt), last.ID)
			break
		}
		p.Batches = append(p.Batches, b)
	}
	return p, rows.Err()
}

// recordCols are the columns of a record row: the outcome, its review
// item and decision, and what the summary needs of the stored record.
const recordCols = `r.seq, r.message, r.content, rd.decision,
	p.surname, p.given_names, p.dni, s.date, s.municipality, act.title`

// recordJoins join a record's review item (r must be joined first, or be
// the driving table), stored attendance, session, activity and person.
// They need o.kind and o.record_id, or the same names from r.
const recordJoins = `
	LEFT JOIN review_decisions rd ON rd.review_seq = r.seq
	LEFT JOIN attendances a ON %[1]s.kind = 'attendance' AND a.id = %[1]s.record_id
	LEFT JOIN sessions s ON s.id = CASE %[1]s.kind WHEN 'session' THEN %[1]s.record_id WHEN 'attendance' THEN a.session_id END
	LEFT JOIN activities act ON act.code = s.activity_code
	LEFT JOIN people p ON p.dni = CASE %[1]s.kind WHEN 'attendance' THEN a.dni WHEN 'person' THEN %[1]s.record_id END`

// recordRow is a scanned record row.
type recordRow struct {
	rec                                       wire.StaffRecord
	seq                                       sql.NullInt64
	message, content, decision                sql.NullString
	surname, given, dni, date, muni, activity sql.NullString
}

func (rr *recordRow) dest() []any {
	return []any{&rr.seq, &rr.message, &rr.content, &rr.decision, &rr.surname, &rr.given, &rr.dni, &rr.date, &rr.muni, &rr.activity}
}

// visible reports whether scope sees the row's record.
func (rr *recordRow) visible(ctx context.Context, q queryer, scope wire.StaffScope) (bool, error) {
	var content []byte
	if rr.content.Valid {
		content = []byte(rr.content.String)
	}
	return recordVisible(ctx, q, scope, rr.rec.Kind, rr.rec.ID, content, rr.rec.Province)
}

// finish fills the record's review fields and summary.
func (rr *recordRow) finish() wire.StaffRecord {
	r := rr.rec
	if rr.seq.Valid {
		r.ReviewID = rr.seq.Int64
		r.Message = rr.message.String
		r.Resolution = rr.decision.String
	}
	var in map[string]any
	if rr.content.Valid {
		json.Unmarshal([]byte(rr.content.String), &in) // kept records are always JSON objects
	}
	field := func(k string) string {
		v, _ := in[k].(string)
		return v
	}
	name := func(surname, given, dni string) string {
		n := domain.Person{Surname: surname, GivenNames: given}.FullName()
		switch {
		case n == "" && dni == "":
			return ""
		case n == "":
			return "DNI " + domain.FormatDNI(dni)
		case dni == "":
			return n
		}
		return n + " (DNI " + domain.FormatDNI(dni) + ")"
	}
	session := func(title, code, date, muni string) string {
		if title == "" {
			title = code
		}
		parts := []string{}
		for _, p := range []string{title, dayText(date), muni} {
			if p != "" {
				parts = append(parts, p)
			}
		}
		return strings.Join(parts, " — ")
	}
	switch r.Kind {
	case wire.KindAttendance:
		who := name(rr.surname.String, rr.given.String, rr.dni.String)
		if who == "" {
			who = name("", "", field("dni"))
		}
		what := session(rr.activity.String, "", rr.date.String, rr.muni.String)
		if what == "" && field("session") != "" {
			what = "sesión " + short(field("session"))
		}
		r.Summary = strings.Trim(who+" — "+what, " —")
	case wire.KindSession:
		r.Summary = session(rr.activity.String, "", rr.date.String, rr.muni.String)
		if r.Summary == "" {
			r.Summary = session("", field("activity"), field("date"), field("municipality"))
		}
	case wire.KindPerson:
		if rr.content.Valid {
			r.Summary = name(field("surname"), field("given_names"), field("dni"))
		} else {
			r.Summary = name(rr.surname.String, rr.given.String, rr.dni.String)
		}
	case wire.KindCertificate:
		r.Summary = "Certificado " + r.ID
	case wire.KindSurvey:
		r.Summary = "Encuesta de la sesión " + r.ID
	}
	return r
}

// dayText writes a YYYY-MM-DD date as DD/MM/YYYY.
func dayText(d string) string {
	t, err := time.Parse("2006-01-02", d)
	if err != nil {
		return d
	}
	return t.Format("02/01/2006")
}

// short abbreviates a record ID for a summary.
func short(id string) string {
	if len(id) > 13 {
		return id[:13] + "…"
	}
	return id
}

// BatchDetail returns a batch with its records; see server.StaffStore.
func (s *Store) BatchDetail(ctx context.Context, id string, scope wire.StaffScope) (wire.BatchDetail, error) {
	var w where
	w.add("b.id = ?", id)
	if err := w.scoped("d.province_id", scope, ""); err != nil {
		return wire.BatchDetail{}, err
	}
	b, err := scanInbox(s.db.QueryRowContext(ctx, `SELECT `+inboxCols+` FROM batches b JOIN devices d ON d.id = b.device_id`+w.sql(), w.args...))
	if err != nil {
		return wire.BatchDetail{}, noRows(err, "batch")
	}
	rows, err := s.db.QueryContext(ctx, `SELECT o.n, o.kind, o.record_id, o.result, o.code, `+recordCols+`
		FROM outcomes o
		LEFT JOIN review r ON r.seq = (SELECT min(x.seq) FROM review x WHERE x.batch_id = o.batch_id AND x.kind = o.kind AND x.record_id = o.record_id)`+
		fmt.Sprintf(recordJoins, "o")+`
		WHERE o.batch_id = ? ORDER BY o.n`, id)
	if err != nil {
		return wire.BatchDetail{}, fmt.Errorf("batch detail: %w", err)
	}
	defer rows.Close()
	d := wire.BatchDetail{Protocol: wire.Protocol, Batch: b, Records: []wire.StaffRecord{}}
	var all []recordRow
	for rows.Next() {
		rr := recordRow{rec: wire.StaffRecord{BatchID: b.ID, ReceivedAt: b.ReceivedAt, DeviceName: b.DeviceName, Office: b.Office, Province: b.Province}}
		if err := rows.Scan(append([]any{&rr.rec.N, &rr.rec.Kind, &rr.rec.ID, &rr.rec.Result, &rr.rec.Code}, rr.dest()...)...); err != nil {
			return d, err
		}
		all = append(all, rr)
	}
	if err := rows.Err(); err != nil {
		return d, err
	}
	rows.Close()
	// The batch is the device's; each of its records shows only to those
	// whose scope covers it.
	for _, rr := range all {
		if ok, err := rr.visible(ctx, s.db, scope); err != nil {
			return d, err
		} else if ok {
			d.Records = append(d.Records, rr.finish())
		}
	}
	return d, nil
}

// dayBounds returns the UTC stamps of the start of the day after a
// YYYY-MM-DD date (Argentina), or of its start when next is false.
func dayBound(date string, next bool) (string, error) {
	t, err := time.ParseInLocation("2006-01-02", date, argentina)
	if err != nil {
		return "", &domain.Error{Code: wire.CodeBadRequest, Text: fmt.Sprintf("La fecha %q no es válida: usá AAAA-MM-DD.", date)}
	}
	if next {
		t = t.AddDate(0, 0, 1)
	}
	return sqlitex.Stamp(t), nil
}

// recordFilter is the WHERE clause of a records query whose outcome table
// has the alias t: scope and the query's filters. The scope condition
// narrows the rows to those sent from the province, whose stored session
// or person is there, or whose kept version names it; recordVisible then
// decides each row by its record. The province filter is the sending
// device's.
func recordFilter(q wire.RecordQuery, scope wire.StaffScope, t string) (where, error) {
	var w where
	if !scope.All() {
		w.add("(d.province_id = ? OR s.province = ? OR p.province_id = ? OR r.content ->> 'province' = ?)",
			scope.ProvinceID, scope.Province, scope.ProvinceID, scope.Province)
	}
	if err := w.scoped("d.province_id", wire.StaffScope{}, q.Province); err != nil {
		return w, err
	}
	if q.Result != "" {
		w.add(t+".result = ?", q.Result)
	}
	if q.Kind != "" {
		w.add(t+".kind = ?", q.Kind)
	}
	if q.Office != "" {
		w.add("d.office = ?", q.Office)
	}
	if q.From != "" {
		v, err := dayBound(q.From, false)
		if err != nil {
			return w, err
		}
		w.add("b.received_at >= ?", v)
	}
	if q.To != "" {
		v, err := dayBound(q.To, true)
		if err != nil {
			return w, err
		}
		w.add("b.received_at < ?", v)
	}
	if q.Open {
		w.add("r.resolved_at IS NULL")
	}
	return w, nil
}

// Records returns a page of records of every batch; see server.StaffStore.
// Conflicts and rejections are read from the review table, which holds
// only them; other results from the outcomes of each batch.
func (s *Store) Records(ctx context.Context, q wire.RecordQuery, scope wire.StaffScope) (wire.RecordPage, error) {
	limit := pageLimit(q.Limit)
	switch q.Result {
	case "", wire.Accepted, wire.Duplicate, wire.Conflict, wire.Rejected:
	default:
		return wire.RecordPage{}, &domain.Error{Code: wire.CodeBadRequest, Text: fmt.Sprintf("El resultado %q no existe: usá accepted, duplicate, conflict o rejected.", q.Result)}
	}
	// Rows are read a page at a time and each shows only if scope covers
	// its record; a scoped page with rows left out reads on from the last
	// row read until it is full or the rows run out.
	p := wire.RecordPage{Protocol: wire.Protocol, Records: []wire.StaffRecord{}}
	for cursor := q.Cursor; ; {
		rows, keys, err := s.recordPage(ctx, q, scope, cursor, limit+1)
		if err != nil {
			return p, err
		}
		for i, rr := range rows {
			if ok, err := rr.visible(ctx, s.db, scope); err != nil {
				return p, err
			} else if !ok {
				continue
			}
			if len(p.Records) == limit {
				p.Next = cursor
				return p, nil
			}
			p.Records = append(p.Records, rr.finish())
			cursor = keys[i]
		}
		if len(rows) <= limit {
			return p, nil
		}
		cursor = keys[len(keys)-1]
	}
}

// recordPage reads up to n rows of a records query after cursor, with
// the cursor of each row.
func (s *Store) recordPage(ctx context.Context, q wire.RecordQuery, scope wire.StaffScope, cursor string, n int) ([]recordRow, []string, error) {
	fromReview := q.Open || q.Result == wire.Conflict || q.Result == wire.Rejected
	t := "o"
	if fromReview {
		t = "r"
	}
	w, err := recordFilter(q, scope, t)
	if err != nil {
		return nil, nil, err
	}
	var query string
	if fromReview {
		if cursor != "" {
			at, seq, err := decodeCursor(cursor)
			if err != nil {
				return nil, nil, err
			}
			w.add("(r.received_at < ? OR (r.received_at = ? AND r.seq < ?))", at, at, seq)
		}
		query = `SELECT coalesce((SELECT o.n FROM outcomes o WHERE o.batch_id = r.batch_id AND o.kind = r.kind AND o.record_id = r.record_id LIMIT 1), -1),
			r.kind, r.record_id, r.result, r.code, b.id, b.received_at, d.name, d.office, d.province, ` + recordCols + `
			FROM review r JOIN batches b ON b.id = r.batch_id JOIN devices d ON d.id = b.device_id` +
			fmt.Sprintf(recordJoins, "r") + w.sql() + ` ORDER BY r.received_at DESC, r.seq DESC LIMIT ?`
	} else {
		if cursor != "" {
			at, key, err := decodeCursor(cursor)
			if err != nil {
				return nil, nil, err
			}
			id, n, _ := strings.Cut(key, "#")
			w.add("(b.received_at < ? OR (b.received_at = ? AND (b.id < ? OR (b.id = ? AND o.n > ?))))", at, at, id, id, n)
		}
		query = `SELECT o.n, o.kind, o.record_id, o.result, o.code, b.id, b.received_at, d.name, d.office, d.province, ` + recordCols + `
			FROM batches b JOIN devices d ON d.id = b.device_id JOIN outcomes o ON o.batch_id = b.id
			LEFT JOIN review r ON r.seq = (SELECT min(x.seq) FROM review x WHERE x.batch_id = o.batch_id AND x.kind = o.kind AND x.record_id = o.record_id)` +
			fmt.Sprintf(recordJoins, "o") + w.sql() + ` ORDER BY b.received_at DESC, b.id DESC, o.n LIMIT ?`
	}
	rows, err := s.db.QueryContext(ctx, query, append(w.args, n)...)
	if err != nil {
		return nil, nil, fmt.Errorf("records: %w", err)
	}
	defer rows.Close()
	var out []recordRow
	var keys []string
	for rows.Next() {
		var rr recordRow
		var received string
		dest := append([]any{&rr.rec.N, &rr.rec.Kind, &rr.rec.ID, &rr.rec.Result, &rr.rec.Code, &rr.rec.BatchID, &received,
			&rr.rec.DeviceName, &rr.rec.Office, &rr.rec.Province}, rr.dest()...)
		if err := rows.Scan(dest...); err != nil {
			return nil, nil, err
		}
		rr.rec.ReceivedAt = sqlitex.ParseStamp(received)
		out = append(out, rr)
		if fromReview {
			keys = append(keys, encodeCursor(received, strconv.FormatInt(rr.seq.Int64, 10)))
		} else {
			keys = append(keys, encodeCursor(received, rr.rec.BatchID+"#"+strconv.Itoa(rr.rec.N)))
		}
	}
	return out, keys, rows.Err()
}
