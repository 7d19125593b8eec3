package server_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/puntos-ar/puntos/sync/jws"
	"github.com/puntos-ar/puntos/sync/wire"
)

// The official statement behind a ledger's year is signed with the
// registry's key, and its QR's page says the registry issued it.
func TestSignedStatement(t *testing.T) {
	e := newStaffEnv(t)
	seedBatches(t, e)
	rita := e.login("rita")
	var l wire.PersonLedger
	rita.get("/api/v1/staff/people/20123459/ledger", &l)
	if l.Years[0].Signed != "" || l.PublicURL != "" {
		t.Errorf("signed without a key: %+v", l)
	}
	key, _, err := e.st.SigningKey(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	e.srv.Key, e.srv.PublicURL = key, "https://verificar.example.gob.ar"
	rita.get("/api/v1/staff/people/20123459/ledger", &l)
	y := l.Years[0]
	tok, err := jws.Parse(y.Signed)
	if err != nil || l.PublicURL != e.srv.PublicURL || tok.Kid != jws.Kid(jws.Public(key)) || tok.Claims.DNI != "20123459" ||
		tok.Claims.Points != y.Points || tok.Claims.Dates[0] != "2026" || tok.Claims.Code != "" {
		t.Fatalf("signed statement %+v %v (ledger %+v)", tok, err, l)
	}
	res, err := http.Get(e.ts.URL + "/v/" + y.Signed)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), "✔ Constancia oficial auténtica") ||
		!strings.Contains(string(body), "emitido por el Registro central de puntos") || !strings.Contains(string(body), "20.123.459") {
		t.Errorf("statement page %d:\n%s", res.StatusCode, body)
	}
}
