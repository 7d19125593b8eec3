// Package version holds the app's name, version and build number, generated
// from FyneApp.toml (the one source of truth) for code that does not link
// Fyne, by the same generator as the app's metadata: "go generate ./ui/".
package version

import "fmt"

// String returns the version and build number as people read them, for
// --version: "0.1.0 (compilación 1)".
func String() string {
	return fmt.Sprintf("%s (compilación %d)", Version, Build)
}
