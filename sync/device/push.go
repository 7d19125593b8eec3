package device

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/puntos-ar/puntos/sync/wire"
)

func (c *Client) push(ctx context.Context, res *Result, base, token string, progress func(Progress)) error {
	total, err := c.dev.Waiting(ctx)
	if err != nil {
		return err
	}
	done := 0
	progress(Progress{Phase: PhasePush, Total: total})
	send := func(b *wire.Batch, built bool) error {
		if err := c.sendBatch(ctx, res, base, token, b, built); err != nil {
			return err
		}
		done += b.Records()
		progress(Progress{Phase: PhasePush, Done: min(done, total), Total: total})
		return nil
	}
	ids, err := c.dev.UnackedBatches(ctx)
	if err != nil {
		return err
	}
	for _, id := range ids {
		b, err := c.dev.Batch(ctx, id)
		if err != nil {
			return err
		}
		// Built in an earlier run: it may have reached the registry (or a
		// USB stick may have carried it), so ask for its receipt first.
		if err := send(b, true); err != nil {
			return err
		}
	}
	missing := res.Missing
	for {
		b, err := c.dev.NextBatch(ctx)
		if err != nil {
			return err
		}
		if b == nil {
			return nil
		}
		if err := send(b, false); err != nil {
			return err
		}
		if res.Missing > missing {
			// The registry left records out of a receipt: they are pending
			// again, and sending them at once could loop.
			return &Failure{Code: FailBadAnswer, Retry: true, Err: fmt.Errorf("receipt of batch %s misses %d outcomes", b.ID, res.Missing-missing),
				Message: "El registro no respondió por todos los registros de un lote: se volverán a enviar en la próxima sincronización."}
		}
	}
}

// maxRenewals bounds how many new IDs one batch gets in a sync: a
// registry that refuses fresh random IDs too is not helped by more.
const maxRenewals = 3

// sendBatch sends one batch until a registry's receipt for it is stored.
// When the registry holds another batch under its ID (409
// wire.CodeBatchConflict), the records get a new batch ID, stored before
// the next attempt, and go again under it.
func (c *Client) sendBatch(ctx context.Context, res *Result, base, token string, b *wire.Batch, askFirst bool) error {
	for renewals := 0; ; renewals++ {
		err := c.sendOnce(ctx, res, base, token, b, askFirst)
		var f *Failure
		if !errors.As(err, &f) || f.Code != wire.CodeBatchConflict || renewals == maxRenewals {
			return err
		}
		old := b.ID
		if b, err = c.dev.RenewBatch(ctx, old); err != nil {
			return fmt.Errorf("renew batch %s: %w", old, err)
		}
		c.Log.Warn("batch ID taken at the registry: records sent under a new ID", "batch", old, "new", b.ID)
		askFirst = false
	}
}

// sendOnce sends one batch under its ID until a registry's receipt for
// it is stored. After a failed attempt, whose fate is unknown, and for a
// batch built earlier (askFirst), it asks for the receipt first, so that
// a batch the registry already stored is not uploaded again.
func (c *Client) sendOnce(ctx context.Context, res *Result, base, token string, b *wire.Batch, askFirst bool) error {
	// The device clock goes fresh (the registry checks it for skew),
	// renewed when retries drag on; the records never change.
	var body []byte
	var encoded time.Time
	encode := func() error {
		out := *b
		encoded = c.Now()
		out.DeviceClock = encoded.UTC()
		var err error
		body, err = gzipJSON(&out)
		return err
	}
	if err := encode(); err != nil {
		return err
	}
	note := func(err *Failure) {
		if nerr := c.dev.NoteAttempt(context.WithoutCancel(ctx), b.ID, FailureMessage(err)); nerr != nil {
			c.Log.Error("note attempt", "batch", b.ID, "err", nerr)
		}
	}
	var rec *wire.Receipt
	err := c.retry(ctx, res, exchange{what: "batch " + b.ID, sync: true, note: note}, func(attempt int) error {
		rec = nil
		if attempt > 0 || askFirst {
			r, err := c.getReceipt(ctx, res, base, token, b.ID)
			if err == nil {
				rec = r
				return nil
			}
			if f := (*Failure)(nil); !errors.As(err, &f) || f.Status != http.StatusNotFound {
				return err
			}
		}
		if c.Now().Sub(encoded) > time.Minute {
			if err := encode(); err != nil {
				return err
			}
		}
		ans, err := c.do(ctx, res, http.MethodPost, base+wire.PathBatches, token, body)
		if err != nil {
			return err
		}
		var r wire.Receipt
		if err := ans.decode(&r); err != nil {
			return err
		}
		if err := checkReceipt(&r, b.ID); err != nil {
			return err
		}
		rec = &r
		return nil
	})
	if err != nil {
		return err
	}
	tally, err := c.dev.SaveReceipt(ctx, rec)
	if err != nil {
		return fmt.Errorf("store receipt: %w", err)
	}
	if !tally.Already {
		res.Batches++
		res.Records += b.Records()
		res.Tally.Add(tally)
	}
	return nil
}

func (c *Client) getReceipt(ctx context.Context, res *Result, base, token, id string) (*wire.Receipt, error) {
	ans, err := c.do(ctx, res, http.MethodGet, base+strings.Replace(wire.PathBatch, "{id}", url.PathEscape(id), 1), token, nil)
	if err != nil {
		return nil, err
	}
	var r wire.Receipt
	if err := ans.decode(&r); err != nil {
		return nil, err
	}
	return &r, checkReceipt(&r, id)
}

// checkReceipt checks a decoded receipt answers batch id with known
// results.
func checkReceipt(r *wire.Receipt, id string) error {
	if r.BatchID != id {
		return badAnswer(fmt.Errorf("receipt for batch %q, want %q", r.BatchID, id))
	}
	for _, o := range r.Outcomes {
		switch o.Result {
		case wire.Accepted, wire.Duplicate, wire.Conflict, wire.Rejected:
		default:
			return badAnswer(fmt.Errorf("receipt with result %q", o.Result))
		}
	}
	return nil
}
