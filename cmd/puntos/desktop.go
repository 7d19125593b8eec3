package main

import (
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

// runDesktop opens the desktop app.
func runDesktop(args []string) int {
	a := app.NewWithID("ar.puntos.app")
	w := a.NewWindow("Puntos")
	w.SetContent(widget.NewLabel("x"))
	w.ShowAndRun()
	return 0
}
