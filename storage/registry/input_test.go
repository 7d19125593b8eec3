package registry_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/storage/registry"
	"github.com/puntos-ar/puntos/sync/wire"
)

// TestOpenEmptyFile: a zero-byte registry.db is refused, named, and
// left as it is.
func TestOpenEmptyFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, registry.FileName)
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := registry.Open(dir)
	if e, ok := errors.AsType[*domain.Error](err); !ok || e.Code != domain.CodeDataFileEmpty || !strings.Contains(e.Error(), path) {
		t.Fatalf("got %v, want %s naming %s", err, domain.CodeDataFileEmpty, path)
	}
	if fi, err := os.Stat(path); err != nil || fi.Size() != 0 {
		t.Errorf("the file was touched: %v, %v", fi, err)
	}
}

// TestReasonTooLong: every staff decision refuses a reason over
// domain.MaxReason characters before it changes anything.
func TestReasonTooLong(t *testing.T) {
	st := open(t, t.TempDir())
	ctx := t.Context()
	by := wire.StaffAction{Actor: "ana", Reason: strings.Repeat("m", domain.MaxReason+1), At: now}
	_, err1 := st.ResolveReview(ctx, 1, wire.ReviewDecision{Decision: wire.DecisionReject, Reason: by.Reason}, wire.StaffScope{}, by)
	_, err2 := st.ReverseEntry(ctx, 1, wire.StaffScope{}, by)
	_, err3 := st.RevokeCertificateBy(ctx, "ABCD-EFGH-JK", wire.StaffScope{}, by)
	_, err4 := st.RevokeDeviceBy(ctx, "dev-1", wire.StaffScope{}, by)
	for i, err := range []error{err1, err2, err3, err4} {
		if e, ok := errors.AsType[*domain.Error](err); !ok || e.Code != domain.CodeTooLong || e.Field != "reason" || e.Max != domain.MaxReason {
			t.Errorf("decision %d: got %v, want too_long on the reason", i+1, err)
		}
	}
	by.Reason = strings.Repeat("m", domain.MaxReason)
	if _, err := st.RevokeDeviceBy(ctx, "dev-1", wire.StaffScope{}, by); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("a reason at the limit: got %v, want the device not found", err)
	}
}
