package ui_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/puntos-ar/puntos/storage"
)

// pngFile writes a w×h PNG with a dark band (a stand-in for a logo or a
// signature) and returns its path and bytes.
func pngFile(t *testing.T, name string, w, h int) (string, []byte) {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.NRGBA{0, 0, 0, 0}
			if y > h/3 && y < 2*h/3 || x < w/8 {
				c = color.NRGBA{20, 60, 140, 255}
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, b.Bytes()
}

func TestOfficeForm(t *testing.T) {
	h := newHarness(t)
	a := h.a
	test.Tap(a.NavSettings())
	open := a.OfficeButton()
	if open == nil {
		t.Fatal("no office button on the settings screen")
	}
	test.Tap(open)
	a.Wait()
	f := a.OfficeForm()
	if f == nil {
		t.Fatal("office form not showing")
	}
	stored, err := h.st.Office(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Entry("name").Text; got != stored.Name || got == "" {
		t.Errorf("name: got %q, want the stored %q", got, stored.Name)
	}
	if got := f.Entry("url").Text; got != stored.VerifyBaseURL {
		t.Errorf("url: got %q, want the stored %q", got, stored.VerifyBaseURL)
	}

	t.Run("CorruptImage", func(t *testing.T) {
		_, good := pngFile(t, "x.png", 40, 20)
		bad := filepath.Join(t.TempDir(), "logo.png")
		if err := os.WriteFile(bad, good[:len(good)/2], 0o644); err != nil { // cut short
			t.Fatal(err)
		}
		f.Entry("name").SetText("Dirección de Capacitación Municipal")
		f.ChooseImage("logo", bad)
		a.Wait()
		if got := f.Error("logo"); !strings.Contains(got, "logo.png") || !strings.Contains(got, "dañado") {
			t.Errorf("error next to the logo: got %q, want it to name the file and say it is damaged", got)
		}
		if f.HasThumbnail("logo") {
			t.Error("a thumbnail shows for a refused image")
		}
		h.shotDialog("office-1-corrupt")
		test.Tap(f.SaveButton())
		a.Wait()
		if got := f.Status(); !strings.Contains(got, "Revisá") {
			t.Errorf("status: got %q, want the fields to fix", got)
		}
		got, err := h.st.Office(ctx)
		if err != nil || got.Name != stored.Name || len(got.Logo) != 0 {
			t.Errorf("stored office: got %q with %d-byte logo, %v; want it unchanged", got.Name, len(got.Logo), err)
		}
	})

	t.Run("UnsupportedAndMissing", func(t *testing.T) {
		gif := filepath.Join(t.TempDir(), "firma.gif")
		os.WriteFile(gif, []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), 0o644)
		f.ChooseImage("sig1.image", gif)
		a.Wait()
		if got := f.Error("sig1.image"); !strings.Contains(got, "PNG o JPEG") {
			t.Errorf("error next to the signature: got %q, want PNG or JPEG asked for", got)
		}
		f.ChooseImage("sig2.image", filepath.Join(t.TempDir(), "no-existe.png"))
		a.Wait()
		if got := f.Error("sig2.image"); !strings.Contains(got, "no-existe.png") {
			t.Errorf("error next to the second signature: got %q, want the file named", got)
		}
	})

	t.Run("FieldErrors", func(t *testing.T) {
		logo, _ := pngFile(t, "escudo.png", 300, 120)
		f.ChooseImage("logo", logo) // a good image clears the error
		f.ChooseImage("sig1.image", logo)
		f.ChooseImage("sig2.image", logo)
		a.Wait()
		for _, k := range []string{"logo", "sig1.image", "sig2.image"} {
			if got := f.Error(k); got != "" {
				t.Errorf("error next to %s after a good image: got %q", k, got)
			}
		}
		f.Entry("name").SetText("  ")
		f.Entry("url").SetText("puntos.gob.ar")
		f.Entry("sig1.name").SetText("")
		f.Entry("sig1.role").SetText("Directora")
		test.Tap(f.SaveButton())
		a.Wait()
		for k, want := range map[string]string{"name": "nombre de la oficina", "url": "https://", "sig1.name": "nombre de quien firma"} {
			if got := f.Error(k); !strings.Contains(got, want) {
				t.Errorf("error next to %s: got %q, want %q in it", k, got, want)
			}
		}
		h.shotDialog("office-2-errors")
		if got := f.ScrollOffset(); got > 10 {
			t.Errorf("scroll offset: got %v, want the top (the name is the first error)", got)
		}
		f.Entry("name").SetText("Dirección de Capacitación")
		f.Entry("url").SetText("https://puntos.gob.ar")
		if f.Error("name") != "" || f.Error("url") != "" {
			t.Errorf("errors after editing: name %q, url %q; want them gone", f.Error("name"), f.Error("url"))
		}
		test.Tap(f.SaveButton())
		a.Wait()
		if got := f.ScrollOffset(); got < 100 || f.Error("sig1.name") == "" {
			t.Errorf("scroll offset: got %v with sig1.name error %q; want the signatures in view", got, f.Error("sig1.name"))
		}
		h.shotDialog("office-2b-signature-error")
		if got, _ := h.st.Office(ctx); got.Name != stored.Name {
			t.Errorf("stored name: got %q, want it unchanged", got.Name)
		}
	})

	t.Run("Save", func(t *testing.T) {
		logo, logoBytes := pngFile(t, "escudo.png", 300, 120)
		firma, firmaBytes := pngFile(t, "firma.png", 240, 80)
		f.Entry("name").SetText("Dirección de Capacitación — Municipalidad de Tandil")
		f.Entry("subtitle").SetText("Secretaría de Modernización")
		f.Entry("url").SetText("https://puntos.gob.ar/")
		f.Entry("sig1.name").SetText("Lic. María Ñancucheo")
		f.Entry("sig1.role").SetText("Directora de Capacitación")
		f.ChooseImage("logo", logo)
		f.ChooseImage("sig1.image", firma)
		test.Tap(f.RemoveButton("sig2.image"))
		a.Wait()
		if !f.HasThumbnail("logo") || !strings.Contains(f.ImageText("logo"), "escudo.png") {
			t.Errorf("logo: thumbnail %v, text %q; want both", f.HasThumbnail("logo"), f.ImageText("logo"))
		}
		h.shotDialog("office-3-filled")
		f.ScrollToBottom()
		h.shotDialog("office-4-signatures")
		test.Tap(f.SaveButton())
		a.Wait()
		if a.OfficeForm() != nil {
			t.Fatalf("form still showing; status %q", f.Status())
		}
		got, err := h.st.Office(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := storage.Office{Name: "Dirección de Capacitación — Municipalidad de Tandil", Subtitle: "Secretaría de Modernización",
			VerifyBaseURL: "https://puntos.gob.ar"}
		if got.Name != want.Name || got.Subtitle != want.Subtitle || got.VerifyBaseURL != want.VerifyBaseURL {
			t.Errorf("stored: got %q %q %q, want %q %q %q", got.Name, got.Subtitle, got.VerifyBaseURL, want.Name, want.Subtitle, want.VerifyBaseURL)
		}
		if !bytes.Equal(got.Logo, logoBytes) {
			t.Errorf("stored logo: got %d bytes, want the chosen %d", len(got.Logo), len(logoBytes))
		}
		if len(got.Signatories) != 1 || got.Signatories[0].Name != "Lic. María Ñancucheo" ||
			got.Signatories[0].Role != "Directora de Capacitación" || !bytes.Equal(got.Signatories[0].Image, firmaBytes) {
			t.Errorf("stored signatories: got %+v, want the one with its image", got.Signatories)
		}
		h.tapDialogButton("OK")
	})

	t.Run("Reopen", func(t *testing.T) {
		test.Tap(open)
		a.Wait()
		f := a.OfficeForm()
		if f == nil {
			t.Fatal("office form not showing")
		}
		if got := f.Entry("sig1.name").Text; got != "Lic. María Ñancucheo" {
			t.Errorf("signatory: got %q, want the saved one", got)
		}
		if !f.HasThumbnail("logo") || !f.HasThumbnail("sig1.image") || f.HasThumbnail("sig2.image") {
			t.Error("thumbnails: want the logo and the first signature only")
		}
		test.Tap(f.CancelButton())
		if a.OfficeForm() != nil {
			t.Error("form still showing after Cancelar")
		}
	})

	t.Run("OnCertificates", func(t *testing.T) {
		s := h.biggestClosedSession()
		a.OpenSessionForTest(s.ID)
		a.Wait()
		a.SetOpener(func(*url.URL) error { return nil })
		a.SetPrintFolder(t.TempDir())
		test.Tap(a.PrintCertsButton())
		a.Wait()
		r := a.LastPrint()
		if r == nil || r.Err != nil {
			t.Fatalf("certificates: got %+v", r)
		}
		text := pdfText(t, r.Main)
		for _, want := range []string{"Municipalidad de Tandil", "Secretaría de Modernización", "Lic. María Ñancucheo"} {
			if !strings.Contains(strings.ToUpper(text), strings.ToUpper(want)) {
				t.Errorf("certificates lack %q", want)
			}
		}
	})
}
