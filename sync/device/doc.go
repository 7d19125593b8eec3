// Package device is the device side of sync: the Client that enrolls a
// device and syncs it with the registry (push with receipts, catalog and
// roster pulls, retries with backoff, observers and Wake), the Background
// sync of the desktop app, the signed USB export, and the StaffClient of
// the central workspace for the registry's staff API. The device's store
// is the interface Store; storage.Store implements it.
package device
