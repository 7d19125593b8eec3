package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// limit is a rate limit on failures: at most max failures of a counter
// in a window; a client over it gets 429 with Retry-After until its
// window ends. The counters live in the Store, so several registry
// instances on one database share them.
type limit struct {
	name   string // names the counters in the store
	max    int
	window time.Duration
}

// The rate limits. Enrollment codes are one-time, expire in a week and
// carry 50 bits, so guessing only needs to be slow. Logins are counted
// per client address, and per account and address: a stranger who
// guesses a password blocks their own address, not the account's owner.
var (
	enrollLimit    = limit{"enroll", 10, 15 * time.Minute}
	loginHostLimit = limit{"login-host", 20, 15 * time.Minute}
	loginUserLimit = limit{"login-user", 5, 15 * time.Minute}
)

// key is the store's counter for the parts (a client address, an
// account): the limit's name and a hash, so that the store keeps no
// address or user name in the clear.
func (l limit) key(parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return l.name + ":" + hex.EncodeToString(h[:16])
}

// blocked returns how long the counter of parts must wait before it may
// try again, or 0 when it may.
func (s *Server) blocked(ctx context.Context, l limit, parts ...string) (time.Duration, error) {
	now := s.now()
	n, end, err := s.store.Failures(ctx, l.key(parts...), now)
	if err != nil || n < l.max {
		return 0, err
	}
	return end.Sub(now), nil
}

// countFailure counts a failure of the counter of parts.
func (s *Server) countFailure(ctx context.Context, l limit, parts ...string) error {
	return s.store.CountFailure(ctx, l.key(parts...), l.window, s.now())
}

// retryAfter sets the Retry-After header of a 429 to wait, in whole
// seconds rounded up.
func retryAfter(w http.ResponseWriter, wait time.Duration) {
	w.Header().Set("Retry-After", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
}

// ParseTrustedProxy parses a --trusted-proxy value: a CIDR prefix
// ("10.0.0.0/8", "::1/128") or a single address.
func ParseTrustedProxy(v string) (netip.Prefix, error) {
	v = strings.TrimSpace(v)
	if strings.Contains(v, "/") {
		p, err := netip.ParsePrefix(v)
		return p.Masked(), err
	}
	a, err := netip.ParseAddr(v)
	if err != nil {
		return netip.Prefix{}, err
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// trusted reports whether a is the address of a trusted proxy.
func (s *Server) trusted(a netip.Addr) bool {
	for _, p := range s.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// clientAddr is the address rate limits count a request under. It is the
// peer's address, unless the peer is a trusted proxy: then the
// X-Forwarded-For hops are walked from the right (the hop the proxy
// itself added) past other trusted proxies, and the first untrusted hop
// is the client. Hops to its left were written by the client and are
// never believed. An IPv6 client counts by its /64, which one host can
// fill with addresses at will.
func (s *Server) clientAddr(r *http.Request) string {
	peer, err := netip.ParseAddr(remoteHost(r))
	if err != nil {
		return remoteHost(r)
	}
	client := peer.Unmap().WithZone("")
	if s.trusted(client) {
		hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
		for i := len(hops) - 1; i >= 0 && s.trusted(client); i-- {
			hop, err := parseHop(hops[i])
			if err != nil {
				break // not an address: stop at the proxy that passed it on
			}
			client = hop
		}
	}
	if client.Is6() {
		p, _ := client.Prefix(64)
		return p.String()
	}
	return client.String()
}

// parseHop parses one X-Forwarded-For entry: an address, maybe with a
// port or in brackets.
func parseHop(v string) (netip.Addr, error) {
	v = strings.TrimSpace(v)
	if ap, err := netip.ParseAddrPort(v); err == nil {
		return ap.Addr().Unmap().WithZone(""), nil
	}
	a, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(v, "["), "]"))
	return a.Unmap().WithZone(""), err
}

// remoteHost is the address a request's connection came from, without
// its port.
func remoteHost(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
