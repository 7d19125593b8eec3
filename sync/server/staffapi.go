package server

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/storage/geo"
	"github.com/puntos-ar/puntos/sync/wire"
)

// staffAPI is the staff endpoints of a registry Server.
type staffAPI struct {
	srv   *Server
	store StaffStore
}

// registerStaff adds the staff API (PathStaff*) to mux when the server's
// store implements StaffStore; NewServer calls it.
func registerStaff(s *Server, mux *http.ServeMux) {
	st, ok := s.store.(StaffStore)
	if !ok {
		return
	}
	a := &staffAPI{srv: s, store: st}
	routes := []struct {
		method, path, role string
		h                  staffHandler
	}{
		{"POST", wire.PathStaffLogout, wire.RoleViewer, a.logout},
		{"GET", wire.PathStaffMe, wire.RoleViewer, a.me},
		{"GET", wire.PathStaffBatches, wire.RoleViewer, a.inbox},
		{"GET", wire.PathStaffBatch, wire.RoleViewer, a.batch},
		{"GET", wire.PathStaffRecords, wire.RoleViewer, a.records},
		{"GET", wire.PathStaffReview, wire.RoleViewer, a.reviewItem},
		{"POST", wire.PathStaffReview, wire.RoleReviewer, a.resolve},
		{"GET", wire.PathStaffPeople, wire.RoleViewer, a.people},
		{"GET", wire.PathStaffLedger, wire.RoleViewer, a.ledger},
		{"POST", wire.PathStaffReverse, wire.RoleReviewer, a.reverse},
		{"POST", wire.PathStaffRevoke, wire.RoleReviewer, a.revoke},
		{"GET", wire.PathStaffCompliance, wire.RoleViewer, a.compliance},
		{"GET", wire.PathStaffCompliancePeople, wire.RoleViewer, a.compliancePeople},
		{"GET", wire.PathStaffImpact, wire.RoleViewer, a.impact},
		{"GET", wire.PathStaffDevices, wire.RoleViewer, a.devices},
		{"POST", wire.PathStaffEnrollments, wire.RoleAdmin, a.enroll},
		{"POST", wire.PathStaffDeviceRevoke, wire.RoleAdmin, a.revokeDevice},
		{"GET", wire.PathStaffAudit, wire.RoleAdmin, a.audit},
	}
	mux.HandleFunc("POST "+wire.PathStaffLogin, a.login)
	mux.HandleFunc(wire.PathStaffLogin, s.methodNotAllowed)
	seen := map[string]bool{wire.PathStaffLogin: true}
	for _, rt := range routes {
		mux.HandleFunc(rt.method+" "+rt.path, a.authed(rt.role, rt.h))
		if !seen[rt.path] {
			seen[rt.path] = true
			mux.HandleFunc(rt.path, s.methodNotAllowed)
		}
	}
}

// fail answers err: a *domain.Error the registry has no status for is a
// rule a person can act on (422, its own code and message); a missing
// record or one outside the account's province is 404 with what.
func (a *staffAPI) fail(w http.ResponseWriter, r *http.Request, err error, what string) {
	if e, ok := errors.AsType[*domain.Error](err); ok && codeStatus[e.Code] == 0 {
		var body wire.ErrorBody
		body.Error.Code, body.Error.Message = e.Code, domain.Message(e, "es")
		a.srv.sendJSON(w, r, http.StatusUnprocessableEntity, body)
		return
	}
	if errors.Is(err, domain.ErrNotFound) {
		if what == "" {
			what = "No existe o no está a tu alcance."
		}
		err = apiError(wire.CodeNotFound, what)
	}
	a.srv.fail(w, r, err)
}

// reply answers v, or err through fail with what.
func (a *staffAPI) reply(w http.ResponseWriter, r *http.Request, v any, err error, what string) {
	if err != nil {
		a.fail(w, r, err, what)
		return
	}
	a.srv.sendJSON(w, r, http.StatusOK, v)
}

// decode reads a small JSON body into v, answering the error itself.
func (a *staffAPI) decode(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := a.srv.decodeJSON(w, r, staffMaxBody, v); err != nil {
		a.srv.fail(w, r, err)
		return false
	}
	return true
}

// intParam reads an optional integer query parameter.
func intParam(r *http.Request, name string) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, apiError(wire.CodeBadRequest, "El parámetro "+name+" no es un número válido.")
	}
	return n, nil
}

func boolParam(r *http.Request, name string) bool {
	v := r.URL.Query().Get(name)
	return v == "1" || v == "true"
}

