package reports

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/puntos-ar/puntos/storage/domain"
)

// Per-person files are made without re-parsing the TrueType fonts for each
// file (gofpdf parses a font each time it is added, ~10 ms a file). Pages are
// rendered in batches into ordinary gofpdf documents, then each page's
// content stream is put into a one-page "template" document that carries the
// fonts, cut once to a fixed character set, and the office's images. The
// templates are cached, so a file costs a page render, a copy and, per font,
// a glyph table holding only the glyphs that page draws (see subset.go).

// baseRunes is the character set every per-person file's fonts carry: ASCII,
// Latin-1 and common punctuation, which covers Spanish, Portuguese, Italian,
// French and German names. A page that needs more (Ł, Ş, Cyrillic…) gets a
// template with those extras, cached by them.
var baseRunes = func() map[rune]bool {
	m := map[rune]bool{}
	add := func(lo, hi rune) {
		for r := lo; r <= hi; r++ {
			m[r] = true
		}
	}
	add(0x20, 0x7e)
	add(0xa0, 0xff)
	for _, r := range "‐‑‒–—―‘’‚“”„†‡•…‰′″‹›€™" {
		m[r] = true
	}
	return m
}()

// template is a one-page certificate document whose page content is swapped
// for each person.
type template struct {
	once  sync.Once
	pdf   *pdfFile
	fonts []*subsetFont
	err   error
}

var templates = struct {
	sync.Mutex
	m map[string]*template
}{m: map[string]*template{}}

// maxTemplates bounds the cache; past it the cache starts over.
const maxTemplates = 32

// officeKey identifies what a template depends on besides its characters:
// the office's images.
func officeKey(o Office) string {
	h := sha256.New()
	put := func(b []byte) {
		h.Write([]byte(strconv.Itoa(len(b)) + ":"))
		h.Write(b)
	}
	put(o.Logo)
	for _, s := range o.Signatories {
		put(s.Image)
	}
	return string(h.Sum(nil))
}

// templateFor returns the cached template for o's images and extra runes.
func templateFor(o Office, imgs officeImages, key string, extra []rune) (*template, error) {
	key += string(extra)
	templates.Lock()
	t := templates.m[key]
	if t == nil {
		if len(templates.m) >= maxTemplates {
			templates.m = map[string]*template{}
		}
		t = &template{}
		templates.m[key] = t
	}
	templates.Unlock()
	t.once.Do(func() {
		if t.pdf, t.err = buildTemplate(o, imgs, extra); t.err == nil {
			t.fonts, t.err = t.pdf.parseFonts()
		}
	})
	return t, t.err
}

// file is the one-page PDF of a page with content, drawing runes.
func (t *template) file(content []byte, runes map[styledRune]struct{}, title string, date time.Time) []byte {
	objs := make(map[int][]byte, len(t.fonts))
	for _, f := range t.fonts {
		objs[f.obj] = f.fontFile(runes)
	}
	return t.pdf.onePage(content, objs, title, date)
}

func buildTemplate(o Office, imgs officeImages, extra []rune) (*pdfFile, error) {
	d, err := newCertDoc(o, imgs)
	if err != nil {
		return nil, err
	}
	var set []rune
	for r := range baseRunes {
		set = append(set, r)
	}
	set = append(set, extra...)
	slices.Sort(set)
	d.pdf.AddPage()
	// Drawing the set once in each style marks its glyphs as used, so the
	// embedded font subsets hold them; this page's content is then replaced.
	for _, style := range []string{"", "B", "I"} {
		d.font(serif, style, 10)
		d.pdf.Text(0, 0, string(set))
	}
	var buf bytes.Buffer
	if err := d.pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("template: %w", err)
	}
	return parsePDF(buf.Bytes())
}

// extraRunes returns, sorted and once each, the runes of a page outside
// baseRunes.
func extraRunes(used map[styledRune]struct{}) []rune {
	var extra []rune
	for sr := range used {
		if !baseRunes[sr.r] {
			extra = append(extra, sr.r)
		}
	}
	slices.Sort(extra)
	return slices.Compact(extra)
}

// renderFiles renders certs as one-page PDFs, calling emit with each index
// and file as it is ready (from several goroutines at once).
func renderFiles(o Office, certs []Certificate, emit func(i int, file []byte) error) error {
	if len(certs) == 0 {
		return nil
	}
	imgs, err := loadOffice(o)
	if err != nil {
		return err
	}
	key := officeKey(o)
	workers := min(runtime.GOMAXPROCS(0), (len(certs)+7)/8)
	chunk := min(128, (len(certs)+workers-1)/workers)
	next := make(chan int)
	errs := make(chan error, workers)
	var stop sync.Once
	done := make(chan struct{})
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for start := range next {
				if err := renderChunk(o, imgs, key, certs, start, min(start+chunk, len(certs)), emit); err != nil {
					errs <- err
					stop.Do(func() { close(done) })
					return
				}
			}
		})
	}
