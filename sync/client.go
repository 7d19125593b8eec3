package sync

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
