package jws

import (
	"fmt"
	"time"

	"github.com/puntos-ar/puntos/sync/wire"
)

// Verdicts on a signed certificate.
const (
	Genuine     = "genuine"      // the signature holds and the registry has it
	NotReceived = "not_received" // the signature holds; the registry does not have it (yet)
	RevokedKey  = "revoked_key"  // signed with a key revoked before the registry received it
	Forged      = "forged"       // altered, or not signed by a key of the registry
)

// Verdict is what Judge found.
type Verdict struct {
	State    string  `json:"verdict"`
	Message  string  `json:"message"` // one sentence in Spanish
	Kid      string  `json:"kid,omitempty"`
	Office   string  `json:"office,omitempty"`
	Province string  `json:"province,omitempty"`
	Claims   *Claims `json:"claims,omitempty"` // the signed facts, when the signature holds
}

// OK reports whether the verdict lets the paper be trusted: genuine, or
// genuine and not yet received.
func (v Verdict) OK() bool { return v.State == Genuine || v.State == NotReceived }

// Receipt is what the judge knows of the registry's copy: Known is false
// offline, where only the signature can be checked; At is when the
// registry received the certificate (zero: it has not).
type Receipt struct {
	Known bool
	At    time.Time
}

// Judge checks the JWS s against keys. A key without a province is the
// registry's own: what it signed, the registry issued. The signature is checked before
// anything else: a certificate whose signature fails is forged whatever
// its code says. A certificate signed with a revoked key is genuine only
// if the registry received it before the revocation, because a stolen key
// can write any signing date.
func Judge(keys wire.KeySet, s string, r Receipt) Verdict {
	forged := Verdict{State: Forged, Message: "Certificado alterado o falso: la firma no corresponde a ninguna clave del registro. No es válido."}
	t, err := Parse(s)
	if err != nil {
		forged.Message = "Certificado alterado o falso: el código QR no tiene una firma válida. No es válido."
		return forged
	}
	k, ok := keys.Find(t.Kid)
	if !ok {
		return forged
	}
	pub, err := b64.DecodeString(k.X)
	if err != nil || k.Kty != "OKP" || k.Crv != "Ed25519" || !t.VerifyWith(pub) {
		return forged
	}
	c := t.Claims
	v := Verdict{Kid: t.Kid, Office: k.Office, Province: k.Province, Claims: &c}
	signed := wire.LocalDate(c.SignedAt()).Format("02/01/2006")
	who := "un equipo de la oficina " + k.Office
	if k.Province == "" {
		who = k.Office
	}
	revoked := k.Status == wire.KeyRevoked
	switch {
	case revoked && (k.RevokedAt == nil || r.At.IsZero() || !r.At.Before(*k.RevokedAt)):
		when := ""
		if k.RevokedAt != nil {
			when = " el " + wire.LocalDate(*k.RevokedAt).Format("02/01/2006")
		}
		v.State = RevokedKey
		v.Message = fmt.Sprintf("Firmado con una clave revocada: la clave de %s fue dada de baja%s y el registro no recibió este certificado antes. No es válido.", who, when)
	case k.Province == "":
		// The registry's own key: it issued the document itself.
		v.State = Genuine
		v.Message = fmt.Sprintf("Documento auténtico: emitido por el %s el %s.", k.Office, signed)
	case !r.At.IsZero():
		v.State = Genuine
		v.Message = fmt.Sprintf("Certificado auténtico: firmado por %s el %s y recibido por el registro.", who, signed)
	case r.Known:
		v.State = NotReceived
		v.Message = fmt.Sprintf("Certificado auténtico: firmado por %s el %s. Todavía no llegó al registro central.", who, signed)
	default:
		v.State = NotReceived
		v.Message = fmt.Sprintf("Firma auténtica: firmado por %s el %s (verificado sin conexión, con las claves de la última sincronización).", who, signed)
	}
	return v
}
