package ui_test

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/puntos-ar/puntos/storage/demo"
)

// TestScreens draws every screen; with PUNTOS_UI_SHOTS=DIR it saves them
// there as PNGs for a person to look at.
func TestScreens(t *testing.T) {
	h := newHarness(t)
	a := h.a
	dir := os.Getenv("PUNTOS_UI_SHOTS")
	shot := func(name string) {
		t.Helper()
		a.Wait()
		relayout(h.w.Canvas().Content())
		for _, o := range h.w.Canvas().Overlays().List() {
			relayout(o)
		}
		img := h.w.Canvas().Capture()
		if b := img.Bounds(); b.Dx() < 1000 || b.Dy() < 700 {
			t.Errorf("%s: got a %v image", name, b)
		}
		if dir == "" {
			return
		}
		f, err := os.Create(filepath.Join(dir, name+".png"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := png.Encode(f, img); err != nil {
			t.Fatal(err)
		}
	}
	shot("1-sessions")
	id := h.openToday()
	p := h.newcomer(id, 0)
	h.enter(p.DNI)
	test.Type(a.CheckinInput(), "gon")
	shot("2-checkin")
	a.CheckinInput().SetText("")
	h.enter("40.111.222")
	shot("3-walkin")
	test.Tap(a.WalkInCancel())
	test.Tap(a.CheckinCloseButton())
	shot("4-close")
	h.tapDialogButton("Cerrar encuentro")
	shot("5-closed")
	test.Tap(a.NavSessions())
	test.Tap(a.NewSessionButton())
	test.Tap(a.FormSave())
	test.Type(a.FormActivity(), "curso")
	shot("6-new-session")
	test.Tap(a.NavRoster())
	test.Type(a.RosterSearch(), "gar")
	var csv bytes.Buffer
	demo.Roster(&csv, 3000, 5)
	csv.WriteString("abc;;GARCÍA;Juan;ANSES;;Salta\n23456789;;;Ana;ANSES;;Salta\n")
	a.RosterImport("padron-salta.csv", nopCloser{bytes.NewReader(csv.Bytes())})
	shot("7-roster")
	test.Tap(a.NavSettings())
	shot("8-settings")
	a.LanguageChoice().SetSelected("English")
	test.Tap(a.NavSessions())
	shot("9-sessions-en")
	h.w.Resize(fyne.NewSize(1024, 700))
	a.OpenSessionForTest(id)
	shot("10-checkin-small")
}

// relayout lays out the whole tree again, top down, as the GL driver does
// when a minimum size changes (the test canvas does not).
func relayout(o fyne.CanvasObject) {
	switch x := o.(type) {
	case *fyne.Container:
		if x.Layout != nil {
			x.Layout.Layout(x.Objects, x.Size())
		}
		for _, c := range x.Objects {
			relayout(c)
		}
	case fyne.Widget:
		r := test.WidgetRenderer(x)
		if r == nil {
			return
		}
		r.Layout(x.Size())
		for _, c := range r.Objects() {
			relayout(c)
		}
	}
}
