package device

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/puntos-ar/puntos/sync/wire"
)

// ErrStaffAuth matches a *StaffError that means the staff session is
// gone (missing, expired, ended or unknown): the person must log in again.
var ErrStaffAuth = errors.New("staff session not valid")

// StaffError is an answer of the staff API that is not a success, or a
// failure to reach it. Message is Spanish, for a person.
type StaffError struct {
	Status  int    // HTTP status; 0 when the registry could not be reached
	Code    string // the API's error code, or "network" / "not_registry"
	Message string
	Err     error // the underlying network or decoding error, if any
}

// Error returns the message for a person.
func (e *StaffError) Error() string { return e.Message }

// Unwrap returns the underlying error.
func (e *StaffError) Unwrap() error { return e.Err }

// Is reports whether target is ErrStaffAuth and the session is gone.
func (e *StaffError) Is(target error) bool {
	return target == ErrStaffAuth && e.Status == http.StatusUnauthorized && e.Code != wire.CodeLoginFailed
}

// StaffClient is the staff API's client, used by the app's Central
// workspace. It keeps the session of the last Login. Safe for concurrent
// use.
type StaffClient struct {
	base string
	hc   *http.Client

	mu      sync.Mutex
	session wire.StaffSession
}

// staffTimeout bounds one staff request; a full compliance export gets
// longer (staffExportTimeout).
const (
	staffTimeout       = 30 * time.Second
	staffExportTimeout = 10 * time.Minute
)

// NewStaffClient returns a client of the registry at registryURL (see
// NormalizeURL), using hc (a default client when nil).
func NewStaffClient(registryURL string, hc *http.Client) (*StaffClient, error) {
	base, err := NormalizeURL(registryURL)
	if err != nil {
		return nil, err
	}
	if hc == nil {
		hc = &http.Client{}
	}
	return &StaffClient{base: base, hc: hc}, nil
}

// URL returns the registry's base URL.
func (c *StaffClient) URL() string { return c.base }

// Session returns the current session (zero before Login).
func (c *StaffClient) Session() wire.StaffSession {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.session
}

func (c *StaffClient) token() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.session.Token
}

// call sends a request with the session's token and decodes a JSON answer
// into out (when not nil).
func (c *StaffClient) call(ctx context.Context, method, path string, query url.Values, in, out any) error {
	ctx, cancel := context.WithTimeout(ctx, staffTimeout)
	defer cancel()
	res, err := c.send(ctx, method, path, query, in)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, 256<<20))
	if err != nil {
		return c.netError(err)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(body, out); err != nil {
		return &StaffError{Status: res.StatusCode, Code: "not_registry", Err: err,
			Message: "La respuesta del registro llegó incompleta o dañada: probá de nuevo."}
	}
	return nil
}

// send sends a request and returns a successful answer, or the API's
// error as a *StaffError.
func (c *StaffClient) send(ctx context.Context, method, path string, query url.Values, in any) (*http.Response, error) {
	u := c.base + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return nil, err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return nil, err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if t := c.token(); t != "" {
		req.Header.Set("Authorization", "Bearer "+t)
	}
	res, err := c.hc.Do(req)
	if err != nil {
		return nil, c.netError(err)
	}
	if res.Header.Get(wire.HeaderProtocol) != wire.Protocol {
		res.Body.Close()
		return nil, &StaffError{Status: res.StatusCode, Code: "not_registry",
			Message: "La dirección " + c.base + " no responde como un registro de Puntos: revisá la URL."}
	}
	if res.StatusCode/100 == 2 {
		return res, nil
	}
	defer res.Body.Close()
	var eb wire.ErrorBody
	b, _ := io.ReadAll(io.LimitReader(res.Body, 64<<10))
	if json.Unmarshal(b, &eb) != nil || eb.Error.Message == "" {
		eb.Error.Code, eb.Error.Message = "http_"+strconv.Itoa(res.StatusCode), fmt.Sprintf("El registro respondió con un error (%d): probá de nuevo más tarde.", res.StatusCode)
	}
	return nil, &StaffError{Status: res.StatusCode, Code: eb.Error.Code, Message: eb.Error.Message}
}

func (c *StaffClient) netError(err error) error {
	return &StaffError{Code: "network", Err: err,
		Message: "No se pudo conectar con el registro en " + c.base + ": revisá la dirección y la conexión."}
}

// Login opens a session with a user name and password and keeps it for
// the calls that follow.
func (c *StaffClient) Login(ctx context.Context, username, password string) (wire.StaffSession, error) {
	var s wire.StaffSession
	c.mu.Lock()
	c.session = wire.StaffSession{}
	c.mu.Unlock()
	if err := c.call(ctx, http.MethodPost, wire.PathStaffLogin, nil, wire.StaffLoginRequest{Username: username, Password: password}, &s); err != nil {
		return s, err
	}
	c.mu.Lock()
	c.session = s
	c.mu.Unlock()
	return s, nil
}

