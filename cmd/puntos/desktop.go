package main

import (
	"context"
	"fmt"
	"image"
	"image/png"
	"log/slog"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/software"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/puntos-ar/puntos/cmd/internal/cli"
	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/storage/csvin/xlsx"
	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/sync/device"
	"github.com/puntos-ar/puntos/ui"
	"github.com/puntos-ar/puntos/ui/kit"
)

// syncEvery is the wait between background syncs that worked; a sync
// that cannot reach the registry retries with backoff meanwhile (the
// client's: from half a second up to a minute).
const syncEvery = 5 * time.Minute

// started is when the process began running Go code, for the first-frame
// time the smoke run reports; processStart refines it where the OS tells.
var started = time.Now()

// processStart returns when the OS started this process (on Linux, from
// /proc, to 10 ms), so the first-frame time includes loading the binary
// and initialising the runtime; elsewhere it returns started.
func processStart() time.Time {
	now := time.Now()
	stat, err1 := os.ReadFile("/proc/self/stat")
	up, err2 := os.ReadFile("/proc/uptime")
	if err1 != nil || err2 != nil {
		return started
	}
	// Field 22 of stat (start time in ticks after boot), counted after
	// the ")" that ends the command name.
	fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
	upFields := strings.Fields(string(up))
	if len(fields) < 20 || len(upFields) < 1 {
		return started
	}
	ticks, err1 := strconv.ParseInt(fields[19], 10, 64)
	uptime, err2 := strconv.ParseFloat(upFields[0], 64)
	if err1 != nil || err2 != nil {
		return started
	}
	const hz = 100 // USER_HZ on every Linux Puntos ships for
	age := time.Duration((uptime - float64(ticks)/hz) * float64(time.Second))
	if t := now.Add(-age); t.Before(started) && started.Sub(t) < time.Minute {
		return t
	}
	return started
}

// runDesktop opens the desktop app on the data dir named by args (or the
// default one) and returns the exit code when the window closes.
func runDesktop(args []string) int {
	dir, _, err := cli.DataDir(args)
	if err != nil {
		fmt.Fprintf(os.Stderr, "puntos: %v\n", err)
		return 2
	}
	// The app lives all day on a laptop: keep the Go heap small (a soft
	// limit; the GC works harder near it, nothing fails past it).
	debug.SetMemoryLimit(96 << 20)
	app.SetMetadata(ui.Metadata())
	a := app.NewWithID(ui.Metadata().ID)
	a.Settings().SetTheme(kit.Theme())

	// One app per data dir: a second one would write the same file.
	lock, err := storage.LockDir(dir)
	if err != nil {
		return refuse(a, err)
	}
	defer lock.Unlock()
	st, err := storage.Open(dir)
	if err != nil {
		slog.Error("open data", "dir", dir, "err", err)
		return refuse(a, fmt.Errorf("No se pudieron abrir los datos en %s. %s", dir, domain.Message(err, "es")))
	}
	defer st.Close()
	st.Workbook = xlsx.Reader{}

	w := a.NewWindow("Puntos")
	w.SetIcon(ui.Icon())
	// Sync in the background while the window is open: at once, every
	// few minutes, and when asked (a session closed, "Sincronizar
	// ahora", an enrollment); offline, each sync retries with backoff.
	client := device.NewClient(st)
	client.Log = slog.Default()
	bg := device.NewBackground(client)
	bg.Interval = syncEvery
	_, err = st.Enrollment(context.Background())
	link := ui.NewSyncLink(client, bg, err == nil)
	syncCtx, stopSync := context.WithCancel(context.Background())
	syncDone := make(chan struct{})
	go func() {
		defer close(syncDone)
		link.Run(syncCtx)
	}()

	u := ui.New(w, st, ui.Options{DataDir: dir, Sync: link, Enroll: link, Reports: st, Participants: st, Surveys: st})
	w.SetMaster()
	var code atomic.Int32
	if shot := os.Getenv("PUNTOS_SMOKE_SCREENSHOT"); shot != "" {
		probe, painted := paintProbe()
		w.SetContent(container.NewStack(w.Content(), probe))
		a.Lifecycle().SetOnStarted(func() { go smoke(a, w, shot, painted, &code) })
	}
	w.ShowAndRun()
	stopSync()
	<-syncDone // the sync notes how it ended before the store closes
	u.Stop()   // let queued check-ins reach the store before it closes
	return int(code.Load())
}

