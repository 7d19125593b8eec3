package device_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/storage/registry"
	"github.com/puntos-ar/puntos/sync/jws"
	"github.com/puntos-ar/puntos/sync/server"
	"github.com/puntos-ar/puntos/sync/wire"
)

const publicURL = "https://verificar.capacitacion.gob.ar"

// signedRig is a device rig whose registry has a public address and a
// key of its own, and whose device learnt both at a sync.
func signedRig(t *testing.T) *devRig {
	r := newDevRig(t)
	key, source, err := r.reg.SigningKey(t.Context(), nil)
	if err != nil || source != registry.KeyNew {
		t.Fatalf("registry key: source %q, %v", source, err)
	}
	r.api.PublicURL, r.api.Key = publicURL, key
	setOffice(t, r.dev)
	return r
}

// issue records a session with n attendees plus a walk-in and issues its
// certificates.
func (r *devRig) issue(n int) []storage.Certificate {
	r.t.Helper()
	ctx := context.Background()
	before, _ := r.dev.Sessions(ctx, "closed")
	r.record(1, n)
	after, err := r.dev.Sessions(ctx, "closed")
	if err != nil || len(after) != len(before)+1 {
		r.t.Fatalf("sessions: %d then %d, %v", len(before), len(after), err)
	}
	id := after[0].ID
	for _, s := range after {
		known := false
		for _, b := range before {
			known = known || b.ID == s.ID
		}
		if !known {
			id = s.ID
		}
	}
	iss, err := r.dev.IssueCertificates(ctx, id)
	if err != nil || len(iss.Certificates) == 0 {
		r.t.Fatalf("issue: %d, %v", len(iss.Certificates), err)
	}
	return iss.Certificates
}

