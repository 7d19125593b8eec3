package device

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/puntos-ar/puntos/sync/wire"
)

// NewUSBFile signs batches for a USB stick with the device's credentials:
// the HMAC-SHA256 of the exact Batches bytes under the SHA-256 of the
// token, in hex. Each batch carries now as its device clock. The registry
// imports the file with the same idempotent rules as a push, so the
// device learns the outcomes at its next online sync (same batch IDs).
func NewUSBFile(e wire.Enrollment, batches []*wire.Batch, now time.Time) (*wire.USBFile, error) {
	if e.DeviceID == "" || e.Token == "" {
		return nil, fmt.Errorf("usb file: %w", wire.ErrNotEnrolled)
	}
	if len(batches) == 0 {
		return nil, errors.New("usb file: no batches")
	}
	out := make([]wire.Batch, len(batches))
	for i, b := range batches {
		out[i] = *b
		out[i].DeviceClock = now.UTC()
	}
	raw, err := json.Marshal(out)
	if err != nil {
		return nil, fmt.Errorf("usb file: %w", err)
	}
	return &wire.USBFile{Protocol: wire.Protocol, DeviceID: e.DeviceID, Batches: raw, Signature: wire.USBSignature(wire.HashSecret(e.Token), raw)}, nil
}
