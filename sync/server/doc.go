// Package server is the registry side of sync: the HTTP API devices sync
// with (enrollment, batch push and receipts, catalog and roster pulls,
// certificate lookups), the public verification page, the import of
// signed USB files, the staff API of the central workspace (login and
// sessions, inbox, review, ledger, compliance, devices, audit log) with its
// auth and rate limits, and Serve to run it all. The stores it needs are
// the interfaces Store and StaffStore; storage/registry implements them.
package server
