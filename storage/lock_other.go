//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly || windows)

package storage

import "os"

// lockFile does nothing where the OS offers no file lock Puntos knows how
// to use; the desktop app only ships for Linux, Windows and macOS.
func lockFile(*os.File) (held bool, err error) { return false, nil }

func unlockFile(*os.File) error { return nil }
