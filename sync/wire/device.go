package wire

import (
	"errors"
	"log/slog"
	"time"
)

// ErrNotEnrolled means the device has no enrollment: run "puntos enroll".
var ErrNotEnrolled = errors.New("device not enrolled")

// Enrollment is what a device keeps of its enrollment with a registry.
// Token is a secret: it is never logged (LogValue leaves it out) nor
// written to JSON.
type Enrollment struct {
	Registry   string    `json:"registry"` // base URL, without a trailing slash
	DeviceID   string    `json:"device_id"`
	Token      string    `json:"-"`
	DeviceName string    `json:"device_name"`
	Office     string    `json:"office"`
	Province   string    `json:"province"`
	EnrolledAt time.Time `json:"enrolled_at"`
}

// LogValue logs an enrollment without its token.
func (e Enrollment) LogValue() slog.Value {
	return slog.GroupValue(slog.String("registry", e.Registry), slog.String("device_id", e.DeviceID))
}

// Tally is what the device stored of a receipt.
type Tally struct {
	Accepted  int `json:"accepted"`
	Duplicate int `json:"duplicate"`
	Conflict  int `json:"conflict"`
	Rejected  int `json:"rejected"`
	// Missing counts records the receipt had no outcome for: they went
	// back to pending and travel in a later batch.
	Missing int `json:"missing,omitempty"`
	// Already is true when the receipt had been stored before (another
	// sync of the same device got it first); its outcomes are not counted.
	Already bool `json:"-"`
}

// Add adds o's counts to t.
func (t *Tally) Add(o Tally) {
	t.Accepted += o.Accepted
	t.Duplicate += o.Duplicate
	t.Conflict += o.Conflict
	t.Rejected += o.Rejected
	t.Missing += o.Missing
}

// PageResult is what applying a pulled page changed on the device.
type PageResult struct {
	Changed int `json:"changed"`
	Skipped int `json:"skipped"` // entries that break the domain rules, left out
}

// Pull feeds, each with its cursor on the device.
const (
	FeedCatalog = "catalog"
	FeedRoster  = "roster"
)
