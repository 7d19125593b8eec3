package ui_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/puntos-ar/puntos/sync/jws"
	"github.com/puntos-ar/puntos/sync/wire"
)

// The "Verificar certificado" screen checks what a QR reader types (or a
// typed code) offline and shows the verdict.
func TestVerifyScreen(t *testing.T) {
	h := newHarness(t)
	a := h.a
	iss, err := h.st.IssueCertificates(ctx, h.biggestClosedSession().ID)
	if err != nil || len(iss.Certificates) == 0 || iss.Certificates[0].JWS == "" {
		t.Fatalf("issue: %+v, %v", iss, err)
	}
	c := iss.Certificates[0]
	key, err := h.st.SigningKey()
	if err != nil {
		t.Fatal(err)
	}
	pub := jws.Public(key)
	// The keys as a sync would have pulled them.
	if err := h.st.SetKeySet(ctx, wire.KeySet{Keys: []wire.JWK{{Kty: "OKP", Crv: "Ed25519", Kid: jws.Kid(pub),
		X: base64.RawURLEncoding.EncodeToString(pub), Office: "Capacitación Tandil", Province: "Buenos Aires", Status: wire.KeyActive}}}); err != nil {
		t.Fatal(err)
	}
	test.Tap(a.NavSettings())
	open := a.VerifyButton()
	if open == nil {
		t.Fatal("no verify button on the settings screen")
	}
	test.Tap(open)
	verify := func(text string) string {
		t.Helper()
		in, _ := a.VerifyInput()
		if in == nil {
			t.Fatal("verify screen not showing")
		}
		in.SetText("")
		test.Type(in, text) // as a QR reader types
		in.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		a.Wait()
		_, texts := a.VerifyInput()
		return strings.Join(texts, "\n")
	}
	if got := verify(jws.URL("https://verificar.example.gob.ar", c.JWS)); !strings.Contains(got, "✔ Firma auténtica: firmado por Capacitación Tandil") ||
		!strings.Contains(got, c.Code) {
		t.Errorf("genuine QR:\n%s", got)
	}
	if got := verify(c.Code); !strings.Contains(got, "✔ Firma auténtica") {
		t.Errorf("typed code:\n%s", got)
	}
	parts := strings.Split(c.JWS, ".")
	raw, _ := base64.RawURLEncoding.DecodeString(parts[1])
	bad := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(strings.Replace(string(raw), `"p":`, `"p":9`, 1))) + "." + parts[2]
	if got := verify(bad); !strings.Contains(got, "✖ Certificado alterado o falso") || strings.Contains(got, c.Code) {
		t.Errorf("tampered QR:\n%s", got)
	}
	if got := verify("hola"); !strings.Contains(got, "no es el contenido del código QR") {
		t.Errorf("text that is no certificate:\n%s", got)
	}
}
