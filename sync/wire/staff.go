package wire

import (
	"encoding/json"
	"time"

	"github.com/puntos-ar/puntos/storage/domain"
)

// Staff API paths: the central staff's workspace, under the same versioned
// API as the devices' and with the same error shape (ErrorBody). Every
// path but PathStaffLogin needs "Authorization: Bearer" with a staff
// session token; a device token is refused (CodeStaffOnly).
const (
	PathStaffLogin            = "/api/v1/staff/login"
	PathStaffLogout           = "/api/v1/staff/logout"
	PathStaffMe               = "/api/v1/staff/me"
	PathStaffBatches          = "/api/v1/staff/batches"
	PathStaffBatch            = "/api/v1/staff/batches/{id}"
	PathStaffRecords          = "/api/v1/staff/records"
	PathStaffReview           = "/api/v1/staff/review/{id}"
	PathStaffPeople           = "/api/v1/staff/people"
	PathStaffLedger           = "/api/v1/staff/people/{dni}/ledger"
	PathStaffReverse          = "/api/v1/staff/ledger/{id}/reverse"
	PathStaffRevoke           = "/api/v1/staff/certificates/{code}/revoke"
	PathStaffCompliance       = "/api/v1/staff/compliance/{year}"
	PathStaffCompliancePeople = "/api/v1/staff/compliance/{year}/people"
	PathStaffDevices          = "/api/v1/staff/devices"
	PathStaffDeviceRevoke     = "/api/v1/staff/devices/{id}/revoke"
	PathStaffEnrollments      = "/api/v1/staff/enrollments"
	PathStaffAudit            = "/api/v1/staff/audit"
)

// Error codes of the staff API, besides the registry's (CodeTokenMissing,
// CodeBadRequest, CodeTooManyAttempts…).
const (
	CodeLoginFailed     = "login_failed"     // 401: wrong user name or password
	CodeSessionExpired  = "session_expired"  // 401: log in again
	CodeSessionUnknown  = "session_unknown"  // 401: not a staff session (or logged out)
	CodeAccountDisabled = "account_disabled" // 403: the staff account was disabled
	CodeStaffOnly       = "staff_only"       // 403: a device token on a staff endpoint
	CodeForbidden       = "forbidden"        // 403: the account's role does not allow it
	CodeOutOfScope      = "out_of_scope"     // 403: the change would touch a province outside the account's
	CodeReviewResolved  = "review_resolved"  // 409: the record was resolved already
	CodeInvalidRecord   = "invalid_record"   // 422: a corrected record or a field breaks a rule
)

// Staff roles, from most to least able. A reviewer resolves records,
// revokes certificates and reverses ledger entries; an admin also manages
// devices and reads the audit log; a viewer only looks.
const (
	RoleAdmin    = "admin"
	RoleReviewer = "reviewer"
	RoleViewer   = "viewer"
)

// StaffSessionTTL is how long a staff session lasts from login.
const StaffSessionTTL = 8 * time.Hour

// Staff password rules.
const (
	MinPasswordLen = 10 // characters
	MaxPasswordLen = 72 // bytes (bcrypt's limit)
)

// Page sizes of the staff lists.
const (
	StaffDefaultPage = 50
	StaffMaxPage     = 1000
)

