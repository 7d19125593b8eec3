package ui_test

import (
	"bytes"
	"github.com/puntos-ar/puntos/storage/registry/pgtest"
	"os"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/storage/demo"
	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/ui"
)

// benchPeople is the roster size the responsiveness targets name.
const benchPeople = 500_000

var (
	bigOnce sync.Once
	bigDir  string
	big     *storage.Store
)

func TestMain(m *testing.M) {
	code := pgtest.Main(m)
	if big != nil {
		big.Close()
		os.RemoveAll(bigDir)
	}
	os.Exit(code)
}

// bigStore returns a store with a 500,000-person roster and the demo
// catalog, built once per test binary.
func bigStore(b *testing.B) *storage.Store {
	bigOnce.Do(func() {
		start := time.Now()
		dir, err := os.MkdirTemp("", "puntos-ui-bench-")
		if err != nil {
			b.Fatal(err)
		}
		bigDir = dir
		st, err := storage.Open(dir)
		if err != nil {
			b.Fatal(err)
		}
		var csv bytes.Buffer
		if err := demo.Roster(&csv, benchPeople, 7); err != nil {
			b.Fatal(err)
		}
		if _, err := st.ImportRoster(ctx, &csv, nil); err != nil {
			b.Fatal(err)
		}
		if _, err := st.ImportCatalog(ctx, bytes.NewReader([]byte(demo.Catalog)), nil); err != nil {
			b.Fatal(err)
		}
		big = st
		b.Logf("built a %d-person store in %v", benchPeople, time.Since(start).Round(time.Millisecond))
	})
	if big == nil {
		b.Fatal("no benchmark store")
	}
	return big
}

// benchApp opens the app on the big store with a fresh open session on
// the check-in screen.
func benchApp(b *testing.B) (*ui.App, *storage.Store) {
	st := bigStore(b)
	test.NewTempApp(b)
	w := test.NewTempWindow(b, nil)
	w.Resize(fyne.NewSize(1280, 800))
	a := ui.NewForTest(w, st, ui.Options{Reports: st})
	b.Cleanup(a.Stop)
	s, err := st.CreateSession(ctx, domain.Session{ActivityCode: "TA-LENG-01", Date: time.Now().Format("2006-01-02"),
		Province: "Salta", Municipality: "Cafayate"})
	if err != nil {
		b.Fatal(err)
	}
	a.OpenSessionForTest(s.ID)
	a.Wait()
	return a, st
}

// BenchmarkScanCheckIn measures a DNI barcode scan, from its first
// keystroke to the person marked present in the store and shown in the
// banner and the attendee list, on a 500,000-person roster. Enter times
// only the final Enter (the scanner's) to shown.
func BenchmarkScanCheckIn(b *testing.B) {
	for _, mode := range []string{"Keystrokes+Enter", "Enter"} {
		b.Run(mode, func(b *testing.B) {
			a, _ := benchApp(b)
			in := a.CheckinInput()
			b.ResetTimer()
			for i := range b.N {
				p := demo.Person((i*7919)%benchPeople, 7)
				code := scan(p, "@")
				if mode == "Enter" {
					b.StopTimer()
					test.Type(in, code)
					a.Wait()
					b.StartTimer()
				} else {
					test.Type(in, code)
				}
				in.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
				a.Wait()
				if _, _, name, _ := a.Banner(); name != p.FullName() {
					b.Fatalf("banner: got %q, want %q", name, p.FullName())
				}
			}
		})
	}
}

// BenchmarkKeystroke measures one keystroke in the check-in input, from
// the key to the matches on screen, on a 500,000-person roster: the
// last letter of a common surname, of a rare one (fewer matches than fit,
// so the store also looks for the word inside names), and a digit of a
// DNI.
func BenchmarkKeystroke(b *testing.B) {
	for _, c := range []struct{ name, query string }{
		{"Surname", "gonzá"},
		{"TwoWords", "fernandez m"},
		{"RareName", "zubir"},
		{"DNIDigit", "23456"},
		{"NoMatch", "wxyzq"},
	} {
		b.Run(c.name, func(b *testing.B) {
			a, _ := benchApp(b)
			in := a.CheckinInput()
			q := []rune(c.query)
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				in.SetText(string(q[:len(q)-1]))
				in.CursorColumn = len(q) - 1
				a.Wait()
				b.StartTimer()
				test.Type(in, string(q[len(q)-1]))
				a.Wait()
			}
			b.StopTimer()
			if len(a.CheckinResults()) == 0 && c.name != "NoMatch" {
				b.Fatalf("no results for %q", c.query)
			}
		})
	}
}