feed:
	for start := 0; start < len(certs); start += chunk {
		select {
		case next <- start:
		case <-done:
			break feed
		}
	}
	close(next)
	wg.Wait()
	close(errs)
	return <-errs
}

func renderChunk(o Office, imgs officeImages, key string, certs []Certificate, from, to int, emit func(int, []byte) error) error {
	d, err := newCertDoc(o, imgs)
	if err != nil {
		return err
	}
	used := make([]map[styledRune]struct{}, 0, to-from)
	for _, c := range certs[from:to] {
		d.runes = map[styledRune]struct{}{}
		if err := d.page(c); err != nil {
			return err
		}
		used = append(used, d.runes)
	}
	var buf bytes.Buffer
	if err := d.pdf.Output(&buf); err != nil {
		return fmt.Errorf("render: %w", err)
	}
	batch, err := parsePDF(buf.Bytes())
	if err != nil {
		return err
	}
	for i := from; i < to; i++ {
		content, err := batch.pageContent(i - from + 1)
		if err != nil {
			return err
		}
		t, err := templateFor(o, imgs, key, extraRunes(used[i-from]))
		if err != nil {
			return err
		}
		title := "Certificado"
		if certs[i].Kind == domain.KindAttendance {
			title = "Constancia de asistencia"
		}
		if err := emit(i, t.file(content, used[i-from], title, certs[i].IssuedAt.In(argentina))); err != nil {
			return err
		}
	}
	return nil
}

// CertificateFile writes c alone as a one-page PDF, the file a person gets by
// mail. It is byte-identical to c's file from WriteCertificateFiles.
func CertificateFile(w io.Writer, o Office, c Certificate) error {
	err := renderFiles(o, []Certificate{c}, func(_ int, file []byte) error {
		_, err := w.Write(file)
		return err
	})
	if err != nil {
		return fmt.Errorf("certificate file: %w", err)
	}
	return nil
}

// WriteCertificateFiles writes one PDF per certificate into dir (created if
// missing), named by FileName and made unique within the batch, and returns
// the paths in the order of certs. progress, when not nil, is called from the
// calling goroutine after each file.
func WriteCertificateFiles(dir string, o Office, certs []Certificate, progress func(done, total int)) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("certificate files: %w", err)
	}
	paths := make([]string, len(certs))
	for i, name := range uniqueNames(certs) {
		paths[i] = filepath.Join(dir, name)
	}
	written := make(chan struct{}, 64)
	result := make(chan error, 1)
	go func() {
		result <- renderFiles(o, certs, func(i int, file []byte) error {
			if err := os.WriteFile(paths[i], file, 0o644); err != nil {
				return err
			}
			written <- struct{}{}
			return nil
		})
		close(written)
	}()
	n := 0
	for range written {
		n++
		if progress != nil {
			progress(n, len(certs))
		}
	}
	if err := <-result; err != nil {
		return nil, fmt.Errorf("certificate files: %w", err)
	}
	return paths, nil
}

// FileName is the file name of c's PDF: "SURNAME_Names_DNI.pdf", with
// accents transliterated (Peña → PENA), spaces as "_" and only letters,
// digits, "_" and "-", so it is safe on any file system and in mail.
func FileName(c Certificate) string {
	surname, names := c.Surname, c.GivenNames
	if strings.TrimSpace(surname+names) == "" {
		surname = c.FullName
	}
	var parts []string
	if s := strings.ToUpper(domain.FileSafe(surname, "")); s != "" {
		parts = append(parts, s)
	}
	if s := domain.FileSafe(names, ""); s != "" {
		parts = append(parts, s)
	}
	if s := digits(c.DNI); s != "" {
		parts = append(parts, s)
	} else if s := domain.FileSafe(c.Code, ""); s != "" {
		parts = append(parts, s)
	}
	if len(parts) == 0 {
		parts = append(parts, "certificado")
	}
	return strings.Join(parts, "_") + ".pdf"
}

// uniqueNames returns FileName for each certificate, adding "_2", "_3"…
// where names repeat (ignoring case, as Windows and macOS do).
func uniqueNames(certs []Certificate) []string {
	names := make([]string, len(certs))
	seen := map[string]bool{}
	for i, c := range certs {
		base := strings.TrimSuffix(FileName(c), ".pdf")
		name := base + ".pdf"
		for n := 2; seen[strings.ToLower(name)]; n++ {
			name = base + "_" + strconv.Itoa(n) + ".pdf"
		}
		seen[strings.ToLower(name)] = true
		names[i] = name
	}
	return names
}