// refuse shows why the app cannot start, in a small window, and on
// stderr for whoever launched it from a terminal.
func refuse(a fyne.App, err error) int {
	msg := err.Error()
	fmt.Fprintf(os.Stderr, "puntos: %s\n", msg)
	if os.Getenv("PUNTOS_SMOKE_SCREENSHOT") != "" {
		return 1 // no one to read a window
	}
	w := a.NewWindow("Puntos")
	w.SetIcon(ui.Icon())
	text := widget.NewLabel(msg)
	text.Wrapping = fyne.TextWrapWord
	ok := widget.NewButton("Cerrar", a.Quit)
	ok.Importance = widget.HighImportance
	w.SetContent(container.NewPadded(container.NewVBox(text, container.NewHBox(layout.NewSpacer(), ok))))
	w.Resize(fyne.NewSize(520, 10)) // as tall as the text needs
	w.SetFixedSize(true)
	w.CenterOnScreen()
	w.ShowAndRun()
	return 1
}

// smoke waits for the window's first painted frame, reports how long
// after launch it came, saves a screenshot of the window at path and
// quits. It backs the Xvfb smoke run (.ci/smoke).
//
// The first frame is detected by a 1×1 raster probe in the window: the
// GL painter calls its generator when it draws it. The screenshot is
// Canvas.Capture; where that reads back an empty front buffer (Mesa's
// software GL on Xvfb does), the window's content is rendered with
// Fyne's software painter instead, and the log says so.
func smoke(a fyne.App, w fyne.Window, path string, painted <-chan time.Time, code *atomic.Int32) {
	var first time.Time
	select {
	case first = <-painted:
	case <-time.After(30 * time.Second):
		fmt.Fprintln(os.Stderr, "puntos: smoke: no frame painted within 30 s")
		code.Store(1)
		fyne.Do(a.Quit)
		return
	}
	fmt.Fprintf(os.Stderr, "puntos: smoke: first frame %d ms after the process started (%d ms after Go code began)\n",
		first.Sub(processStart()).Milliseconds(), first.Sub(started).Milliseconds())
	// Let the background loads (session list, counts) show, as a person
	// would see them.
	time.Sleep(time.Second)
	var img image.Image
	how := "Canvas.Capture"
	fyne.DoAndWait(func() {
		img = w.Canvas().Capture()
		if img == nil || blank(img) {
			how = "software painter (Canvas.Capture read back an empty GL front buffer)"
			size := w.Canvas().Size()
			c := software.NewCanvas()
			c.SetPadded(false)
			c.SetContent(w.Content())
			c.Resize(size)
			img = c.Capture()
		}
	})
	fmt.Fprintf(os.Stderr, "puntos: smoke: screenshot by %s, window %dx%d\n", how, img.Bounds().Dx(), img.Bounds().Dy())
	if err := writePNG(path, img); err != nil {
		fmt.Fprintf(os.Stderr, "puntos: smoke: %v\n", err)
		code.Store(1)
	}
	// PUNTOS_SMOKE_HOLD keeps the window up a while after the screenshot,
	// for the smoke run to grab the whole screen too.
	if hold, err := time.ParseDuration(os.Getenv("PUNTOS_SMOKE_HOLD")); err == nil {
		time.Sleep(hold)
	}
	fyne.Do(a.Quit)
}

// paintProbe returns a 1×1 transparent raster and a channel that gets
// the time the GL painter first drew it.
func paintProbe() (fyne.CanvasObject, <-chan time.Time) {
	ch := make(chan time.Time, 1)
	var once sync.Once
	r := canvas.NewRaster(func(w, h int) image.Image {
		once.Do(func() { ch <- time.Now() })
		return image.NewNRGBA(image.Rect(0, 0, max(w, 1), max(h, 1)))
	})
	r.Resize(fyne.NewSize(1, 1))
	return container.NewWithoutLayout(r), ch
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
