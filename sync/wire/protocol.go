// Package wire is the sync protocol between devices and the central points
// registry, defined once for both ends: protocol version, API paths,
// limits, records, batches, receipts, outcome, rejection and error codes,
// the ingest rules both ends apply, the types of the staff API, and the
// types the device and registry stores exchange with the sync code.
package wire

import (
	"crypto/sha256"
	"encoding/json"
	"time"

	"github.com/puntos-ar/puntos/storage/domain"
)

// Protocol names this version of the wire protocol. Every registry response
// carries it in HeaderProtocol, and every receipt and page in its body: a
// body without it (a captive portal's page, a proxy's error) is not an
// answer from a registry.
const Protocol = "puntos/1"

// HeaderProtocol is the response header that carries Protocol.
const HeaderProtocol = "Puntos-Protocol"

// API paths (method + path, as net/http patterns use them).
const (
	PathEnroll      = "/api/v1/enroll"
	PathCatalog     = "/api/v1/catalog"
	PathRoster      = "/api/v1/roster"
	PathBatches     = "/api/v1/batches"
	PathBatch       = "/api/v1/batches/{id}"
	PathCertificate = "/api/v1/certificates/{code}"
	PathVerify      = "/verify/{code}"
)

// CursorParam is the query parameter of PathCatalog and PathRoster that
// carries the cursor of the last page applied ("" or absent: from the
// start).
const CursorParam = "since"

// Limits of a batch: a device splits a larger backlog.
const (
	MaxBatchRecords = 1000
	MaxBatchBytes   = 1 << 20 // uncompressed JSON
)

// Outcome results, one per record of a batch.
const (
	Accepted  = "accepted"
	Duplicate = "duplicate" // same ID, same content: already had it
	Conflict  = "conflict"  // same ID, different content: kept for review
	Rejected  = "rejected"  // with a code and a message a person can act on
)

// Record kinds.
const (
	KindSession     = "session"
	KindAttendance  = "attendance"
	KindPerson      = "person"
	KindCertificate = "certificate"
	KindSurvey      = "survey"
)

// Error codes of ErrorBody. A client stops and asks a person to enroll
// again on the token codes and on the enrollment codes; it retries later on
// CodeTooManyAttempts, on any 5xx and on network errors; on
// CodeBatchConflict it sends the batch's records again under a new ID.
const (
	CodeTokenMissing    = "token_missing"     // 401: no "Authorization: Bearer" header
	CodeTokenUnknown    = "token_unknown"     // 401
	CodeTokenRevoked    = "token_revoked"     // 401: the device was revoked
	CodeEnrollUnknown   = "code_unknown"      // 403: no such enrollment code
	CodeEnrollUsed      = "code_used"         // 403: the code was used already
	CodeEnrollExpired   = "code_expired"      // 403: the code is older than 7 days
	CodeTooManyAttempts = "too_many_attempts" // 429: too many failed enrollments
	CodeBadRequest      = "bad_request"       // 400: malformed JSON, gzip, cursor or field
	CodeProtocolVersion = "protocol_version"  // 400: body protocol is not Protocol
	CodeBodyTooLarge    = "body_too_large"    // 413: body over its limit
	CodeBatchTooLarge   = "batch_too_large"   // 413: more than MaxBatchRecords records
	CodeEmptyBatch      = "empty_batch"       // 400: a batch without records
	CodeBatchConflict   = "batch_conflict"    // 409: a batch ID stored with other records
	CodeNotJSON         = "not_json"          // 415: a push body that is not application/json
	CodeBatchUnknown    = "batch_unknown"     // 404: GET of a batch never stored
	CodeKeyRegistered   = "key_registered"    // 409: the device has another signing key
	CodeCertUnknown     = "certificate_unknown"
	CodeNotFound        = "not_found"
	CodeInternal        = "internal" // 500
)

// ErrorBody is the one error shape of the API.
type ErrorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// EnrollRequest enrolls a device with a one-time code from central staff.
type EnrollRequest struct {
	Code       string `json:"code"`
	DeviceName string `json:"device_name"`
	// PublicKey is the device's Ed25519 signing key (raw 32 bytes,
	// base64url); devices before signed certificates leave it out.
	PublicKey string `json:"public_key,omitempty"`
}

// EnrollResponse gives the device its ID and token. The registry keeps only
// a hash of the token.
type EnrollResponse struct {
	Protocol string `json:"protocol"`
	DeviceID string `json:"device_id"`
	Token    string `json:"token"`
	Office   string `json:"office"`
	Province string `json:"province"`
	// PublicURL is the address people reach the registry at from their
	// phones (serve --public-url); certificates print it. Empty when the
	// registry has none.
	PublicURL string `json:"public_url,omitempty"`
	// Kid names the device's signing key in the registry's key set.
	Kid string `json:"kid,omitempty"`
}

// CatalogPage is one page of catalog changes since a cursor.
type CatalogPage struct {
	Protocol   string            `json:"protocol"`
	Activities []domain.Activity `json:"activities"`
	Next       string            `json:"next"` // cursor for the next request
	More       bool              `json:"more"`
	// PublicURL is as in EnrollResponse: devices learn it on every pull.
	PublicURL string `json:"public_url,omitempty"`
}

