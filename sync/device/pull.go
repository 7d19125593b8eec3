package device

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"github.com/puntos-ar/puntos/sync/wire"
)

func (c *Client) pullCatalog(ctx context.Context, res *Result, base, token string, progress func(Progress)) error {
	return pullFeed(ctx, c, res, base+wire.PathCatalog, token, wire.FeedCatalog, func(p *wire.CatalogPage, page int) (string, bool, error) {
		r, err := c.dev.ApplyCatalog(ctx, p)
		if err == nil {
			err = c.dev.SetPublicURL(ctx, p.PublicURL)
		}
		if err != nil {
			return "", false, err
		}
		res.Activities += r.Changed
		progress(Progress{Phase: PhaseCatalog, Done: page})
		return p.Next, p.More, nil
	})
}

func (c *Client) pullRoster(ctx context.Context, res *Result, base, token string, progress func(Progress)) error {
	return pullFeed(ctx, c, res, base+wire.PathRoster, token, wire.FeedRoster, func(p *wire.RosterPage, page int) (string, bool, error) {
		r, err := c.dev.ApplyRoster(ctx, p)
		if err != nil {
			return "", false, err
		}
		res.People += r.Changed
		progress(Progress{Phase: PhaseRoster, Done: page})
		return p.Next, p.More, nil
	})
}

// pullFeed fetches a feed page by page from its stored cursor; apply
// stores a page with its cursor (one transaction) and returns the next
// cursor and whether more pages follow.
func pullFeed[P any](ctx context.Context, c *Client, res *Result, endpoint, token, feed string,
	apply func(p *P, page int) (next string, more bool, err error)) error {
	cursor, err := c.dev.Cursor(ctx, feed)
	if err != nil {
		return err
	}
	for page := 1; ; page++ {
		u := endpoint
		if cursor != "" {
			u += "?" + wire.CursorParam + "=" + url.QueryEscape(cursor)
		}
		var p *P
		if err := c.retry(ctx, res, exchange{what: feed, sync: true}, func(int) error {
			a, err := c.do(ctx, res, http.MethodGet, u, token, nil)
			if err != nil {
				return err
			}
			p = new(P)
			return a.decode(p)
		}); err != nil {
			return err
		}
		next, more, err := apply(p, page)
		if err != nil {
			return fmt.Errorf("pull %s: %w", feed, err)
		}
		if !more {
			return nil
		}
		if next == cursor {
			return badAnswer(fmt.Errorf("%s page says more but keeps cursor %q", feed, cursor))
		}
		cursor = next
	}
}
