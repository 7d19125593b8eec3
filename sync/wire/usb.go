package wire

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
)

// HashSecret returns the SHA-256 of a token or a normalised enrollment
// code, as the registry stores them. The hash of a device's token is also
// the HMAC key of its USB files.
func HashSecret(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

// USBSignature returns the signature of a USBFile's Batches bytes: the hex
// HMAC-SHA256 of data under tokenHash (HashSecret of the device token).
func USBSignature(tokenHash, data []byte) string {
	return hex.EncodeToString(usbMAC(tokenHash, data))
}

// VerifyUSB reports whether f's signature is the HMAC-SHA256 of its exact
// Batches bytes under tokenHash (HashSecret of the device token). The
// comparison takes constant time.
func VerifyUSB(f *USBFile, tokenHash []byte) bool {
	sig, err := hex.DecodeString(f.Signature)
	if err != nil {
		return false
	}
	return hmac.Equal(sig, usbMAC(tokenHash, f.Batches))
}

// usbMAC is the HMAC-SHA256 of data under tokenHash.
func usbMAC(tokenHash, data []byte) []byte {
	mac := hmac.New(sha256.New, tokenHash)
	mac.Write(data)
	return mac.Sum(nil)
}
