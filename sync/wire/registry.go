package wire

import "time"

// EnrolledDevice is a device as the registry knows it.
type EnrolledDevice struct {
	ID           string    `json:"id"`
	Name         string    `json:"name"`
	Office       string    `json:"office"`
	Province     string    `json:"province"`
	ProvinceID   string    `json:"province_id"` // INDEC code; the roster it pulls
	TokenHash    []byte    `json:"-"`           // SHA-256 of the token
	EnrolledAt   time.Time `json:"enrolled_at"`
	RevokedAt    time.Time `json:"revoked_at,omitzero"`
	RevokeReason string    `json:"revoke_reason,omitempty"`
	LastBatchAt  time.Time `json:"last_batch_at,omitzero"`
	// SignKid and SignKey are the device's Ed25519 signing key, when it
	// registered one.
	SignKid string `json:"sign_kid,omitempty"`
	SignKey []byte `json:"-"`
}

// Revoked reports whether the device was revoked.
func (d EnrolledDevice) Revoked() bool { return !d.RevokedAt.IsZero() }

// EnrollmentCode is a one-time enrollment code created by central staff;
// the registry keeps only its hash.
type EnrollmentCode struct {
	CodeHash   []byte
	Office     string
	Province   string
	ProvinceID string
	CreatedAt  time.Time
	ExpiresAt  time.Time
}

// Sources of a batch.
const (
	SourceHTTP = "http" // pushed over the API
	SourceUSB  = "usb"  // imported from a signed file
)

// IngestRequest is a batch to store with where and when it came from.
type IngestRequest struct {
	Batch      *Batch
	Device     EnrolledDevice
	Source     string // SourceHTTP or SourceUSB
	ReceivedAt time.Time
}

// CertificateCheck is the answer of the verification page and of
// GET PathCertificate.
type CertificateCheck struct {
	Protocol     string    `json:"protocol"`
	Code         string    `json:"code"`
	Status       string    `json:"status"` // CertGenuine or CertRevoked
	Kind         string    `json:"kind"`   // domain.KindAttendance or domain.KindApproval
	Name         string    `json:"name"`   // full name, "Surname, Given names"
	Activity     string    `json:"activity"`
	ActivityCode string    `json:"activity_code"`
	Date         string    `json:"date"`   // session date, YYYY-MM-DD
	Points       int       `json:"points"` // credited in the ledger for that activity and year
	IssuedAt     time.Time `json:"issued_at"`
	RevokedAt    time.Time `json:"revoked_at,omitzero"`
	RevokeReason string    `json:"revoke_reason,omitempty"`
	// ReceivedAt is when the registry received the certificate.
	ReceivedAt time.Time `json:"received_at,omitzero"`
}

// Certificate statuses.
const (
	CertGenuine = "genuine"
	CertRevoked = "revoked"
)