func (a *staffAPI) inbox(w http.ResponseWriter, r *http.Request, c staffCall) {
	q := r.URL.Query()
	limit, err := intParam(r, "limit")
	if err != nil {
		a.fail(w, r, err, "")
		return
	}
	page, err := a.store.Inbox(r.Context(), wire.InboxQuery{Province: q.Get("province"), Office: q.Get("office"), Flag: q.Get("flag"),
		Open: boolParam(r, "open"), Cursor: q.Get("cursor"), Limit: limit}, c.user.Scope())
	a.reply(w, r, page, err, "")
}

func (a *staffAPI) batch(w http.ResponseWriter, r *http.Request, c staffCall) {
	id := r.PathValue("id")
	infoOf(r).batch = id
	d, err := a.store.BatchDetail(r.Context(), id, c.user.Scope())
	if err != nil {
		a.fail(w, r, err, "El registro no tiene ese lote (o es de otra provincia).")
		return
	}
	infoOf(r).records = len(d.Records)
	a.srv.sendJSON(w, r, http.StatusOK, d)
}

func (a *staffAPI) records(w http.ResponseWriter, r *http.Request, c staffCall) {
	q := r.URL.Query()
	limit, err := intParam(r, "limit")
	if err != nil {
		a.fail(w, r, err, "")
		return
	}
	page, err := a.store.Records(r.Context(), wire.RecordQuery{Result: q.Get("result"), Kind: q.Get("kind"), Province: q.Get("province"),
		Office: q.Get("office"), From: q.Get("from"), To: q.Get("to"), Open: boolParam(r, "open"), Cursor: q.Get("cursor"), Limit: limit},
		c.user.Scope())
	a.reply(w, r, page, err, "")
}

// reviewID reads the {id} of a review path.
func reviewID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}

const reviewNotFound = "No hay ningún registro para revisar con ese número (o es de otra provincia)."

func (a *staffAPI) reviewItem(w http.ResponseWriter, r *http.Request, c staffCall) {
	id, ok := reviewID(r)
	if !ok {
		a.fail(w, r, domain.ErrNotFound, reviewNotFound)
		return
	}
	it, err := a.store.ReviewItem(r.Context(), id, c.user.Scope())
	a.reply(w, r, it, err, reviewNotFound)
}

func (a *staffAPI) resolve(w http.ResponseWriter, r *http.Request, c staffCall) {
	id, ok := reviewID(r)
	if !ok {
		a.fail(w, r, domain.ErrNotFound, reviewNotFound)
		return
	}
	var d wire.ReviewDecision
	if !a.decode(w, r, &d) {
		return
	}
	it, err := a.store.ResolveReview(r.Context(), id, d, c.user.Scope(), a.action(c, d.Reason))
	a.reply(w, r, it, err, reviewNotFound)
}

// year is the current calendar year in Argentina.
func (a *staffAPI) year() int { return wire.LocalDate(a.srv.now()).Year() }

func (a *staffAPI) people(w http.ResponseWriter, r *http.Request, c staffCall) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	limit, err := intParam(r, "limit")
	if err != nil {
		a.fail(w, r, err, "")
		return
	}
	if limit == 0 {
		limit = 50
	}
	people, err := a.store.FindPeople(r.Context(), q, a.year(), limit, c.user.Scope())
	if err != nil {
		a.fail(w, r, err, "")
		return
	}
	a.srv.sendJSON(w, r, http.StatusOK, wire.PeoplePage{Protocol: wire.Protocol, People: people})
}

func (a *staffAPI) ledger(w http.ResponseWriter, r *http.Request, c staffCall) {
	const missing = "No hay ninguna persona con ese DNI en el registro (o es de otra provincia)."
	dni, err := domain.NormalizeDNI(r.PathValue("dni"))
	if err != nil {
		a.fail(w, r, domain.ErrNotFound, missing)
		return
	}
	l, err := a.store.PersonLedger(r.Context(), dni, c.user.Scope())
	if err != nil {
		a.fail(w, r, err, missing)
		return
	}
	if err := a.srv.signStatements(&l); err != nil {
		a.srv.fail(w, r, err)
		return
	}
	// Who looked at whose points is kept: the ledger is personal data.
	if err := a.store.AppendAudit(r.Context(), wire.AuditEntry{At: a.srv.now(), Actor: c.user.Username, Action: wire.AuditLedgerView, Target: dni}); err != nil {
		a.srv.fail(w, r, err)
		return
	}
	a.srv.sendJSON(w, r, http.StatusOK, l)
}

func (a *staffAPI) reverse(w http.ResponseWriter, r *http.Request, c staffCall) {
	correct(a, w, r, c, "id", "No hay ningún asiento con ese número (o es de otra provincia).", parseEntryID, a.store.ReverseEntry)
}