// Logout ends the session on the registry and forgets it.
func (c *StaffClient) Logout(ctx context.Context) error {
	if c.token() == "" {
		return nil
	}
	err := c.call(ctx, http.MethodPost, wire.PathStaffLogout, nil, struct{}{}, nil)
	c.mu.Lock()
	c.session = wire.StaffSession{}
	c.mu.Unlock()
	if errors.Is(err, ErrStaffAuth) {
		return nil // gone already
	}
	return err
}

// staffPath fills a path pattern's {name} segments with escaped values.
func staffPath(pattern string, pairs ...string) string {
	for i := 0; i+1 < len(pairs); i += 2 {
		pattern = strings.Replace(pattern, "{"+pairs[i]+"}", url.PathEscape(pairs[i+1]), 1)
	}
	return pattern
}

// staffQuery builds a query from name/value pairs, leaving out empty values.
func staffQuery(pairs ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] != "" {
			v.Set(pairs[i], pairs[i+1])
		}
	}
	return v
}

func staffInt(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func staffFlag(b bool) string {
	if b {
		return "1"
	}
	return ""
}

// Inbox returns a page of received batches, newest first.
func (c *StaffClient) Inbox(ctx context.Context, q wire.InboxQuery) (wire.InboxPage, error) {
	var p wire.InboxPage
	err := c.call(ctx, http.MethodGet, wire.PathStaffBatches, staffQuery("province", q.Province, "office", q.Office, "flag", q.Flag,
		"open", staffFlag(q.Open), "cursor", q.Cursor, "limit", staffInt(q.Limit)), nil, &p)
	return p, err
}

// Batch returns a batch with its records.
func (c *StaffClient) Batch(ctx context.Context, id string) (wire.BatchDetail, error) {
	var d wire.BatchDetail
	err := c.call(ctx, http.MethodGet, staffPath(wire.PathStaffBatch, "id", id), nil, nil, &d)
	return d, err
}

// Records returns a page of records of every batch, newest first.
func (c *StaffClient) Records(ctx context.Context, q wire.RecordQuery) (wire.RecordPage, error) {
	var p wire.RecordPage
	err := c.call(ctx, http.MethodGet, wire.PathStaffRecords, staffQuery("result", q.Result, "kind", q.Kind, "province", q.Province,
		"office", q.Office, "from", q.From, "to", q.To, "open", staffFlag(q.Open), "cursor", q.Cursor, "limit", staffInt(q.Limit)), nil, &p)
	return p, err
}

// Review returns a conflicting or rejected record with both versions.
func (c *StaffClient) Review(ctx context.Context, id int64) (wire.ReviewItem, error) {
	var it wire.ReviewItem
	err := c.call(ctx, http.MethodGet, staffPath(wire.PathStaffReview, "id", strconv.FormatInt(id, 10)), nil, nil, &it)
	return it, err
}

// Resolve accepts or rejects a review item.
func (c *StaffClient) Resolve(ctx context.Context, id int64, d wire.ReviewDecision) (wire.ReviewItem, error) {
	var it wire.ReviewItem
	err := c.call(ctx, http.MethodPost, staffPath(wire.PathStaffReview, "id", strconv.FormatInt(id, 10)), nil, d, &it)
	return it, err
}

// FindPeople finds people by DNI, CUIL or name (accent-insensitive).
func (c *StaffClient) FindPeople(ctx context.Context, q string) ([]wire.StaffPerson, error) {
	var p wire.PeoplePage
	err := c.call(ctx, http.MethodGet, wire.PathStaffPeople, staffQuery("q", q), nil, &p)
	return p.People, err
}

// Ledger returns a person's ledger by year and their certificates.
func (c *StaffClient) Ledger(ctx context.Context, dni string) (wire.PersonLedger, error) {
	var l wire.PersonLedger
	err := c.call(ctx, http.MethodGet, staffPath(wire.PathStaffLedger, "dni", dni), nil, nil, &l)
	return l, err
}

// Reverse appends the reversal of a ledger credit.
func (c *StaffClient) Reverse(ctx context.Context, entryID int64, reason string) (wire.LedgerLine, error) {
	var l wire.LedgerLine
	err := c.call(ctx, http.MethodPost, staffPath(wire.PathStaffReverse, "id", strconv.FormatInt(entryID, 10)), nil, wire.ReasonRequest{Reason: reason}, &l)
	return l, err
}

// Certificate returns what the public verification says of a code.
func (c *StaffClient) Certificate(ctx context.Context, code string) (wire.CertificateCheck, error) {
	var cc wire.CertificateCheck
	err := c.call(ctx, http.MethodGet, staffPath(wire.PathCertificate, "code", code), nil, nil, &cc)
	return cc, err
}

// RevokeCertificate revokes a certificate for reason.
func (c *StaffClient) RevokeCertificate(ctx context.Context, code, reason string) (wire.CertificateCheck, error) {
	var cc wire.CertificateCheck
	err := c.call(ctx, http.MethodPost, staffPath(wire.PathStaffRevoke, "code", code), nil, wire.ReasonRequest{Reason: reason}, &cc)
	return cc, err
}

// Compliance returns a year's compliance report for a province (every
// province when empty).
func (c *StaffClient) Compliance(ctx context.Context, year int, province string) (wire.Compliance, error) {
	var rep wire.Compliance
	err := c.call(ctx, http.MethodGet, staffPath(wire.PathStaffCompliance, "year", strconv.Itoa(year)), staffQuery("province", province), nil, &rep)
	return rep, err
}

// Impact returns a year's impact view for a province (every province in
// the account's scope when empty).
func (c *StaffClient) Impact(ctx context.Context, year int, province string) (wire.Impact, error) {
	var im wire.Impact
	err := c.call(ctx, http.MethodGet, staffPath(wire.PathStaffImpact, "year", strconv.Itoa(year)), staffQuery("province", province), nil, &im)
	return im, err
}

// CompliancePeople returns a page of the people under the required
// points.
func (c *StaffClient) CompliancePeople(ctx context.Context, q wire.CompliancePeopleQuery, offset, limit int) (wire.CompliancePeoplePage, error) {
	var p wire.CompliancePeoplePage
	err := c.call(ctx, http.MethodGet, staffPath(wire.PathStaffCompliancePeople, "year", strconv.Itoa(q.Year)),
		staffQuery("province", q.Province, "agency", q.Agency, "offset", staffInt(offset), "limit", staffInt(limit)), nil, &p)
	return p, err
}

// AllCompliancePeople calls fn with every person under the required
// points, decoding the registry's stream as it arrives, and returns how
// many there were. An error from fn stops it.
func (c *StaffClient) AllCompliancePeople(ctx context.Context, q wire.CompliancePeopleQuery, fn func(wire.CompliancePerson) error) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, staffExportTimeout)
	defer cancel()
	res, err := c.send(ctx, http.MethodGet, staffPath(wire.PathStaffCompliancePeople, "year", strconv.Itoa(q.Year)),
		staffQuery("province", q.Province, "agency", q.Agency, "all", "1"), nil)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	bad := func(err error) error {
		return &StaffError{Status: res.StatusCode, Code: "not_registry", Err: err,
			Message: "El informe llegó incompleto desde el registro: probá de nuevo."}
	}
	dec := json.NewDecoder(res.Body)
	n, total := 0, -1
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return 0, bad(err)
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return n, bad(err)
		}
		switch t {
		case "people":
			if t, err := dec.Token(); err != nil || t != json.Delim('[') {
				return n, bad(err)
			}
			for dec.More() {
				var p wire.CompliancePerson
				if err := dec.Decode(&p); err != nil {
					return n, bad(err)
				}
				if err := fn(p); err != nil {
					return n, err
				}
				n++
			}
			if _, err := dec.Token(); err != nil {
				return n, bad(err)
			}
		case "total":
			if err := dec.Decode(&total); err != nil {
				return n, bad(err)
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return n, bad(err)
			}
		}
	}
	if total != n {
		return n, bad(fmt.Errorf("got %d people, total says %d", n, total))
	}
	return n, nil
}

