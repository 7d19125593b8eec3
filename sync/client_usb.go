package sync

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// NewUSBFile signs batches for a USB stick with the device's credentials:
// the HMAC-SHA256 of the exact Batches bytes under the SHA-256 of the
// token, in hex. Each batch carries now as its device clock. The registry
// imports the file with the same idempotent rules as a push, so the
// device learns the outcomes at its next online sync (same batch IDs).
func NewUSBFile(e Enrollment, batches []*Batch, now time.Time) (*USBFile, error) {
	if e.DeviceID == "" || e.Token == "" {
		return nil, fmt.Errorf("usb file: %w", ErrNotEnrolled)
	}
	if len(batches) == 0 {
		return nil, errors.New("usb file: no batches")
	}
	out := make([]Batch, len(batches))
	for i, b := range batches {
		out[i] = *b
		out[i].DeviceClock = now.UTC()
	}
	raw, err := json.Marshal(out)
	if err != nil {
		return nil, fmt.Errorf("usb file: %w", err)
	}
	return &USBFile{Protocol: Protocol, DeviceID: e.DeviceID, Batches: raw, Signature: usbSignature(e.Token, raw)}, nil
}

// usbSignature is the hex HMAC-SHA256 of data under SHA-256(token).
func usbSignature(token string, data []byte) string {
	key := sha256.Sum256([]byte(token))
	mac := hmac.New(sha256.New, key[:])
	mac.Write(data)
	return hex.EncodeToString(mac.Sum(nil))
}