func (a *staffAPI) revoke(w http.ResponseWriter, r *http.Request, c staffCall) {
	correct(a, w, r, c, "code", "No hay ningún certificado con ese código en el registro (o es de otra provincia).",
		domain.NormalizeCode, a.store.RevokeCertificateBy)
}

// parseEntryID reads the number of a ledger entry.
func parseEntryID(s string) (int64, error) { return strconv.ParseInt(s, 10, 64) }

// correct answers a correction with a reason (a ReasonRequest body) to
// the record whose key parse reads from the path value name; apply makes
// it in the account's scope. missing is the message when there is no such
// record, or the key cannot name one.
func correct[K, T any](a *staffAPI, w http.ResponseWriter, r *http.Request, c staffCall, name, missing string,
	parse func(string) (K, error), apply func(context.Context, K, wire.StaffScope, wire.StaffAction) (T, error)) {
	key, err := parse(r.PathValue(name))
	if err != nil {
		a.fail(w, r, domain.ErrNotFound, missing)
		return
	}
	var req wire.ReasonRequest
	if !a.decode(w, r, &req) {
		return
	}
	v, err := apply(r.Context(), key, c.user.Scope(), a.action(c, req.Reason))
	a.reply(w, r, v, err, missing)
}

// yearParam reads the {year} of a compliance or impact path.
func yearParam(r *http.Request) (int, error) {
	y, err := strconv.Atoi(r.PathValue("year"))
	if err != nil || y < 2000 || y > 2200 {
		return 0, apiError(wire.CodeBadRequest, "El año del informe no es válido: usá AAAA, por ejemplo 2026.")
	}
	return y, nil
}

func (a *staffAPI) compliance(w http.ResponseWriter, r *http.Request, c staffCall) {
	year, err := yearParam(r)
	if err != nil {
		a.fail(w, r, err, "")
		return
	}
	rep, err := a.store.Compliance(r.Context(), year, r.URL.Query().Get("province"), c.user.Scope())
	a.reply(w, r, rep, err, "Esa provincia está fuera del alcance de tu cuenta.")
}

func (a *staffAPI) impact(w http.ResponseWriter, r *http.Request, c staffCall) {
	year, err := yearParam(r)
	if err != nil {
		a.fail(w, r, err, "")
		return
	}
	im, err := a.store.Impact(r.Context(), year, r.URL.Query().Get("province"), c.user.Scope())
	a.reply(w, r, im, err, "Esa provincia está fuera del alcance de tu cuenta.")
}

// compliancePeople answers a page of the people under the required
// points (offset, limit up to StaffMaxPage), or all of them with all=1,
// streamed so a whole country's list never sits in memory as JSON.
func (a *staffAPI) compliancePeople(w http.ResponseWriter, r *http.Request, c staffCall) {
	year, err := yearParam(r)
	if err != nil {
		a.fail(w, r, err, "")
		return
	}
	qs := r.URL.Query()
	q := wire.CompliancePeopleQuery{Year: year, Province: qs.Get("province"), Agency: qs.Get("agency")}
	const outside = "Esa provincia está fuera del alcance de tu cuenta."
	if boolParam(r, "all") {
		a.streamCompliance(w, r, c, q)
		return
	}
	offset, err := intParam(r, "offset")
	if err != nil {
		a.fail(w, r, err, "")
		return
	}
	limit, err := intParam(r, "limit")
	if err != nil {
		a.fail(w, r, err, "")
		return
	}
	if limit == 0 {
		limit = wire.StaffDefaultPage
	}
	limit = min(limit, wire.StaffMaxPage)
	page := wire.CompliancePeoplePage{Protocol: wire.Protocol, People: []wire.CompliancePerson{}}
	i := 0
	total, err := a.store.CompliancePeople(r.Context(), q, c.user.Scope(), func(p wire.CompliancePerson) error {
		if i >= offset && i < offset+limit {
			page.People = append(page.People, p)
		}
		i++
		return nil
	})
	if err != nil {
		a.fail(w, r, err, outside)
		return
	}
	page.Total = total
	if offset+limit < total {
		page.Next = offset + limit
	}
	a.srv.sendJSON(w, r, http.StatusOK, page)
}

