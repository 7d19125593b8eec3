package domain_test

import (
	"testing"

	"github.com/puntos-ar/puntos/storage/domain"
)

func TestPrivateAddress(t *testing.T) {
	for raw, want := range map[string]bool{
		"http://127.0.0.1:8080":         true,
		"http://127.8.9.10":             true,
		"https://localhost/":            true,
		"https://LOCALHOST.:8443":       true,
		"https://puntos.localhost":      true,
		"http://[::1]:8080":             true,
		"https://10.1.2.3":              true,
		"https://172.16.0.1":            true,
		"https://172.31.255.255":        true,
		"https://192.168.1.10/puntos":   true,
		"https://169.254.10.1":          true,
		"https://[fe80::1]":             true,
		"https://0.0.0.0":               true,
		"https://puntos.gob.ar":         false,
		"https://172.32.0.1":            false,
		"https://200.51.10.1":           false,
		"https://registro.example.org/": false,
	} {
		if got := domain.PrivateAddress(raw); got != want {
			t.Errorf("PrivateAddress(%q) = %v, want %v", raw, got, want)
		}
	}
}
