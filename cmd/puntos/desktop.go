package main

import (
	"fmt"
	"os"
)

// runDesktop opens the desktop app. Placeholder until the Fyne app lands.
func runDesktop(args []string) int {
	fmt.Fprintln(os.Stderr, "puntos: la aplicación de escritorio todavía no está disponible; ver «puntos help»")
	return 1
}
