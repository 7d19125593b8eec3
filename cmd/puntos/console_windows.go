//go:build windows

package main

import (
	"log"
	"os"
	"syscall"
)

// attachConsole lets a command typed in a terminal print there. puntos.exe
// is a GUI program (-H windowsgui), which Windows starts without a console,
// so "puntos --version" in cmd.exe or PowerShell would print nothing.
// Output already redirected to a file or a pipe is left alone. The desktop
// app never calls it: a window attached to a terminal closes with it.
func attachConsole() {
	if usable(os.Stdout) && usable(os.Stderr) {
		return
	}
	const attachParentProcess = uintptr(^uint32(0)) // ATTACH_PARENT_PROCESS
	if ok, _, _ := syscall.NewLazyDLL("kernel32.dll").NewProc("AttachConsole").Call(attachParentProcess); ok == 0 {
		return // no console to attach to: started from Explorer
	}
	if !usable(os.Stdout) {
		if f, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0); err == nil {
			os.Stdout = f
		}
	}
	if !usable(os.Stderr) {
		if f, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0); err == nil {
			os.Stderr = f
			log.SetOutput(f) // slog's default handler writes through log
		}
	}
}

// usable reports whether f is an open file, pipe or console.
func usable(f *os.File) bool {
	h := syscall.Handle(f.Fd())
	if h == 0 || h == syscall.InvalidHandle {
		return false
	}
	_, err := syscall.GetFileType(h)
	return err == nil
}
