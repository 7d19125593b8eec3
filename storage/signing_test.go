package storage_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/sync/jws"
)

// New certificates are signed and print the registry's public address
// once the registry said it; certificates issued before signing reprint
// as stored, with no JWS.
func TestSignedIssue(t *testing.T) {
	st := seeded(t)
	if err := st.SetOffice(ctx, storage.Office{Name: "Dirección de Capacitación", VerifyBaseURL: "https://oficina.example.gob.ar",
		Signatories: []storage.Signatory{{Name: "Lic. Ana Pérez", Role: "Directora"}}}); err != nil {
		t.Fatal(err)
	}
	// A certificate issued before signing: its stored text has no JWS.
	old := certSession(t, st, "CH-1", "2026-03-02", map[string]domain.Status{"21000111": domain.Presente})
	if _, err := st.IssueCertificates(ctx, old); err != nil {
		t.Fatal(err)
	}
	if err := st.ExecForTest(ctx, `UPDATE certificates SET fields = json_remove(fields, '$.jws')`); err != nil {
		t.Fatal(err)
	}
	re, err := st.IssueCertificates(ctx, old)
	if err != nil || len(re.Certificates) != 1 || re.Certificates[0].JWS != "" || re.Certificates[0].Office.VerifyBaseURL != "https://oficina.example.gob.ar" {
		t.Fatalf("old certificate reprint: %+v, %v", re, err)
	}

	// Before the registry's address is known, the office's is printed.
	var last string
	for _, d := range []string{"2026-04-06", "2026-04-13", "2026-04-20"} {
		last = certSession(t, st, "CU-1", d, map[string]domain.Status{"20123456": domain.Presente})
	}
	if err := st.SetPublicURL(ctx, "https://verificar.example.gob.ar"); err != nil {
		t.Fatal(err)
	}
	iss, err := st.IssueCertificates(ctx, last)
	if err != nil || len(iss.Certificates) != 1 {
		t.Fatalf("issue: %+v, %v", iss, err)
	}
	c := iss.Certificates[0]
	if c.Office.VerifyBaseURL != "https://verificar.example.gob.ar" {
		t.Errorf("prints %q, want the registry's public address", c.Office.VerifyBaseURL)
	}
	tok, err := jws.Parse(c.JWS)
	key, kerr := st.SigningKey()
	if err != nil || kerr != nil || !tok.VerifyWith(jws.Public(key)) {
		t.Fatalf("JWS %q: %v %v", c.JWS, err, kerr)
	}
	cl := tok.Claims
	if cl.Code != c.Code || cl.DNI != "20123456" || cl.Activity != "CU-1" || len(cl.Dates) != 2 || cl.Dates[0] != "2026-04-06" ||
		cl.Dates[1] != "2026-04-20" || cl.Points != c.Points || cl.Kind != domain.KindApproval || cl.Signed != c.IssuedAt.Unix() {
		t.Errorf("claims %+v for %+v", cl, c.CertificateText)
	}
	// The old certificate still reprints as stored, address included.
	if re2, _ := st.IssueCertificates(ctx, old); re2.Certificates[0].JWS != "" || re2.Certificates[0].Office.VerifyBaseURL != "https://oficina.example.gob.ar" {
		t.Errorf("old certificate changed: %+v", re2.Certificates[0])
	}
}

// A new enrollment after a registered key gets a new key; the old one is
// kept beside, named by its kid.
func TestFreshSigningKey(t *testing.T) {
	st := seeded(t)
	k1, err := st.FreshSigningKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := st.FreshSigningKey(ctx); !again.Equal(k1) {
		t.Error("an unregistered key was replaced")
	}
	kid := jws.Kid(jws.Public(k1))
	if err := st.SetRegisteredKid(ctx, kid); err != nil {
		t.Fatal(err)
	}
	k2, err := st.FreshSigningKey(ctx)
	if err != nil || k2.Equal(k1) {
		t.Fatalf("registered key not replaced: %v", err)
	}
	if _, err := os.Stat(filepath.Join(st.Dir(), jws.DeviceKeyFile+"."+kid+".old")); err != nil {
		t.Errorf("old key not kept: %v", err)
	}
	if got, _ := st.RegisteredKid(ctx); got != "" {
		t.Errorf("registered kid %q after a new key", got)
	}
}
