package ui

import (
	"context"
	"io"

	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/storage/csvin"
	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/sync/wire"
)

// Roster finds and imports the people on the roster.
type Roster interface {
	// FindPeople returns at most limit people matching q (a DNI or its
	// first digits, a CUIL, or part of a name), best first; none is not an
	// error.
	FindPeople(ctx context.Context, q string, limit int) ([]domain.Person, error)
	// CountPeople returns how many people the roster holds.
	CountPeople(ctx context.Context) (int, error)
	// ImportRoster reads a roster CSV or Excel workbook (opts may name its
	// sheet) in one transaction, calling progress from the importing
	// goroutine; rejected rows are listed in the report, and an error
	// means nothing was imported.
	ImportRoster(ctx context.Context, r io.Reader, progress storage.Progress, opts ...csvin.Option) (storage.ImportReport, error)
}

// Catalog looks activities up in the catalog.
type Catalog interface {
	// Activities returns up to limit activities whose code or title
	// contains query, sorted by title.
	Activities(ctx context.Context, query string, limit int) ([]domain.Activity, error)
}

// Sessions creates, lists and closes sessions.
type Sessions interface {
	// CreateSession validates and stores a new open session; a bad field
	// is a *domain.Error naming it.
	CreateSession(ctx context.Context, in domain.Session) (domain.Session, error)
	// Sessions lists sessions, today's first.
	Sessions(ctx context.Context, f storage.SessionFilter) ([]storage.SessionInfo, error)
	// Session returns one session; an error wraps domain.ErrNotFound if
	// there is none.
	Session(ctx context.Context, id string) (storage.SessionInfo, error)
	// SessionSummary counts a session's attendances.
	SessionSummary(ctx context.Context, id string) (storage.Summary, error)
	// CloseSession makes an open session read-only; an error wraps
	// domain.ErrClosed if it already was.
	CloseSession(ctx context.Context, id string) (storage.Summary, error)
}

// Attendance records who came to a session.
type Attendance interface {
	// CheckIn records attendance from a DNI, CUIL, scan or name; see
	// storage.Store.CheckIn for its errors (*storage.UnknownPersonError,
	// *storage.AmbiguousError, domain.ErrClosed, *domain.Error).
	CheckIn(ctx context.Context, sessionID, input string, opts storage.CheckInOptions) (storage.CheckInResult, error)
	// Mark checks in a person on the roster; doing it twice reports
	// Already and changes nothing.
	Mark(ctx context.Context, sessionID, dni string, status domain.Status, method domain.Method) (storage.CheckInResult, error)
	// WalkIn adds a person who is not on the roster and checks them in; a
	// bad field is a *domain.Error naming it.
	WalkIn(ctx context.Context, sessionID string, p domain.Person) (storage.CheckInResult, error)
	// SetStatus changes an attendance's status while its session is open.
	SetStatus(ctx context.Context, attendanceID string, status domain.Status) error
	// RemoveAttendance deletes a mistaken check-in while its session is open.
	RemoveAttendance(ctx context.Context, attendanceID string) error
	// Attendees lists a session's attendances by surname.
	Attendees(ctx context.Context, sessionID string) ([]storage.Attendee, error)
}

// Settings keeps small remembered values (language, last instructor).
type Settings interface {
	// Setting returns a stored value, or def when unset.
	Setting(ctx context.Context, key, def string) (string, error)
	// SetSetting stores a value.
	SetSetting(ctx context.Context, key, value string) error
}

// Pending counts what waits to be synced.
type Pending interface {
	// CountWaiting returns how many closed sessions wait to be synced.
	CountWaiting(ctx context.Context) (int, error)
}

// SyncInfo reads what the device keeps of its syncing.
type SyncInfo interface {
	// SyncStatus returns the records waiting, the rejected and
	// conflicting ones, and the enrollment's registry.
	SyncStatus(ctx context.Context) (storage.SyncStatus, error)
	// SyncProblems lists the records the registry rejected or found in
	// conflict, with its messages; none is an empty list.
	SyncProblems(ctx context.Context) ([]storage.SyncProblem, error)
	// Enrollment returns the device's enrollment; an error wraps
	// wire.ErrNotEnrolled when it has none.
	Enrollment(ctx context.Context) (wire.Enrollment, error)
}

// Enroller enrolls the device with a registry; Options.Enroll plugs one
// into the settings screen. SyncLink satisfies it.
type Enroller interface {
	// Enroll redeems a one-time code from central staff at the registry
	// at registryURL and stores the device's credentials. A failure is a
	// *device.Failure whose message is for a person; a failed enrollment
	// changes nothing.
	Enroll(ctx context.Context, registryURL, code, deviceName string) (wire.Enrollment, error)
}

// Store is everything the desktop app needs from the device store;
// *storage.Store satisfies it.
type Store interface {
	Roster
	Catalog
	Sessions
	Attendance
	Settings
	Pending
	SyncInfo
}

// Setting keys the app reads and writes. The CLI uses the same
// "last_instructor".
const (
	settingLang           = "ui_lang"
	settingWindowSize     = "window_size"
	settingCentralSize    = "central_window_size"
	settingLastInstructor = "last_instructor"
	settingLastProvince   = "last_province"
)
