package server

import (
	"context"
	"time"

	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/sync/wire"
)

// Store is what the registry's handler needs from its database.
// storage/registry implements it on SQLite; a PostgreSQL store can
// implement it later. Lookups of something missing return an error that
// errors.Is finds domain.ErrNotFound in; rule failures a person can act
// on are *domain.Error values whose Code the handler maps to a status.
type Store interface {
	// RedeemEnrollment uses the code with hash codeHash at time now to
	// enroll dev (ID, Name and TokenHash set by the caller) and returns the
	// device with the office and province of the code. It fails with a
	// *domain.Error coded CodeEnrollUnknown, CodeEnrollUsed or
	// CodeEnrollExpired; a failed call changes nothing.
	RedeemEnrollment(ctx context.Context, codeHash []byte, dev wire.EnrolledDevice, now time.Time) (wire.EnrolledDevice, error)
	// DeviceByToken returns the device whose token hashes to tokenHash,
	// revoked or not, or domain.ErrNotFound.
	DeviceByToken(ctx context.Context, tokenHash []byte) (wire.EnrolledDevice, error)
	// Device returns the device with that ID, or domain.ErrNotFound.
	Device(ctx context.Context, id string) (wire.EnrolledDevice, error)
	// SetSigningKey registers the signing key (kid, raw public key) of a
	// device enrolled without one. Registering the same key again changes
	// nothing; another key fails with a *domain.Error coded
	// CodeKeyRegistered.
	SetSigningKey(ctx context.Context, deviceID, kid string, pub []byte) error
	// DeviceKeys returns every device's registered signing key, revoked
	// ones included.
	DeviceKeys(ctx context.Context) ([]wire.DeviceKey, error)

	// CatalogChanges returns up to limit activities changed after the
	// cursor since (0 for all), in change order, the cursor of the last one
	// (since when none) and whether more follow.
	CatalogChanges(ctx context.Context, since int64, limit int) (acts []domain.Activity, next int64, more bool, err error)
	// RosterChanges is CatalogChanges for the people of the province with
	// INDEC code provinceID, plus the people with no known province.
	RosterChanges(ctx context.Context, provinceID string, since int64, limit int) (people []domain.Person, next int64, more bool, err error)

	// Ingest stores a batch, one outcome per record and its receipt in one
	// transaction and returns the receipt's JSON. A batch ID already stored
	// returns the stored receipt, byte for byte, when the batch is the same
	// but for its device clock (wire.Batch.Digest), from whichever device;
	// with other records or record content it fails with a *domain.Error
	// coded wire.CodeBatchConflict and changes nothing. Records for a
	// session reported by a device of another office are rejected with
	// wire.RejectNotOwner.
	Ingest(ctx context.Context, in wire.IngestRequest) (receipt []byte, err error)
	// Receipt returns the stored receipt of a batch the device with ID
	// deviceID sent, or domain.ErrNotFound (also for another device's).
	Receipt(ctx context.Context, deviceID, batchID string) ([]byte, error)

	// Failures returns how many failures the rate-limit counter key holds
	// in its window at now, and when the window ends. Counters live in the
	// store, so that registry instances sharing it share them.
	Failures(ctx context.Context, key string, now time.Time) (int, time.Time, error)
	// CountFailure adds a failure to the counter key, opening a window of
	// length window at now when none is open.
	CountFailure(ctx context.Context, key string, window time.Duration, now time.Time) error

	// Certificate returns what the registry knows of the certificate with
	// that normalised code, or domain.ErrNotFound.
	Certificate(ctx context.Context, code string) (wire.CertificateCheck, error)
}