// StaffSessionRecord is a staff session as the registry keeps it.
type StaffSessionRecord struct {
	TokenHash []byte
	Username  string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// StaffAction is who does a change, when and why, for the audit log.
type StaffAction struct {
	Actor  string
	Reason string
	At     time.Time
}

// StaffUser is a staff account as the API shows it (never its password).
type StaffUser struct {
	Username    string    `json:"username"`
	Name        string    `json:"name,omitempty"`
	Role        string    `json:"role"`
	Province    string    `json:"province,omitempty"`    // the only province the account sees; empty: all
	ProvinceID  string    `json:"province_id,omitempty"` // its INDEC code
	CreatedAt   time.Time `json:"created_at"`
	DisabledAt  time.Time `json:"disabled_at,omitzero"`
	LastLoginAt time.Time `json:"last_login_at,omitzero"`
}

// Disabled reports whether the account was disabled.
func (u StaffUser) Disabled() bool { return !u.DisabledAt.IsZero() }

// Can reports whether the account's role allows an action that needs role
// (RoleViewer for reading, RoleReviewer for changes, RoleAdmin for
// devices and the audit log).
func (u StaffUser) Can(role string) bool {
	return roleRank[u.Role] >= roleRank[role] && roleRank[role] > 0
}

var roleRank = map[string]int{RoleViewer: 1, RoleReviewer: 2, RoleAdmin: 3}

// ValidRole reports whether role is one of the staff roles.
func ValidRole(role string) bool { return roleRank[role] > 0 }

// Scope returns the account's province scope.
func (u StaffUser) Scope() StaffScope {
	return StaffScope{Province: u.Province, ProvinceID: u.ProvinceID}
}

// StaffScope limits what an account sees and decides to one province: the
// province of each record (a session's; an attendance's or a
// certificate's session's; a person's), before and after a change, and
// the sending device's only for a record whose province the registry
// cannot tell, and for batches as a whole. The zero value sees
// everything.
type StaffScope struct {
	Province   string // official name, as geo.FindProvince gives it
	ProvinceID string // INDEC code
}

// All reports whether the scope has no limit.
func (s StaffScope) All() bool { return s.ProvinceID == "" }

// Covers reports whether the scope reaches the province with INDEC code
// provinceID ("" for none: only an unlimited scope reaches it).
func (s StaffScope) Covers(provinceID string) bool { return s.All() || provinceID == s.ProvinceID }

// StaffLoginRequest logs a staff member in.
type StaffLoginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// StaffSession is the answer to a login: the token to send as
// "Authorization: Bearer" until ExpiresAt. The registry keeps only its hash.
type StaffSession struct {
	Protocol  string    `json:"protocol"`
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
	User      StaffUser `json:"user"`
}

// StaffCounts are a batch's records by outcome.
type StaffCounts struct {
	Accepted  int `json:"accepted"`
	Duplicate int `json:"duplicate"`
	Conflict  int `json:"conflict"`
	Rejected  int `json:"rejected"`
}

// InboxBatch is a received batch as the inbox lists it.
type InboxBatch struct {
	ID          string      `json:"id"`
	DeviceID    string      `json:"device_id"`
	DeviceName  string      `json:"device_name"`
	Office      string      `json:"office"`
	Province    string      `json:"province"`
	Source      string      `json:"source"` // SourceHTTP or SourceUSB
	ReceivedAt  time.Time   `json:"received_at"`
	DeviceClock time.Time   `json:"device_clock"`
	Records     int         `json:"records"`
	Counts      StaffCounts `json:"counts"`
	Flags       []string    `json:"flags"`       // FlagClockSkew, FlagLateReport, FlagFutureSession
	OpenReview  int         `json:"open_review"` // conflicts and rejections not resolved yet
	Resolved    int         `json:"resolved"`    // conflicts and rejections resolved by central staff
}

// InboxQuery filters and pages the inbox, newest batch first.
type InboxQuery struct {
	Province string `json:"province,omitempty"` // any spelling geo.FindProvince knows
	Office   string `json:"office,omitempty"`
	Flag     string `json:"flag,omitempty"`
	Open     bool   `json:"open,omitempty"`   // only batches with records to review
	Cursor   string `json:"cursor,omitempty"` // Next of the previous page
	Limit    int    `json:"limit,omitempty"`
}

// InboxPage is one page of the inbox.
type InboxPage struct {
	Protocol string       `json:"protocol"`
	Batches  []InboxBatch `json:"batches"`
	Next     string       `json:"next,omitempty"` // cursor of the next page; empty on the last
}

// StaffRecord is one record of a batch with its outcome, as staff see it.
type StaffRecord struct {
	BatchID    string    `json:"batch_id"`
	N          int       `json:"n"` // position in the batch's receipt
	Kind       string    `json:"kind"`
	ID         string    `json:"id"`
	Result     string    `json:"result"`
	Code       string    `json:"code,omitempty"`
	Message    string    `json:"message,omitempty"`
	Summary    string    `json:"summary"` // who and what, in a few words
	ReceivedAt time.Time `json:"received_at"`
	DeviceName string    `json:"device_name"`
	Office     string    `json:"office"`
	Province   string    `json:"province"`
	ReviewID   int64     `json:"review_id,omitempty"`  // for a conflict or a rejection
	Resolution string    `json:"resolution,omitempty"` // DecisionAccept or DecisionReject once resolved
}

// BatchDetail is a batch with its records in receipt order.
type BatchDetail struct {
	Protocol string        `json:"protocol"`
	Batch    InboxBatch    `json:"batch"`
	Records  []StaffRecord `json:"records"`
}

// RecordQuery filters and pages the records of every batch, newest first.
type RecordQuery struct {
	Result   string `json:"result,omitempty"` // Accepted, Duplicate, Conflict or Rejected
	Kind     string `json:"kind,omitempty"`
	Province string `json:"province,omitempty"` // of the device that sent it
	Office   string `json:"office,omitempty"`
	From     string `json:"from,omitempty"` // received on or after, YYYY-MM-DD (Argentina)
	To       string `json:"to,omitempty"`   // received on or before, YYYY-MM-DD
	Open     bool   `json:"open,omitempty"` // only conflicts and rejections not resolved yet
	Cursor   string `json:"cursor,omitempty"`
	Limit    int    `json:"limit,omitempty"`
}

// RecordPage is one page of records.
type RecordPage struct {
	Protocol string        `json:"protocol"`
	Records  []StaffRecord `json:"records"`
	Next     string        `json:"next,omitempty"`
}

// ReviewItem is a conflicting or rejected record kept for staff: the
// version that arrived and, for a conflict, the one the registry keeps.
type ReviewItem struct {
	Protocol   string          `json:"protocol"`
	ID         int64           `json:"id"`
	Kind       string          `json:"kind"`
	RecordID   string          `json:"record_id"`
	Result     string          `json:"result"` // Conflict or Rejected
	Code       string          `json:"code"`
	Message    string          `json:"message"`
	BatchID    string          `json:"batch_id"`
	DeviceID   string          `json:"device_id"`
	DeviceName string          `json:"device_name"`
	Office     string          `json:"office"`
	Province   string          `json:"province"`
	ReceivedAt time.Time       `json:"received_at"`
	Incoming   json.RawMessage `json:"incoming"`         // the record as it arrived (wire form)
	Stored     json.RawMessage `json:"stored,omitempty"` // for a conflict: the version the registry has
	// CanAccept tells whether DecisionAccept is possible: a rejection
	// (with corrections) or a conflict of content; a person marked twice
	// at a session or a certificate code clash can only be rejected.
	CanAccept  bool           `json:"can_accept"`
	Resolution *ReviewOutcome `json:"resolution,omitempty"`
}

// Review decisions.
const (
	DecisionAccept = "accept" // take the incoming (or corrected) version
	DecisionReject = "reject" // keep what the registry has; the record stays out
)

// ReviewDecision resolves a review item. For DecisionAccept, Record may
// carry a corrected version of the record (same wire form as Incoming);
// without it the incoming version is taken as it is. Reason is required.
type ReviewDecision struct {
	Decision string          `json:"decision"`
	Reason   string          `json:"reason"`
	Record   json.RawMessage `json:"record,omitempty"`
}

// ReviewOutcome is how a review item was resolved.
type ReviewOutcome struct {
	Decision string          `json:"decision"`
	Reason   string          `json:"reason"`
	Actor    string          `json:"actor"`
	At       time.Time       `json:"at"`
	Record   json.RawMessage `json:"record,omitempty"` // the version accepted
	// Ledger holds the entries the decision appended (credits, reversals).
	Ledger []LedgerLine `json:"ledger,omitempty"`
	// Cascaded counts records that waited for this one (an attendance of
	// a rejected session, a certificate of a rejected attendance) and were
	// accepted with it.
	Cascaded int `json:"cascaded,omitempty"`
}

// StaffPerson is a person found by DNI or name, with this year's points.
type StaffPerson struct {
	domain.Person
	Points int `json:"points"` // in the current calendar year
}

// PeoplePage is the answer of a people search.
type PeoplePage struct {
	Protocol string        `json:"protocol"`
	People   []StaffPerson `json:"people"`
}

// LedgerLine is a ledger entry with where it came from.
type LedgerLine struct {
	ID           int64     `json:"id"`
	DNI          string    `json:"dni"`
	Year         int       `json:"year"`
	Points       int       `json:"points"`
	Kind         string    `json:"kind"` // "credit" or "reversal"
	Reverses     int64     `json:"reverses,omitempty"`
	ReversedBy   int64     `json:"reversed_by,omitempty"` // the reversal of this credit, if any
	ActivityCode string    `json:"activity_code"`
	Activity     string    `json:"activity"`
	ActivityType string    `json:"activity_type,omitempty"`
	Hours        float64   `json:"hours,omitempty"`
	SessionID    string    `json:"session_id,omitempty"`
	SessionDate  string    `json:"session_date,omitempty"`
	Municipality string    `json:"municipality,omitempty"`
	Province     string    `json:"province,omitempty"` // of the session
	RuleVersion  string    `json:"rule_version"`
	Reason       string    `json:"reason,omitempty"`
	BatchID      string    `json:"batch_id,omitempty"`
	DeviceID     string    `json:"device_id,omitempty"`
	DeviceName   string    `json:"device_name,omitempty"`
	Office       string    `json:"office,omitempty"`
	Actor        string    `json:"actor,omitempty"` // the staff member, for entries made by staff
	CreatedAt    time.Time `json:"created_at"`
}

// LedgerYear is a person's entries of one calendar year with their total.
type LedgerYear struct {
	Year     int          `json:"year"`
	Points   int          `json:"points"`
	Required int          `json:"required"`
	Entries  []LedgerLine `json:"entries"`
	// Signed is the year's official statement (DNI, year, points) signed
	// with the registry's key as a compact JWS, for its QR; empty from a
	// registry without a key.
	Signed string `json:"signed,omitempty"`
}

// PersonLedger is a person's ledger, newest year first, and the
// certificates issued to them.
type PersonLedger struct {
	Protocol     string             `json:"protocol"`
	Person       domain.Person      `json:"person"`
	Years        []LedgerYear       `json:"years"`
	Certificates []CertificateCheck `json:"certificates"`
	// PublicURL is the registry's public address: a statement's QR holds
	// PublicURL + "/v/" + the year's Signed.
	PublicURL string `json:"public_url,omitempty"`
}

// ReasonRequest carries the reason of a revocation or a reversal.
type ReasonRequest struct {
	Reason string `json:"reason"`
}

// ComplianceGroup is the people of a province and agency.
type ComplianceGroup struct {
	Province string `json:"province"`
	Agency   string `json:"agency"`
	People   int    `json:"people"`
	Under    int    `json:"under"`  // with fewer than the required points
	Points   int    `json:"points"` // net points of the year
}

// CompliancePlace is what happened in a municipality in the year.
type CompliancePlace struct {
	Province     string `json:"province"`
	Municipality string `json:"municipality"`
	Sessions     int    `json:"sessions"`
	Attendees    int    `json:"attendees"` // attendances present or late
	Points       int    `json:"points"`    // net points credited for its sessions
}

// Compliance is the year's compliance report: people against the
// required points by province and agency, and activity per municipality.
type Compliance struct {
	Protocol    string            `json:"protocol"`
	Year        int               `json:"year"`
	Required    int               `json:"required"`
	Province    string            `json:"province,omitempty"` // the report's filter; empty: every province
	People      int               `json:"people"`
	Under       int               `json:"under"`
	Groups      []ComplianceGroup `json:"groups"` // by province, then agency
	Places      []CompliancePlace `json:"places"` // by province, then municipality
	GeneratedAt time.Time         `json:"generated_at"`
}

// CompliancePerson is a person under the required points.
type CompliancePerson struct {
	Province   string `json:"province"`
	Agency     string `json:"agency"`
	Surname    string `json:"surname"`
	GivenNames string `json:"given_names"`
	DNI        string `json:"dni"`
	CUIL       string `json:"cuil,omitempty"`
	Points     int    `json:"points"`
}

// CompliancePeopleQuery selects the people under the required points.
type CompliancePeopleQuery struct {
	Year     int
	Province string // empty: every province
	Agency   string // exact, with Province; empty: every agency
}

// CompliancePeoplePage is a page of people under the required points, by
// province, agency and name.
type CompliancePeoplePage struct {
	Protocol string             `json:"protocol"`
	People   []CompliancePerson `json:"people"`
	Total    int                `json:"total"`
	Next     int                `json:"next,omitempty"` // offset of the next page; 0 on the last
}

// DevicesPage lists the enrolled devices.
type DevicesPage struct {
	Protocol string           `json:"protocol"`
	Devices  []EnrolledDevice `json:"devices"`
}

// EnrollmentRequest asks for a one-time enrollment code.
type EnrollmentRequest struct {
	Office   string `json:"office"`
	Province string `json:"province"`
}

// EnrollmentCreated is a new one-time enrollment code, shown once.
type EnrollmentCreated struct {
	Protocol  string    `json:"protocol"`
	Code      string    `json:"code"`
	Office    string    `json:"office"`
	Province  string    `json:"province"`
	ExpiresAt time.Time `json:"expires_at"`
}

// AuditEntry is one line of the registry's append-only audit log.
type AuditEntry struct {
	ID     int64     `json:"id"`
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`  // a staff user name, or "consola" for the command line
	Action string    `json:"action"` // e.g. "review.accept", "certificate.revoke"
	Target string    `json:"target,omitempty"`
	Reason string    `json:"reason,omitempty"`
	Detail string    `json:"detail,omitempty"`
}

// AuditPage is one page of the audit log, newest first.
type AuditPage struct {
	Protocol string       `json:"protocol"`
	Entries  []AuditEntry `json:"entries"`
	Next     string       `json:"next,omitempty"`
}

// Audit actions.
const (
	AuditLogin         = "login"
	AuditLoginFailed   = "login.failed"
	AuditLogout        = "logout"
	AuditReviewAccept  = "review.accept"
	AuditReviewReject  = "review.reject"
	AuditReverse       = "ledger.reverse"
	AuditLedgerView    = "ledger.view"
	AuditRevoke        = "certificate.revoke"
	AuditCompliance    = "compliance.export"
	AuditEnroll        = "enrollment.create"
	AuditDeviceRevoke  = "device.revoke"
	AuditStaffAdd      = "staff.add"
	AuditStaffDisable  = "staff.disable"
	AuditStaffPassword = "staff.password"
)
