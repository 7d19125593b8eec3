package registry_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"sync"
	"testing"

	"github.com/puntos-ar/puntos/storage/registry"
	"github.com/puntos-ar/puntos/storage/registry/registrytest"
)

// Instances starting together on one database end with one signing key:
// exactly one of them makes it, and every one reads it back.
func TestSigningKeyOnePerDatabase(t *testing.T) {
	dir := t.TempDir()
	stores := []*registry.Store{open(t, dir), registrytest.Open(t, dir)}
	type got struct {
		key    ed25519.PrivateKey
		source registry.KeySource
		err    error
	}
	results := make([]got, 8)
	var wg sync.WaitGroup
	for i := range results {
		wg.Go(func() {
			k, src, err := stores[i%2].SigningKey(t.Context(), nil)
			results[i] = got{k, src, err}
		})
	}
	wg.Wait()
	made := 0
	for i, r := range results {
		if r.err != nil {
			t.Fatalf("instance %d: %v", i, r.err)
		}
		if !r.key.Equal(results[0].key) {
			t.Errorf("instance %d got another key", i)
		}
		switch r.source {
		case registry.KeyNew:
			made++
		case registry.KeyStored:
		default:
			t.Errorf("instance %d: source %q", i, r.source)
		}
	}
	if made != 1 {
		t.Errorf("%d instances made a key, want 1", made)
	}
	// A key file found later does not replace the stored key.
	_, file, _ := ed25519.GenerateKey(rand.Reader)
	k, src, err := stores[1].SigningKey(t.Context(), file)
	if err != nil || src != registry.KeyStored || !k.Equal(results[0].key) {
		t.Errorf("with a file key after: source %q, same key %v, %v", src, k.Equal(results[0].key), err)
	}
}

// A registry that kept its key in a file stores that key, once, and keeps
// it after reopening.
func TestSigningKeyImported(t *testing.T) {
	dir := t.TempDir()
	_, file, _ := ed25519.GenerateKey(rand.Reader)
	k, src, err := open(t, dir).SigningKey(t.Context(), file)
	if err != nil || src != registry.KeyImported || !k.Equal(file) {
		t.Fatalf("import: source %q, same key %v, %v", src, k.Equal(file), err)
	}
	k, src, err = open(t, dir).SigningKey(t.Context(), file)
	if err != nil || src != registry.KeyStored || !k.Equal(file) {
		t.Errorf("reopened: source %q, same key %v, %v", src, k.Equal(file), err)
	}
}