// streamCompliance writes every person under the required points as one
// CompliancePeoplePage, row by row. The export is audited.
func (a *staffAPI) streamCompliance(w http.ResponseWriter, r *http.Request, c staffCall, q wire.CompliancePeopleQuery) {
	detail := "año " + strconv.Itoa(q.Year)
	if q.Province != "" {
		detail += ", " + q.Province
	}
	if err := a.store.AppendAudit(r.Context(), wire.AuditEntry{At: a.srv.now(), Actor: c.user.Username, Action: wire.AuditCompliance, Detail: detail}); err != nil {
		a.srv.fail(w, r, err)
		return
	}
	// The first row is only written once the store has sorted them all,
	// so an error before it can still be answered properly.
	var out *json.Encoder
	var zw *gzip.Writer
	started := false
	start := func() {
		started = true
		h := w.Header()
		h.Set("Content-Type", "application/json")
		h.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r.Header.Get("Accept-Encoding")) {
			h.Set("Content-Encoding", "gzip")
			w.WriteHeader(http.StatusOK)
			zw, _ = gzip.NewWriterLevel(w, gzip.BestSpeed)
			out = json.NewEncoder(zw)
			return
		}
		w.WriteHeader(http.StatusOK)
		out = json.NewEncoder(w)
	}
	write := func(s string) {
		if zw != nil {
			zw.Write([]byte(s))
		} else {
			w.Write([]byte(s))
		}
	}
	n := 0
	total, err := a.store.CompliancePeople(r.Context(), q, c.user.Scope(), func(p wire.CompliancePerson) error {
		if !started {
			start()
			write(`{"protocol":"` + wire.Protocol + `","people":[`)
		}
		if n > 0 {
			write(",")
		}
		n++
		return out.Encode(p)
	})
	if err != nil && !started {
		a.fail(w, r, err, "Esa provincia está fuera del alcance de tu cuenta.")
		return
	}
	if err != nil {
		// Mid-stream: the body stays incomplete JSON, which the client
		// reports as an error.
		a.srv.log.ErrorContext(r.Context(), "compliance stream", "err", err)
		if zw != nil {
			zw.Close()
		}
		return
	}
	if !started {
		start()
		write(`{"protocol":"` + wire.Protocol + `","people":[`)
	}
	write(`],"total":` + strconv.Itoa(total) + `}`)
	if zw != nil {
		zw.Close()
	}
}

func (a *staffAPI) devices(w http.ResponseWriter, r *http.Request, c staffCall) {
	devs, err := a.store.StaffDevices(r.Context(), c.user.Scope())
	if err != nil {
		a.fail(w, r, err, "")
		return
	}
	a.srv.sendJSON(w, r, http.StatusOK, wire.DevicesPage{Protocol: wire.Protocol, Devices: devs})
}

func (a *staffAPI) enroll(w http.ResponseWriter, r *http.Request, c staffCall) {
	var req wire.EnrollmentRequest
	if !a.decode(w, r, &req) {
		return
	}
	if scope := c.user.Scope(); !scope.All() {
		if p, ok := geo.FindProvince(req.Province); ok && p.ID != scope.ProvinceID {
			a.fail(w, r, apiError(wire.CodeForbidden, "Solo podés crear códigos de alta para "+scope.Province+"."), "")
			return
		}
	}
	code, enr, err := NewEnrollment(req.Office, req.Province, a.srv.now())
	if err != nil {
		a.fail(w, r, err, "")
		return
	}
	if err := a.store.CreateEnrollmentBy(r.Context(), enr, a.action(c, "")); err != nil {
		a.fail(w, r, err, "")
		return
	}
	a.srv.sendJSON(w, r, http.StatusOK, wire.EnrollmentCreated{Protocol: wire.Protocol, Code: code, Office: enr.Office,
		Province: enr.Province, ExpiresAt: enr.ExpiresAt})
}

func (a *staffAPI) revokeDevice(w http.ResponseWriter, r *http.Request, c staffCall) {
	id := r.PathValue("id")
	var req wire.ReasonRequest
	if !a.decode(w, r, &req) {
		return
	}
	if strings.TrimSpace(req.Reason) == "" {
		a.fail(w, r, &domain.Error{Code: domain.CodeRequired, Field: "reason", Text: "Escribí el motivo de la baja del equipo."}, "")
		return
	}
	infoOf(r).device = id
	d, err := a.store.RevokeDeviceBy(r.Context(), id, c.user.Scope(), a.action(c, req.Reason))
	a.reply(w, r, d, err, "No hay ningún equipo con ese ID (o es de otra provincia).")
}

func (a *staffAPI) audit(w http.ResponseWriter, r *http.Request, c staffCall) {
	limit, err := intParam(r, "limit")
	if err != nil {
		a.fail(w, r, err, "")
		return
	}
	page, err := a.store.AuditLog(r.Context(), r.URL.Query().Get("cursor"), limit)
	a.reply(w, r, page, err, "")
}
