package device_test

import (
	"os"
	"testing"

	"github.com/puntos-ar/puntos/storage/registry/pgtest"
)

// TestMain runs the tests on PostgreSQL too when asked (see pgtest).
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
