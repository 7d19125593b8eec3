package ui_test

import (
	"testing"

	"fyne.io/fyne/v2/test"
)

func TestCentralFromSettings(t *testing.T) {
	h := newHarness(t)
	test.Tap(h.a.NavSettings())
	h.a.Wait()
	b := h.a.CentralEntryButton()
	if b == nil {
		t.Fatal("the settings screen has no Central button")
	}
	if got, want := h.a.CentralURLForTest(), "http://127.0.0.1:8080"; got != want {
		t.Errorf("registry offered %q, want %q", got, want)
	}
	if err := h.st.SetSetting(t.Context(), "central_url", "https://registro.example.gob.ar"); err != nil {
		t.Fatal(err)
	}
	url, stop := h.a.OpenCentralForTest()
	defer stop()
	if got := url; got != "https://registro.example.gob.ar" {
		t.Errorf("login form offers %q, want the remembered registry", got)
	}
}
