package sync

import (
	"context"
	"time"
)

// StaffStore is what the staff API needs from the registry's database,
// beside RegistryStore; storage/registry implements it. A registry whose
// store does not implement it serves no staff API. Lookups of something
// missing, or outside the scope given, return an error that errors.Is
// finds domain.ErrNotFound in; rule failures a person can act on are
// *domain.Error values. Methods that change something take a StaffAction
// and write it to the audit log in the same transaction.
type StaffStore interface {
	// StaffAccount returns the account with that user name and its
	// password hash, or domain.ErrNotFound.
	StaffAccount(ctx context.Context, username string) (StaffUser, string, error)
	// StartStaffSession stores a new session (its token's hash), stamps
	// the account's last login and audits the login.
	StartStaffSession(ctx context.Context, s StaffSessionRecord) error
	// StaffSession returns the session whose token hashes to tokenHash
	// and its account, or domain.ErrNotFound (also once it was ended).
	StaffSession(ctx context.Context, tokenHash []byte) (StaffSessionRecord, StaffUser, error)
	// EndStaffSession ends a session (logout) and audits it.
	EndStaffSession(ctx context.Context, tokenHash []byte, by StaffAction) error
	// AppendAudit writes one entry to the audit log (for actions that
	// change nothing else: failed logins, lookups, exports).
	AppendAudit(ctx context.Context, e AuditEntry) error
	// AuditLog returns a page of the audit log, newest first.
	AuditLog(ctx context.Context, cursor string, limit int) (AuditPage, error)

	// Inbox returns a page of received batches, newest first.
	Inbox(ctx context.Context, q InboxQuery, scope StaffScope) (InboxPage, error)
	// BatchDetail returns a batch with its records.
	BatchDetail(ctx context.Context, id string, scope StaffScope) (BatchDetail, error)
	// Records returns a page of records of every batch, newest first.
	Records(ctx context.Context, q RecordQuery, scope StaffScope) (RecordPage, error)
	// ReviewItem returns a conflicting or rejected record kept for review.
	ReviewItem(ctx context.Context, id int64, scope StaffScope) (ReviewItem, error)
	// ResolveReview accepts or rejects a review item. Accepting stores the
	// (corrected) record as a new row or a new version, never deleting or
	// overwriting history, and appends the ledger entries it implies; a
	// record that breaks a rule fails with a *domain.Error coded
	// CodeInvalidRecord or a rejection code, and changes nothing. Resolving
	// twice fails with CodeReviewResolved.
	ResolveReview(ctx context.Context, id int64, d ReviewDecision, scope StaffScope, by StaffAction) (ReviewItem, error)

	// FindPeople returns up to limit people whose DNI or CUIL is q, or
	// whose name starts with q (accent and case insensitive).
	FindPeople(ctx context.Context, q string, year, limit int, scope StaffScope) ([]StaffPerson, error)
	// PersonLedger returns a person's ledger and certificates.
	PersonLedger(ctx context.Context, dni string, scope StaffScope) (PersonLedger, error)
	// ReverseEntry appends the reversal of a credit, for by.Reason.
	ReverseEntry(ctx context.Context, id int64, scope StaffScope, by StaffAction) (LedgerLine, error)
	// RevokeCertificateBy revokes a certificate (normalised code) for
	// by.Reason; revoking twice keeps the first revocation.
	RevokeCertificateBy(ctx context.Context, code string, scope StaffScope, by StaffAction) (CertificateCheck, error)

	// Compliance returns the year's report for a province (any, when
	// province is empty) within scope, without the list of people.
	Compliance(ctx context.Context, year int, province string, scope StaffScope) (Compliance, error)
	// CompliancePeople calls fn with each person under the required
	// points, by province, agency and name, and returns how many there
	// were; an error from fn stops it and is returned.
	CompliancePeople(ctx context.Context, q CompliancePeopleQuery, scope StaffScope, fn func(CompliancePerson) error) (int, error)

	// StaffDevices returns the enrolled devices, newest first.
	StaffDevices(ctx context.Context, scope StaffScope) ([]EnrolledDevice, error)
	// CreateEnrollmentBy stores a one-time enrollment code (hash only).
	CreateEnrollmentBy(ctx context.Context, e EnrollmentCode, by StaffAction) error
	// RevokeDeviceBy revokes the device with that exact ID.
	RevokeDeviceBy(ctx context.Context, id string, scope StaffScope, by StaffAction) (EnrolledDevice, error)
}

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
