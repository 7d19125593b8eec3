// Package kit is the small shell that the desktop app (package ui) and
// the central workspace (ui/central) share: the work queue that runs
// background work and brings its results to the main goroutine, the
// label tables and their translation, the theme, and the widgets and
// layouts both windows are drawn with.
package kit
