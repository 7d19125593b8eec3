package cli_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/storage/demo"
	"github.com/puntos-ar/puntos/storage/registry"
	"github.com/puntos-ar/puntos/sync/jws"
	"github.com/puntos-ar/puntos/sync/wire"
)

// puntos verify checks a certificate's QR text offline with the keys of
// the last sync: exit 0 for genuine, 1 for a tampered payload, a swapped
// kid or a revoked key.
func TestVerifyCommand(t *testing.T) {
	dir, url, code, reg := cliRegistry(t, 20)
	if c, _, errs := run(t, dir, "verify", "ABCD-EFGH-JK"); c != 1 || !strings.Contains(errs, "no se emitió en este equipo") {
		t.Errorf("verify of an unknown code: exit %d, %q", c, errs)
	}
	mustRun(t, dir, "enroll", url, code(), "--name", "Notebook Salta")
	if fi, err := os.Stat(filepath.Join(dir, jws.DeviceKeyFile)); err != nil || runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Fatalf("signing key file: %v %v, want owner-only", fi, err)
	}
	yesterday := time.Now().AddDate(0, 0, -1).Format("2006-01-02")
	id := strings.TrimSpace(mustRun(t, dir, "session", "new", "--activity", "CH-INSP-01", "--date", yesterday,
		"--province", "Salta", "--municipality", "Cafayate"))
	mustRun(t, dir, "session", "checkin", id, demo.Person(0, 1).DNI)
	mustRun(t, dir, "session", "close", id)
	if c, _, errs := run(t, dir, "verify", "x.y.z"); c != 1 || !strings.Contains(errs, "sincronizalo una vez") {
		t.Errorf("verify before any key pull: exit %d, %q", c, errs)
	}
	mustRun(t, dir, "office", "set", "--name", "Capacitación Salta", "--signatory", "Lic. Ana Pérez|Directora", "--verify-url", "https://puntos.example.gob.ar")
	mustRun(t, dir, "certificates", id, "--out", t.TempDir())
	mustRun(t, dir, "sync")

	st, err := storage.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	iss, err := st.IssueCertificates(context.Background(), id) // a reprint: the stored text
	st.Close()
	if err != nil || len(iss.Certificates) != 1 || iss.Certificates[0].JWS == "" {
		t.Fatalf("certificates: %+v, %v", iss, err)
	}
	c := iss.Certificates[0]
	qr := jws.URL("https://verificar.example.gob.ar", c.JWS)

	out := mustRun(t, dir, "verify", qr)
	if !strings.Contains(out, "Firma auténtica") || !strings.Contains(out, c.Code) {
		t.Errorf("verify: %s", out)
	}
	var v struct {
		Verdict string `json:"verdict"`
		Office  string `json:"office"`
		Claims  struct {
			Code string   `json:"c"`
			DNI  string   `json:"d"`
			S    []string `json:"s"`
		} `json:"claims"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, dir, "verify", c.Code, "--json")), &v); err != nil ||
		v.Verdict != jws.NotReceived || v.Claims.Code != c.Code || v.Claims.DNI != c.DNI || v.Claims.S[0] != yesterday || v.Office != "Capacitación Salta" {
		t.Errorf("verify --json: %+v, %v", v, err)
	}

	parts := strings.Split(c.JWS, ".")
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	forged := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(strings.Replace(string(payload), c.DNI, "99999999", 1))) + "." + parts[2]
	if code, out, _ := run(t, dir, "verify", forged); code != 1 || !strings.Contains(out, "alterado o falso") {
		t.Errorf("tampered: exit %d, %s", code, out)
	}
	h, _ := json.Marshal(map[string]string{"alg": "EdDSA", "kid": "AAAAAAAA"})
	swapped := base64.RawURLEncoding.EncodeToString(h) + "." + parts[1] + "." + parts[2]
	if code, out, _ := run(t, dir, "verify", swapped); code != 1 || !strings.Contains(out, "alterado o falso") {
		t.Errorf("swapped kid: exit %d, %s", code, out)
	}

	// The device is revoked before the registry got a second certificate.
	id2 := strings.TrimSpace(mustRun(t, dir, "session", "new", "--activity", "TA-LENG-01", "--date", yesterday,
		"--province", "Salta", "--municipality", "Cafayate"))
	mustRun(t, dir, "session", "checkin", id2, demo.Person(1, 1).DNI)
	mustRun(t, dir, "session", "close", id2)
	mustRun(t, dir, "certificates", id2, "--out", t.TempDir())
	st, err = storage.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	iss2, err := st.IssueCertificates(context.Background(), id2)
	e, _ := st.Enrollment(context.Background())
	st.Close()
	if err != nil || len(iss2.Certificates) != 1 {
		t.Fatalf("second certificates: %v", err)
	}
	if _, err := reg.RevokeDeviceBy(context.Background(), e.DeviceID, wire.StaffScope{}, wire.StaffAction{Actor: registry.ConsoleActor, Reason: "robada"}); err != nil {
		t.Fatal(err)
	}
	other := t.TempDir()
	mustRun(t, other, "enroll", url, code(), "--name", "Otra notebook")
	mustRun(t, other, "sync")
	if code, out, _ := run(t, other, "verify", iss2.Certificates[0].JWS); code != 1 || !strings.Contains(out, "clave revocada") {
		t.Errorf("revoked key: exit %d, %s", code, out)
	}
}
