package domain

import (
	"net"
	"net/url"
	"strings"
)

// PrivateAddress tells whether a verification address points at this
// machine or a private network (loopback 127.0.0.0/8 and ::1, localhost,
// 10/8, 172.16/12, 192.168/16, fc00::/7, link-local, unspecified): a phone
// that scans a certificate cannot reach it. Only a demo prints one.
func PrivateAddress(raw string) bool {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return false
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && (ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsUnspecified())
}