// Devices returns the enrolled devices.
func (c *StaffClient) Devices(ctx context.Context) ([]wire.EnrolledDevice, error) {
	var p wire.DevicesPage
	err := c.call(ctx, http.MethodGet, wire.PathStaffDevices, nil, nil, &p)
	return p.Devices, err
}

// CreateEnrollment makes a one-time enrollment code for an office.
func (c *StaffClient) CreateEnrollment(ctx context.Context, office, province string) (wire.EnrollmentCreated, error) {
	var e wire.EnrollmentCreated
	err := c.call(ctx, http.MethodPost, wire.PathStaffEnrollments, nil, wire.EnrollmentRequest{Office: office, Province: province}, &e)
	return e, err
}

// RevokeDevice revokes a device by its ID, for reason.
func (c *StaffClient) RevokeDevice(ctx context.Context, id, reason string) (wire.EnrolledDevice, error) {
	var d wire.EnrolledDevice
	err := c.call(ctx, http.MethodPost, staffPath(wire.PathStaffDeviceRevoke, "id", id), nil, wire.ReasonRequest{Reason: reason}, &d)
	return d, err
}

// Audit returns a page of the audit log, newest first.
func (c *StaffClient) Audit(ctx context.Context, cursor string) (wire.AuditPage, error) {
	var p wire.AuditPage
	err := c.call(ctx, http.MethodGet, wire.PathStaffAudit, staffQuery("cursor", cursor), nil, &p)
	return p, err
}
