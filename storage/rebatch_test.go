package storage_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/sync/wire"
)

func TestRenewBatch(t *testing.T) {
	st := seeded(t)
	walk := domain.Person{DNI: "31222333", Surname: "ÑANDÚ", GivenNames: "José"}
	s1 := closedSession(t, st, "CH-1", []string{"20123456", "21000111"}, &walk)
	first, err := st.NextBatch(ctx)
	if err != nil || first == nil {
		t.Fatalf("NextBatch = %v, %v", first, err)
	}
	st.Now = func() time.Time { return time.Date(2026, 11, 27, 14, 0, 0, 0, time.UTC) } // an hour later
	closedSession(t, st, "CU-1", []string{"22000222"}, nil)
	second, err := st.NextBatch(ctx)
	if err != nil || second == nil {
		t.Fatalf("second NextBatch = %v, %v", second, err)
	}

	renewed, err := st.RenewBatch(ctx, first.ID)
	if err != nil {
		t.Fatal(err)
	}
	if renewed.ID == first.ID || !wire.ValidRecordID(renewed.ID) {
		t.Fatalf("renewed ID %q", renewed.ID)
	}
	want := *first
	want.ID = renewed.ID
	if !reflect.DeepEqual(normalize(t, renewed), normalize(t, &want)) {
		t.Errorf("renewed batch carries other records:\n%+v\nwant\n%+v", renewed, want)
	}
	// The renewed batch keeps its place before the later one, and the old
	// ID is gone.
	ids, err := st.UnackedBatches(ctx)
	if err != nil || !reflect.DeepEqual(ids, []string{renewed.ID, second.ID}) {
		t.Errorf("UnackedBatches = %v, %v; want [%s %s]", ids, err, renewed.ID, second.ID)
	}
	if _, err := st.Batch(ctx, first.ID); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("old batch: err = %v, want ErrNotFound", err)
	}
	if _, err := st.RenewBatch(ctx, first.ID); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("renewing a dropped ID: err = %v, want ErrNotFound", err)
	}
	// The records follow the new ID: its receipt acknowledges them all.
	tally, err := st.SaveReceipt(ctx, acceptAll(renewed))
	if err != nil {
		t.Fatal(err)
	}
	if tally.Missing != 0 || tally.Accepted != renewed.Records()-len(renewed.Certificates) {
		t.Errorf("tally %+v for the renewed batch", tally)
	}
	info, err := st.Session(ctx, s1.ID)
	if err != nil || info.SyncState != wire.Accepted {
		t.Errorf("session after the renewed receipt: %q, %v", info.SyncState, err)
	}
	if s := syncStatus(t, st); s.InFlightBatches != 1 {
		t.Errorf("status %+v, want only the later batch in flight", s)
	}
}
