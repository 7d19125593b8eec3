package wire_test

import "github.com/puntos-ar/puntos/storage/registry/registrytest"

// now is the registry's clock in these tests (registrytest.Now).
var now = registrytest.Now

// session, att and batch build the fuzz seeds' records at registrytest.Now.
var (
	session = registrytest.Session
	att     = registrytest.Attendance
	batch   = registrytest.Batch
)
