//go:build !windows

package main

// attachConsole does nothing: only Windows starts GUI programs without
// their terminal's output.
func attachConsole() {}