// StaffStore is what the staff API needs from the registry's database,
// beside Store; storage/registry implements it. A registry whose
// store does not implement it serves no staff API. Lookups of something
// missing, or outside the scope given, return an error that errors.Is
// finds domain.ErrNotFound in; rule failures a person can act on are
// *domain.Error values. Methods that change something take a StaffAction
// and write it to the audit log in the same transaction.
type StaffStore interface {
	// StaffAccount returns the account with that user name and its
	// password hash, or domain.ErrNotFound.
	StaffAccount(ctx context.Context, username string) (wire.StaffUser, string, error)
	// StartStaffSession stores a new session (its token's hash), stamps
	// the account's last login and audits the login.
	StartStaffSession(ctx context.Context, s wire.StaffSessionRecord) error
	// StaffSession returns the session whose token hashes to tokenHash
	// and its account, or domain.ErrNotFound (also once it was ended).
	StaffSession(ctx context.Context, tokenHash []byte) (wire.StaffSessionRecord, wire.StaffUser, error)
	// EndStaffSession ends a session (logout) and audits it.
	EndStaffSession(ctx context.Context, tokenHash []byte, by wire.StaffAction) error
	// AppendAudit writes one entry to the audit log (for actions that
	// change nothing else: failed logins, lookups, exports).
	AppendAudit(ctx context.Context, e wire.AuditEntry) error
	// AuditLog returns a page of the audit log, newest first.
	AuditLog(ctx context.Context, cursor string, limit int) (wire.AuditPage, error)

	// Inbox returns a page of received batches, newest first.
	Inbox(ctx context.Context, q wire.InboxQuery, scope wire.StaffScope) (wire.InboxPage, error)
	// BatchDetail returns a batch with its records.
	BatchDetail(ctx context.Context, id string, scope wire.StaffScope) (wire.BatchDetail, error)
	// Records returns a page of records of every batch, newest first.
	Records(ctx context.Context, q wire.RecordQuery, scope wire.StaffScope) (wire.RecordPage, error)
	// ReviewItem returns a conflicting or rejected record kept for review.
	ReviewItem(ctx context.Context, id int64, scope wire.StaffScope) (wire.ReviewItem, error)
	// ResolveReview accepts or rejects a review item. Accepting stores the
	// (corrected) record as a new row or a new version, never deleting or
	// overwriting history, and appends the ledger entries it implies; a
	// record that breaks a rule fails with a *domain.Error coded
	// CodeInvalidRecord or a rejection code, and changes nothing. Resolving
	// twice fails with CodeReviewResolved.
	ResolveReview(ctx context.Context, id int64, d wire.ReviewDecision, scope wire.StaffScope, by wire.StaffAction) (wire.ReviewItem, error)

	// FindPeople returns up to limit people whose DNI or CUIL is q, or
	// whose name starts with q (accent and case insensitive).
	FindPeople(ctx context.Context, q string, year, limit int, scope wire.StaffScope) ([]wire.StaffPerson, error)
	// PersonLedger returns a person's ledger and certificates.
	PersonLedger(ctx context.Context, dni string, scope wire.StaffScope) (wire.PersonLedger, error)
	// ReverseEntry appends the reversal of a credit, for by.Reason.
	ReverseEntry(ctx context.Context, id int64, scope wire.StaffScope, by wire.StaffAction) (wire.LedgerLine, error)
	// RevokeCertificateBy revokes a certificate (normalised code) for
	// by.Reason; revoking twice keeps the first revocation.
	RevokeCertificateBy(ctx context.Context, code string, scope wire.StaffScope, by wire.StaffAction) (wire.CertificateCheck, error)

	// Compliance returns the year's report for a province (any, when
	// province is empty) within scope, without the list of people.
	Compliance(ctx context.Context, year int, province string, scope wire.StaffScope) (wire.Compliance, error)
	// CompliancePeople calls fn with each person under the required
	// points, by province, agency and name, and returns how many there
	// were; an error from fn stops it and is returned.
	CompliancePeople(ctx context.Context, q wire.CompliancePeopleQuery, scope wire.StaffScope, fn func(wire.CompliancePerson) error) (int, error)
	// Impact returns the year's impact view for a province (any, when
	// province is empty) within scope.
	Impact(ctx context.Context, year int, province string, scope wire.StaffScope) (wire.Impact, error)

	// StaffDevices returns the enrolled devices, newest first.
	StaffDevices(ctx context.Context, scope wire.StaffScope) ([]wire.EnrolledDevice, error)
	// CreateEnrollmentBy stores a one-time enrollment code (hash only).
	CreateEnrollmentBy(ctx context.Context, e wire.EnrollmentCode, by wire.StaffAction) error
	// RevokeDeviceBy revokes the device with that exact ID.
	RevokeDeviceBy(ctx context.Context, id string, scope wire.StaffScope, by wire.StaffAction) (wire.EnrolledDevice, error)
}
