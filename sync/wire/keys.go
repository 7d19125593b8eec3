package wire

import "time"

// Paths of the signing keys: the public key set, and a device's
// registration of its key (devices enrolled before keys existed).
const (
	PathKeys       = "/.well-known/puntos-keys.json"
	PathSigningKey = "/api/v1/signing-key"
	// PathVerifySigned is the page a signed certificate's QR opens:
	// the JWS follows /v/.
	PathVerifySigned = "/v/{jws}"
)

// Key statuses of a JWK.
const (
	KeyActive  = "active"
	KeyRevoked = "revoked"
)

// JWK is one Ed25519 public key as the registry publishes it (RFC 8037:
// kty OKP, crv Ed25519, x the raw 32-byte key in base64url), with the
// office and province of the device that holds it. The registry's own
// key names the registry as its office and no province.
type JWK struct {
	Kty       string     `json:"kty"`
	Crv       string     `json:"crv"`
	X         string     `json:"x"`
	Kid       string     `json:"kid"`
	Office    string     `json:"office"`
	Province  string     `json:"province"`
	Status    string     `json:"status"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}

// KeySet is the body of PathKeys.
type KeySet struct {
	Keys []JWK `json:"keys"`
}

// Find returns the key with that kid.
func (k KeySet) Find(kid string) (JWK, bool) {
	for _, j := range k.Keys {
		if j.Kid == kid {
			return j, true
		}
	}
	return JWK{}, false
}

// SigningKeyRequest registers the signing key of an enrolled device that
// has none yet (POST PathSigningKey with the device's token).
type SigningKeyRequest struct {
	PublicKey string `json:"public_key"` // raw 32-byte Ed25519 key, base64url
}

// SigningKeyResponse answers SigningKeyRequest.
type SigningKeyResponse struct {
	Protocol string `json:"protocol"`
	Kid      string `json:"kid"`
}

// DeviceKey is a device's signing key as the registry stores it.
type DeviceKey struct {
	Kid       string
	Public    []byte // 32 bytes
	Office    string
	Province  string
	RevokedAt time.Time // zero while the device is not revoked
}
