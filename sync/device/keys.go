package device

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"

	"github.com/puntos-ar/puntos/sync/jws"
	"github.com/puntos-ar/puntos/sync/wire"
)

// registerKey registers the device's signing key with the registry when
// it has not yet (a device enrolled before signing keys, or whose key
// the enrollment could not send).
func (c *Client) registerKey(ctx context.Context, res *Result, base, token string) error {
	kid, err := c.dev.RegisteredKid(ctx)
	if err != nil || kid != "" {
		return err
	}
	key, err := c.dev.SigningKey()
	if err != nil {
		return err
	}
	body, err := gzipJSON(wire.SigningKeyRequest{PublicKey: base64.RawURLEncoding.EncodeToString(jws.Public(key))})
	if err != nil {
		return err
	}
	var ans wire.SigningKeyResponse
	if err := c.retry(ctx, res, exchange{what: "signing key", sync: true}, func(int) error {
		a, err := c.do(ctx, res, http.MethodPost, base+wire.PathSigningKey, token, body)
		if err != nil {
			return err
		}
		return a.decode(&ans)
	}); err != nil {
		return err
	}
	if ans.Kid != jws.Kid(jws.Public(key)) {
		return badAnswer(fmt.Errorf("signing key registered as %q", ans.Kid))
	}
	return c.dev.SetRegisteredKid(ctx, ans.Kid)
}

// pullKeys stores the registry's published signing keys, which verify
// certificates offline until the next sync.
func (c *Client) pullKeys(ctx context.Context, res *Result, base string) error {
	var set wire.KeySet
	if err := c.retry(ctx, res, exchange{what: "keys", sync: true}, func(int) error {
		a, err := c.do(ctx, res, http.MethodGet, base+wire.PathKeys, "", nil)
		if err != nil {
			return err
		}
		return a.decodeBare(&set)
	}); err != nil {
		return err
	}
	return c.dev.SetKeySet(ctx, set)
}
