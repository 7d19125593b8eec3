// Package reports renders Puntos' printed documents (certificates, attendance
// sheets, statements of points, the compliance report) as PDF and its exports
// as CSV, from plain structs.
package reports
