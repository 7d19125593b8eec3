package main

import (
	"errors"
	"fmt"
	"image"
	"image/png"
	"log/slog"
	"os"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/puntos-ar/puntos/cmd/internal/cli"
	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/ui"
)

// started is when the process began running Go code, for the first-frame
// time the smoke run reports.
var started = time.Now()

// runDesktop opens the desktop app on the data dir named by args (or the
// default one) and returns the exit code when the window closes.
func runDesktop(args []string) int {
	dir, _, err := cli.DataDir(args)
	if err != nil {
		fmt.Fprintf(os.Stderr, "puntos: %v\n", err)
		return 2
	}
	app.SetMetadata(ui.Metadata())
	a := app.NewWithID(ui.Metadata().ID)
	a.Settings().SetTheme(ui.Theme())

	// One app per data dir: a second one would write the same file.
	lock, err := storage.LockDir(dir)
	if err != nil {
		return refuse(a, err)
	}
	defer lock.Unlock()
	st, err := storage.Open(dir)
	if err != nil {
		return refuse(a, fmt.Errorf("No se pudieron abrir los datos en %s: %w", dir, err))
	}
	defer st.Close()

	w := a.NewWindow("Puntos")
	w.SetIcon(ui.Icon())
	w.Resize(fyne.NewSize(1280, 800))
	u := ui.New(w, st, ui.Options{DataDir: dir})
	w.SetMaster()
	code := 0
	if shot := os.Getenv("PUNTOS_SMOKE_SCREENSHOT"); shot != "" {
		a.Lifecycle().SetOnStarted(func() { go smoke(a, w, shot, &code) })
	}
	w.ShowAndRun()
	u.Wait() // let queued check-ins reach the store before it closes
	return code
}

// refuse shows why the app cannot start, in a small window, and on
// stderr for whoever launched it from a terminal.
func refuse(a fyne.App, err error) int {
	msg := err.Error()
	var le *storage.LockedError
	if !errors.As(err, &le) {
		slog.Error("open data", "err", err)
	}
	fmt.Fprintf(os.Stderr, "puntos: %s\n", msg)
	if os.Getenv("PUNTOS_SMOKE_SCREENSHOT") != "" {
		return 1 // no one to read a window
	}
	w := a.NewWindow("Puntos")
	text := widget.NewLabel(msg)
	text.Wrapping = fyne.TextWrapWord
	ok := widget.NewButton("Cerrar", a.Quit)
	ok.Importance = widget.HighImportance
	w.SetContent(container.NewPadded(container.NewBorder(nil, container.NewCenter(ok), nil, nil, text)))
	w.Resize(fyne.NewSize(480, 180))
	w.CenterOnScreen()
	w.ShowAndRun()
	return 1
}

// smoke waits for the window's first drawn frame, saves it as a PNG at
// path, reports how long after launch it came, and quits. It backs the
// Xvfb smoke run (.ci/smoke).
func smoke(a fyne.App, w fyne.Window, path string, code *int) {
	deadline := time.Now().Add(30 * time.Second)
	var img image.Image
	for time.Now().Before(deadline) {
		fyne.DoAndWait(func() { img = w.Canvas().Capture() })
		if img != nil && !blank(img) {
			break
		}
		img = nil
		time.Sleep(10 * time.Millisecond)
	}
	first := time.Since(started)
	if img == nil {
		fmt.Fprintln(os.Stderr, "puntos: smoke: no frame drawn within 30 s")
		*code = 1
		fyne.Do(a.Quit)
		return
	}
	fmt.Fprintf(os.Stderr, "puntos: smoke: first frame %d ms after launch\n", first.Milliseconds())
	// Give background loads (session list, counts) a moment to show, as a
	// person would see them.
	time.Sleep(700 * time.Millisecond)
	fyne.DoAndWait(func() { img = w.Canvas().Capture() })
	if err := writePNG(path, img); err != nil {
		fmt.Fprintf(os.Stderr, "puntos: smoke: %v\n", err)
		*code = 1
	}
	fyne.Do(a.Quit)
}

// blank reports whether every pixel of img has the same color.
func blank(img image.Image) bool {
	b := img.Bounds()
	if b.Empty() {
		return true
	}
	r0, g0, b0, a0 := img.At(b.Min.X, b.Min.Y).RGBA()
	for y := b.Min.Y; y < b.Max.Y; y += 3 {
		for x := b.Min.X; x < b.Max.X; x += 3 {
			r, g, bb, aa := img.At(x, y).RGBA()
			if r != r0 || g != g0 || bb != b0 || aa != a0 {
				return false
			}
		}
	}
	return true
}

func writePNG(path string, img image.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("save screenshot: %w", err)
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return fmt.Errorf("save screenshot: %w", err)
	}
	return f.Close()
}
