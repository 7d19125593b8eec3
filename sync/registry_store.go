package sync

import (
	"context"
	"time"

	"github.com/puntos-ar/puntos/storage/domain"
)

// RegistryStore is what the registry's handler needs from its database.
// storage/registry implements it on SQLite; a PostgreSQL store can
// implement it later. Lookups of something missing return an error that
// errors.Is finds domain.ErrNotFound in; rule failures a person can act
// on are *domain.Error values whose Code the handler maps to a status.
type RegistryStore interface {
	// CreateEnrollment stores a one-time enrollment code (its hash only).
	CreateEnrollment(ctx context.Context, e EnrollmentCode) error
	// RedeemEnrollment uses the code with hash codeHash at time now to
	// enroll dev (ID, Name and TokenHash set by the caller) and returns the
	// device with the office and province of the code. It fails with a
	// *domain.Error coded CodeEnrollUnknown, CodeEnrollUsed or
	// CodeEnrollExpired; a failed call changes nothing.
	RedeemEnrollment(ctx context.Context, codeHash []byte, dev EnrolledDevice, now time.Time) (EnrolledDevice, error)
	// DeviceByToken returns the device whose token hashes to tokenHash,
	// revoked or not, or domain.ErrNotFound.
	DeviceByToken(ctx context.Context, tokenHash []byte) (EnrolledDevice, error)
	// Device returns the device with that ID, or domain.ErrNotFound.
	Device(ctx context.Context, id string) (EnrolledDevice, error)

	// CatalogChanges returns up to limit activities changed after the
	// cursor since (0 for all), in change order, the cursor of the last one
	// (since when none) and whether more follow.
	CatalogChanges(ctx context.Context, since int64, limit int) (acts []domain.Activity, next int64, more bool, err error)
	// RosterChanges is CatalogChanges for the people of the province with
	// INDEC code provinceID, plus the people with no known province.
	RosterChanges(ctx context.Context, provinceID string, since int64, limit int) (people []domain.Person, next int64, more bool, err error)

	// Ingest stores a batch, one outcome per record and its receipt in one
	// transaction and returns the receipt's JSON. A batch ID already stored
	// returns the stored receipt, byte for byte, whatever the new body.
	Ingest(ctx context.Context, in IngestRequest) (receipt []byte, err error)
	// Receipt returns the stored receipt of a batch, or domain.ErrNotFound.
	Receipt(ctx context.Context, batchID string) ([]byte, error)

	// Certificate returns what the registry knows of the certificate with
	// that normalised code, or domain.ErrNotFound.
	Certificate(ctx context.Context, code string) (CertificateCheck, error)
}

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
	Kind         string    `json:"kind"`   // "asistencia" or "aprobacion"
	Name         string    `json:"name"`   // full name, "Surname, Given names"
	Activity     string    `json:"activity"`
	ActivityCode string    `json:"activity_code"`
	Date         string    `json:"date"`   // session date, YYYY-MM-DD
	Points       int       `json:"points"` // credited in the ledger for that activity and year
	IssuedAt     time.Time `json:"issued_at"`
	RevokedAt    time.Time `json:"revoked_at,omitzero"`
	RevokeReason string    `json:"revoke_reason,omitempty"`
}

// Certificate statuses.
const (
	CertGenuine = "genuine"
	CertRevoked = "revoked"
)
