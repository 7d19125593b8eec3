package device_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/sync/wire"
)

// setOffice gives the device an office that can issue certificates: a
// signatory and a public verification address.
func setOffice(t *testing.T, st *storage.Store) {
	t.Helper()
	if err := st.SetOffice(context.Background(), storage.Office{Name: "Capacitación", VerifyBaseURL: "https://puntos.example.gob.ar",
		Signatories: []storage.Signatory{{Name: "Lic. Ana Pérez", Role: "Directora"}}}); err != nil {
		t.Fatal(err)
	}
}

// Certificates issued on a device travel with (or after) their attendance
// and then verify as genuine on the registry's public page.
func TestCertificatesSync(t *testing.T) {
	r := newDevRig(t)
	ctx := context.Background()
	r.record(1, 5)
	sessions, err := r.dev.Sessions(ctx, "closed")
	if err != nil || len(sessions) != 1 {
		t.Fatalf("sessions: %v %v", sessions, err)
	}
	// First the attendances alone; the certificates go in a later batch.
	r.sync()
	setOffice(t, r.dev)
	iss, err := r.dev.IssueCertificates(ctx, sessions[0].ID)
	if err != nil || len(iss.Certificates) != 6 {
		t.Fatalf("issue: %d certificates, %v", len(iss.Certificates), err)
	}
	res := r.sync()
	if res.Accepted != 6 || res.Rejected != 0 {
		t.Fatalf("certificate sync = %+v, want 6 accepted", res)
	}
	st, err := r.dev.SyncStatus(ctx)
	if err != nil || st.Pending != 0 || st.Problems != 0 {
		t.Fatalf("device status = %+v, %v", st, err)
	}
	code := iss.Certificates[0].Code
	resp, err := http.Get(r.srv.URL + strings.Replace(wire.PathCertificate, "{code}", code, 1))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var check wire.CertificateCheck
	if err := json.NewDecoder(resp.Body).Decode(&check); err != nil {
		t.Fatal(err)
	}
	if check.Status != wire.CertGenuine || check.Points == 0 || !strings.Contains(check.Name, iss.Certificates[0].Surname) {
		t.Errorf("check = %+v", check)
	}
	page, err := http.Get(r.srv.URL + "/verify/" + strings.ToLower(strings.ReplaceAll(code, "-", "")))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(page.Body)
	page.Body.Close()
	if page.StatusCode != 200 || !strings.Contains(strings.ToLower(string(body)), "válido") && !strings.Contains(strings.ToLower(string(body)), "auténtic") {
		t.Errorf("verify page %d:\n%.400s", page.StatusCode, body)
	}
}

// Certificates issued before the first sync travel in the same batch as
// their attendances.
func TestCertificatesSameBatch(t *testing.T) {
	r := newDevRig(t)
	ctx := context.Background()
	r.record(1, 3)
	sessions, _ := r.dev.Sessions(ctx, "closed")
	setOffice(t, r.dev)
	iss, err := r.dev.IssueCertificates(ctx, sessions[0].ID)
	if err != nil || len(iss.Certificates) != 4 {
		t.Fatalf("issue: %d, %v", len(iss.Certificates), err)
	}
	res := r.sync()
	if res.Batches != 1 || res.Accepted != 1+4+1+4 {
		t.Errorf("sync = %+v, want one batch: session, 4 attendances, walk-in, 4 certificates", res)
	}
}
