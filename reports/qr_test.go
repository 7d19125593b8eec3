package reports_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"strings"
	"testing"

	"rsc.io/qr"

	"github.com/puntos-ar/puntos/reports"
	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/sync/jws"
)

// publicBase is a 37-character public address, the worst case the issue
// sizes the QR for.
const publicBase = "https://verificar.capacitacion.gob.ar"

// signedCert returns a course certificate (two dates) signed with a new
// key, with an activity code of the given length.
func signedCert(t *testing.T, activityLen int) reports.Certificate {
	t.Helper()
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	c := cert("7KQ2-M9XD-4FJ8", "Fernández", "María", "32345678")
	c.JWS, err = jws.Sign(key, jws.Claims{Code: c.Code, DNI: c.DNI, Activity: strings.Repeat("X", activityLen),
		Dates: []string{"2026-03-12", "2026-11-26"}, Points: 120, Kind: domain.KindApproval, Signed: issued.Unix()})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// qrVersion is the version rsc.io/qr picks for text at level M.
func qrVersion(t *testing.T, text string) int {
	code, err := qr.Encode(text, qr.M)
	if err != nil {
		t.Fatal(err)
	}
	return (code.Size - 17) / 4
}

// A signed certificate's QR holds <public URL>/v/<JWS>, stays at version
// 14 or below at level M for the worst case (a 37-character
// address, a two-date course, a 12-character activity code), and reads
// back from a 150 dpi rendering of the printed page.
func TestSignedQR(t *testing.T) {
	c := signedCert(t, 12)
	o := testOffice(t)
	o.VerifyBaseURL = publicBase
	want := jws.URL(publicBase, c.JWS)
	v := qrVersion(t, want)
	t.Logf("signed QR: %d bytes, version %d (level M)", len(want), v)
	if v > 14 {
		t.Errorf("QR version %d for %d bytes, want ≤ 14", v, len(want))
	}
	var buf bytes.Buffer
	if err := reports.CertificatesPDF(&buf, o, []reports.Certificate{c}, nil); err != nil {
		t.Fatal(err)
	}
	path := writeFile(t, "firmado.pdf", buf.Bytes())
	got := qrCodes(t, path, 1)
	if len(got) != 1 || got[0] != want {
		t.Fatalf("QR read back %q, want %q", got, want)
	}
	text := pdfText(t, path, 1, 1)
	if !strings.Contains(text, c.Code) {
		t.Errorf("the human-readable code %s is not printed: %q", c.Code, text)
	}
}

// The longest activity code the limits allow (domain.MaxActivityCode)
// still keeps the QR at version 14 or below.
func TestSignedQRLongestActivity(t *testing.T) {
	c := signedCert(t, domain.MaxActivityCode)
	text := jws.URL(publicBase, c.JWS)
	v := qrVersion(t, text)
	t.Logf("signed QR with a %d-character activity code: %d bytes, version %d (level M)", domain.MaxActivityCode, len(text), v)
	if v > 14 {
		t.Errorf("QR version %d for a %d-character activity code, want ≤ 14", v, domain.MaxActivityCode)
	}
}

// An official statement signed by the registry carries its QR, read back
// at 150 dpi.
func TestStatementQR(t *testing.T) {
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	token, err := jws.Sign(key, jws.Claims{DNI: "12345678", Dates: []string{"2026"}, Points: 45, Kind: "constancia", Signed: issued.Unix()})
	if err != nil {
		t.Fatal(err)
	}
	s := testStatement(false)
	s.VerifyURL = jws.URL(publicBase, token)
	var buf bytes.Buffer
	if err := reports.StatementPDF(&buf, s); err != nil {
		t.Fatal(err)
	}
	t.Logf("statement QR: %d bytes, version %d (level M)", len(s.VerifyURL), qrVersion(t, s.VerifyURL))
	path := writeFile(t, "constancia.pdf", buf.Bytes())
	if got := qrCodes(t, path, 1); len(got) != 1 || got[0] != s.VerifyURL {
		t.Errorf("QR read back %q, want %q", got, s.VerifyURL)
	}
}