// RosterPage is one page of roster changes (the device's province) since a
// cursor.
type RosterPage struct {
	Protocol string          `json:"protocol"`
	People   []domain.Person `json:"people"`
	Next     string          `json:"next"`
	More     bool            `json:"more"`
}

// SessionRecord is a closed session as it travels.
type SessionRecord struct {
	ID           string    `json:"id"`
	ActivityCode string    `json:"activity"`
	Date         string    `json:"date"`
	Start        string    `json:"start,omitempty"`
	End          string    `json:"end,omitempty"`
	Province     string    `json:"province"`
	Municipality string    `json:"municipality"`
	Venue        string    `json:"venue,omitempty"`
	Instructor   string    `json:"instructor,omitempty"`
	Modality     string    `json:"modality"`
	ClosedAt     time.Time `json:"closed_at"`
	// Platform is the meeting platform of a virtual or hybrid session;
	// devices before online sessions leave it out.
	Platform string `json:"platform,omitempty"`
}

// AttendanceRecord is an attendance as it travels.
type AttendanceRecord struct {
	ID        string    `json:"id"`
	SessionID string    `json:"session"`
	DNI       string    `json:"dni"`
	Status    string    `json:"status"`
	Method    string    `json:"method"`
	At        time.Time `json:"at"`
	// Minutes are the connected minutes of an attendance taken from a
	// participants report; absent for one recorded in the room.
	Minutes *int `json:"minutes,omitempty"`
}

// PersonRecord is a walk-in (a person added at a session) as it travels.
type PersonRecord struct {
	DNI        string `json:"dni"`
	CUIL       string `json:"cuil,omitempty"`
	Surname    string `json:"surname"`
	GivenNames string `json:"given_names"`
	Agency     string `json:"agency,omitempty"`
	Email      string `json:"email,omitempty"`
	Province   string `json:"province,omitempty"`
	Sex        string `json:"sex,omitempty"`
	Birth      string `json:"birth,omitempty"`
}

// CertificateRecord is a certificate issued on the device for an attendance.
type CertificateRecord struct {
	Code         string    `json:"code"`
	AttendanceID string    `json:"attendance"`
	Kind         string    `json:"kind"`
	IssuedAt     time.Time `json:"issued_at"`
}

// SurveyRecord is a session's closed survey as it travels: the counts of
// answers per point, lowest first, and the comments in shuffled order. It
// names no person and no time. Devices before surveys never send one.
type SurveyRecord struct {
	SessionID string              `json:"session"`
	Value     domain.SurveyCounts `json:"value"`
	Use       domain.SurveyCounts `json:"use"`
	Comments  []string            `json:"comments,omitempty"`
}

// Batch is a set of records sent together. Its ID is written on the device
// before the first attempt and reused on every retry (idempotency key). An
// ID stands for one set of records (Digest): a registry that holds other
// records under it answers CodeBatchConflict, and the device then writes
// the records under a new ID before sending them again.
type Batch struct {
	Protocol     string              `json:"protocol"`
	ID           string              `json:"id"`
	DeviceClock  time.Time           `json:"device_clock"`
	People       []PersonRecord      `json:"people,omitempty"`
	Sessions     []SessionRecord     `json:"sessions,omitempty"`
	Attendances  []AttendanceRecord  `json:"attendances,omitempty"`
	Certificates []CertificateRecord `json:"certificates,omitempty"`
	// Surveys are left out when there are none, so a batch without them
	// reads (and digests) as before surveys existed.
	Surveys []SurveyRecord `json:"surveys,omitempty"`
}

// Records returns how many records the batch carries.
func (b *Batch) Records() int {
	return len(b.People) + len(b.Sessions) + len(b.Attendances) + len(b.Certificates) + len(b.Surveys)
}

// Digest returns the SHA-256 of the batch as JSON without its device
// clock: what a retry of the batch must repeat. The clock is renewed on
// every attempt, so it does not count.
func (b *Batch) Digest() []byte {
	c := *b
	c.DeviceClock = time.Time{}
	data, _ := json.Marshal(&c) // a decoded batch always encodes
	sum := sha256.Sum256(data)
	return sum[:]
}

// Outcome is the registry's answer for one record.
type Outcome struct {
	Kind    string `json:"kind"`
	ID      string `json:"id"` // the record's ID (a DNI for people, a code for certificates)
	Result  string `json:"result"`
	Code    string `json:"code,omitempty"`
	Message string `json:"message,omitempty"`
}

// Receipt is the registry's stored answer to a batch. Resending the batch
// returns the same receipt.
type Receipt struct {
	Protocol   string    `json:"protocol"`
	BatchID    string    `json:"batch_id"`
	ReceivedAt time.Time `json:"received_at"`
	Outcomes   []Outcome `json:"outcomes"`
	// Flags mark things staff should look at: "clock_skew", "late_report",
	// "future_session".
	Flags []string `json:"flags,omitempty"`
}

// USBFile is pending batches written to a file for a USB stick, signed
// with the device's credentials: Signature is the hex HMAC-SHA256 of the
// exact Batches bytes (a JSON array of Batch) under the SHA-256 of the
// device token, which the registry stores.
type USBFile struct {
	Protocol  string          `json:"protocol"`
	DeviceID  string          `json:"device_id"`
	Batches   json.RawMessage `json:"batches"`
	Signature string          `json:"signature"`
}