// page opens a signed certificate's verification page.
func (r *devRig) page(token string) (int, string) {
	r.t.Helper()
	res, err := http.Get(r.srv.URL + "/v/" + token)
	if err != nil {
		r.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func (r *devRig) keySet() (wire.KeySet, []byte) {
	r.t.Helper()
	res, err := http.Get(r.srv.URL + wire.PathKeys)
	if err != nil {
		r.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var set wire.KeySet
	if err := json.Unmarshal(raw, &set); err != nil || res.StatusCode != 200 {
		r.t.Fatalf("keys %d: %v %s", res.StatusCode, err, raw)
	}
	return set, raw
}

// tamper returns token with its payload's points raised, the signature
// kept.
func tamper(t *testing.T, token string) string {
	parts := strings.Split(token, ".")
	raw, _ := base64.RawURLEncoding.DecodeString(parts[1])
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	m["p"] = m["p"].(float64) + 100
	raw, _ = json.Marshal(m)
	return parts[0] + "." + base64.RawURLEncoding.EncodeToString(raw) + "." + parts[2]
}

// swapKid returns token with its header naming another kid.
func swapKid(token, kid string) string {
	parts := strings.Split(token, ".")
	h, _ := json.Marshal(map[string]string{"alg": "EdDSA", "kid": kid})
	return base64.RawURLEncoding.EncodeToString(h) + "." + parts[1] + "." + parts[2]
}

func TestSignedCertificates(t *testing.T) {
	r := signedRig(t)
	ctx := context.Background()
	r.sync() // learns the public address and the keys
	certs := r.issue(3)
	c := certs[0]
	if c.JWS == "" || c.Office.VerifyBaseURL != publicURL {
		t.Fatalf("certificate JWS %q, prints %q; want signed, printing %s", c.JWS, c.Office.VerifyBaseURL, publicURL)
	}
	kid, err := r.dev.RegisteredKid(ctx)
	if err != nil || kid == "" {
		t.Fatalf("registered kid %q, %v", kid, err)
	}
	set, raw := r.keySet()
	if len(set.Keys) != 2 || set.Keys[0].Office != server.RegistryOffice || set.Keys[1].Kid != kid ||
		set.Keys[1].Office != "Capacitación Córdoba" || set.Keys[1].Status != wire.KeyActive || set.Keys[1].Kty != "OKP" || set.Keys[1].Crv != "Ed25519" {
		t.Fatalf("key set %s", raw)
	}
	qrText := jws.URL(publicURL, c.JWS)

	t.Run("IndependentVerifier", func(t *testing.T) { pythonVerify(t, raw, c.JWS) })

	t.Run("NotYetReceived", func(t *testing.T) {
		status, body := r.page(c.JWS)
		if status != 200 || !strings.Contains(body, "todavía no recibido por el registro") || !strings.Contains(body, "Capacitación Córdoba") {
			t.Errorf("page %d:\n%s", status, body)
		}
		r.sync() // the device pulls the keys again (its own is there)
		v, err := r.dev.Verify(ctx, qrText)
		if err != nil || v.State != jws.NotReceived || !v.OK() || v.Claims.Code != c.Code || v.Claims.DNI != c.DNI {
			t.Errorf("offline verdict %+v, %v", v, err)
		}
		byCode, err := r.dev.Verify(ctx, strings.ToLower(c.Code))
		if err != nil || byCode.State != v.State {
			t.Errorf("by code: %+v, %v", byCode, err)
		}
	})
	t.Run("Received", func(t *testing.T) {
		// The last sync sent the certificates.
		status, body := r.page(c.JWS)
		if status != 200 || !strings.Contains(body, "recibido por el registro") || strings.Contains(body, "todavía no") {
			t.Errorf("page %d:\n%s", status, body)
		}
	})
	t.Run("Tampered", func(t *testing.T) {
		bad := tamper(t, c.JWS)
		if status, body := r.page(bad); status != 400 || !strings.Contains(body, "alterado o falso") {
			t.Errorf("tampered page %d:\n%s", status, body)
		}
		if v, err := r.dev.Verify(ctx, jws.URL(publicURL, bad)); err != nil || v.State != jws.Forged || v.OK() || v.Claims != nil {
			t.Errorf("tampered offline verdict %+v, %v", v, err)
		}
	})
	t.Run("SwappedKid", func(t *testing.T) {
		bad := swapKid(c.JWS, set.Keys[0].Kid) // the registry's kid on the device's signature
		if status, body := r.page(bad); status != 400 || !strings.Contains(body, "alterado o falso") {
			t.Errorf("swapped kid page %d:\n%s", status, body)
		}
		if v, err := r.dev.Verify(ctx, bad); err != nil || v.State != jws.Forged {
			t.Errorf("swapped kid offline verdict %+v, %v", v, err)
		}
	})
	t.Run("OtherFactsUnderAKnownCode", func(t *testing.T) {
		// A device's key signing another activity under a code the
		// registry holds.
		key, err := r.dev.SigningKey()
		if err != nil {
			t.Fatal(err)
		}
		tok, _ := jws.Parse(c.JWS)
		cl := tok.Claims
		cl.Activity = "TA-LENG-01"
		other, err := jws.Sign(key, cl)
		if err != nil {
			t.Fatal(err)
		}
		if status, body := r.page(other); status != 400 || !strings.Contains(body, "no coincide con el certificado de ese código") {
			t.Errorf("page %d:\n%s", status, body)
		}
	})
	t.Run("LegacyCodeStillAnswers", func(t *testing.T) {
		res, err := http.Get(r.srv.URL + "/verify/" + c.Code)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Errorf("/verify/%s: %d", c.Code, res.StatusCode)
		}
	})
}

// A certificate signed with a revoked key is genuine only if the registry
// received it before the revocation.
func TestRevokedKey(t *testing.T) {
	r := signedRig(t)
	ctx := context.Background()
	r.sync()
	sent := r.issue(2)[0]
	r.sync()
	late := r.issue(2)[0] // never reaches the registry
	e, _ := r.dev.Enrollment(ctx)
	if _, err := r.reg.RevokeDeviceBy(ctx, e.DeviceID, wire.StaffScope{}, wire.StaffAction{Actor: registry.ConsoleActor, Reason: "robada"}); err != nil {
		t.Fatal(err)
	}
	set, raw := r.keySet()
	if k, _ := set.Find(mustKid(t, late.JWS)); k.Status != wire.KeyRevoked || k.RevokedAt == nil {
		t.Fatalf("revoked device's key: %s", raw)
	}
	if status, body := r.page(sent.JWS); status != 200 || !strings.Contains(body, "✔ Certificado auténtico") {
		t.Errorf("received before the revocation: page %d:\n%s", status, body)
	}
	if status, body := r.page(late.JWS); status != 200 || !strings.Contains(body, "Firmado con una clave revocada") {
		t.Errorf("not received: page %d:\n%s", status, body)
	}
	// Another device pulls the keys and checks the late one offline.
	other := r.otherDevice(t)
	if v, err := other.Verify(ctx, jws.URL(publicURL, late.JWS)); err != nil || v.State != jws.RevokedKey || v.OK() {
		t.Errorf("offline verdict on a revoked key: %+v, %v", v, err)
	}
}

func mustKid(t *testing.T, token string) string {
	tok, err := jws.Parse(token)
	if err != nil {
		t.Fatal(err)
	}
	return tok.Kid
}

// otherDevice enrolls a second device with the rig's registry, the way
// devices did before signing keys (no key in the request), and syncs it:
// it registers its key then and pulls the key set.
func (r *devRig) otherDevice(t *testing.T) *storage.Store {
	ctx := context.Background()
	st, err := storage.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	body, _ := json.Marshal(wire.EnrollRequest{Code: r.enrollmentCode(), DeviceName: "Equipo anterior"})
	res, err := http.Post(r.srv.URL+wire.PathEnroll, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var er wire.EnrollResponse
	json.NewDecoder(res.Body).Decode(&er)
	res.Body.Close()
	if er.Token == "" || er.Kid != "" || er.PublicURL != publicURL {
		t.Fatalf("enroll without a key: %+v", er)
	}
	if err := st.SetEnrollment(ctx, wire.Enrollment{Registry: r.srv.URL, DeviceID: er.DeviceID, Token: er.Token, DeviceName: "Equipo anterior",
		Office: er.Office, Province: er.Province, EnrolledAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	c := r.newClient(st)
	sctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if _, err := c.Sync(sctx, nil); err != nil {
		t.Fatalf("sync: %v (%s)", err, detail(err))
	}
	kid, err := st.RegisteredKid(ctx)
	if err != nil || kid == "" {
		t.Fatalf("a device enrolled without a key registered none at its sync: %q %v", kid, err)
	}
	set, _ := r.keySet()
	if k, ok := set.Find(kid); !ok || k.Status != wire.KeyActive {
		t.Fatalf("its key %s is not published: %+v", kid, set)
	}
	return st
}

// pythonVerify checks token against the published key set with Python's
// cryptography package: an implementation other than the one that signed.
func pythonVerify(t *testing.T, keySet []byte, token string) {
	const script = `
import base64, json, sys
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
def b64(s): return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))
keys = json.loads(sys.argv[1])["keys"]
h, p, s = sys.argv[2].split(".")
kid = json.loads(b64(h))["kid"]
jwk = next(k for k in keys if k["kid"] == kid)
assert jwk["kty"] == "OKP" and jwk["crv"] == "Ed25519"
Ed25519PublicKey.from_public_bytes(b64(jwk["x"])).verify(b64(s), (h + "." + p).encode())
print(json.loads(b64(p))["c"])
`
	out, err := exec.Command("/usr/bin/python3", "-c", script, string(keySet), token).CombinedOutput()
	if err != nil {
		t.Fatalf("python cryptography rejects the JWS: %v\n%s", err, out)
	}
	tok, _ := jws.Parse(token)
	if strings.TrimSpace(string(out)) != tok.Claims.Code {
		t.Errorf("python read code %q, want %q", out, tok.Claims.Code)
	}
	out, err = exec.Command("/usr/bin/python3", "-c", script, string(keySet), tamper(t, token)).CombinedOutput()
	if err == nil {
		t.Errorf("python accepts a tampered JWS: %s", out)
	}
}

// A key registered with one enrollment is refused for another, with a
// sentence, and the enrollment stores nothing.
func TestEnrollWithRegisteredKey(t *testing.T) {
	r := signedRig(t)
	ctx := context.Background()
	key, err := r.dev.SigningKey()
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(wire.EnrollRequest{Code: r.enrollmentCode(), DeviceName: "Copia",
		PublicKey: base64.RawURLEncoding.EncodeToString(jws.Public(key))})
	res, err := http.Post(r.srv.URL+wire.PathEnroll, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var eb wire.ErrorBody
	json.NewDecoder(res.Body).Decode(&eb)
	res.Body.Close()
	if res.StatusCode != http.StatusConflict || eb.Error.Code != wire.CodeKeyRegistered || !strings.Contains(eb.Error.Message, "signing-key.pem") {
		t.Errorf("enroll with a registered key: %d %+v", res.StatusCode, eb)
	}
	devs, err := r.reg.Devices(ctx)
	if err != nil || len(devs) != 1 {
		t.Errorf("devices after the refusal: %d, %v", len(devs), err)
	}
}
