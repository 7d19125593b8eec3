package wire_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/sync/wire"
)

func TestCheckOnlineSession(t *testing.T) {
	virtual := session("s-1", "VI-CIBER-01", "2026-03-19")
	virtual.Modality, virtual.Municipality, virtual.Platform = "virtual", "", " Zoom "
	got, _, err := wire.CheckSession(virtual, now)
	if err != nil || got.Municipality != "" || got.Platform != "Zoom" {
		t.Fatalf("virtual session: %+v, %v", got, err)
	}
	hybrid := virtual
	hybrid.Modality = "hibrida"
	if _, _, err := wire.CheckSession(hybrid, now); !isReject(err, wire.RejectMunicipality) {
		t.Errorf("hybrid without a municipality: %v", err)
	}
	hybrid.Municipality = "Tandil"
	if _, _, err := wire.CheckSession(hybrid, now); err != nil {
		t.Errorf("hybrid session: %v", err)
	}
	a := att("a-1", "s-1", "20123456", "ausente")
	for _, m := range []int{-1, 24*60 + 1} {
		a.Minutes = &m
		if _, err := wire.CheckAttendance(a); !isReject(err, wire.RejectMinutes) {
			t.Errorf("minutes %d: %v", m, err)
		}
	}
}

// TestOldDeviceRecords: a batch from a device without online sessions
// (no platform, no minutes) still decodes and checks, and a new device's
// records leave the new fields out when they are empty.
func TestOldDeviceRecords(t *testing.T) {
	old := `{"id":"s-1","activity":"CH-INSP-01","date":"2026-03-19","province":"Salta","municipality":"Cafayate","modality":"presencial","closed_at":"2026-03-19T15:00:00Z"}`
	var s wire.SessionRecord
	if err := json.Unmarshal([]byte(old), &s); err != nil {
		t.Fatal(err)
	}
	if _, _, err := wire.CheckSession(s, now); err != nil {
		t.Fatalf("old session record: %v", err)
	}
	out, err := json.Marshal(att("a-1", "s-1", "20123456", "presente"))
	if err != nil || strings.Contains(string(out), "minutes") {
		t.Errorf("an attendance from the room carries minutes: %s", out)
	}
	out, _ = json.Marshal(session("s-1", "CH-INSP-01", "2026-03-19"))
	if strings.Contains(string(out), "platform") {
		t.Errorf("an in-person session carries a platform: %s", out)
	}
}

func isReject(err error, code string) bool {
	e, ok := errors.AsType[*domain.Error](err)
	return ok && e.Code == code
}
