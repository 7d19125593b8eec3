package reports

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"sync"
)

// A per-person file's fonts hold only the glyphs its page draws. The
// template's embedded fonts (cut by gofpdf to the template's character set)
// are parsed once; each file then gets, per style, a copy whose glyph table
// keeps the outlines of the glyphs it uses and leaves the others empty.
// Glyph numbers do not change, so the template's CIDToGIDMap, widths and
// ToUnicode stay valid and only the FontFile2 stream differs per file.
// Hinting (glyph instructions and the fpgm, prep and cvt tables) and the name
// table are dropped: they are half of a font's bytes, and a certificate is
// printed or seen zoomed, where hints do not help.

// styledRune is a rune drawn in one style of the serif family.
type styledRune struct {
	style string
	r     rune
}

// subsetFont is one of a template's embedded TrueType fonts, parsed.
type subsetFont struct {
	style  string
	obj    int      // object number of the FontFile2 stream
	gids   []uint16 // CIDToGIDMap: rune → glyph number
	tables []ttTable
	glyf   []byte
	loca   []uint32 // glyph offsets into glyf, numGlyphs+1 of them
	long   bool     // loca format: 32-bit offsets

	// made holds the font file objects already made, by the set of glyphs
	// kept: pages of a batch share most of their text, so most styles'
	// sets repeat.
	mu   sync.Mutex
	made map[string][]byte
}

// maxMade bounds each font's cache of made files; past it the cache starts
// over.
const maxMade = 512

type ttTable struct {
	tag  string
	data []byte
}

var (
	reBaseFont  = regexp.MustCompile(`/BaseFont /utf8` + serif + `([BI]?)\n/CIDSystemInfo \d+ 0 R\n/FontDescriptor (\d+) 0 R`)
	reCIDToGID  = regexp.MustCompile(`/CIDToGIDMap (\d+) 0 R`)
	reFontFile2 = regexp.MustCompile(`/FontFile2 (\d+) 0 R`)
)

// parseFonts finds and parses the embedded fonts of a template.
func (f *pdfFile) parseFonts() ([]*subsetFont, error) {
	var fonts []*subsetFont
	for n := 1; n < len(f.objs); n++ {
		b := f.body(n)
		m := reBaseFont.FindSubmatch(b)
		if m == nil || !bytes.Contains(b, []byte("/Subtype /CIDFontType2")) {
			continue
		}
		desc, _ := strconv.Atoi(string(m[2]))
		mm := reCIDToGID.FindSubmatch(b)
		if mm == nil || desc >= len(f.objs) {
			return nil, fmt.Errorf("%w: font object %d", errLayout, n)
		}
		mapObj, _ := strconv.Atoi(string(mm[1]))
		ff := reFontFile2.FindSubmatch(f.body(desc))
		if ff == nil || mapObj >= len(f.objs) {
			return nil, fmt.Errorf("%w: font descriptor %d", errLayout, desc)
		}
		fileObj, _ := strconv.Atoi(string(ff[1]))
		if fileObj >= len(f.objs) {
			return nil, fmt.Errorf("%w: font file %d", errLayout, fileObj)
		}
		cmap, err := f.stream(mapObj)
		if err != nil {
			return nil, err
		}
		ttf, err := f.stream(fileObj)
		if err != nil {
			return nil, err
		}
		if len(cmap) != 2<<16 {
			return nil, fmt.Errorf("%w: CIDToGIDMap %d", errLayout, mapObj)
		}
		sf := &subsetFont{style: string(m[1]), obj: fileObj, gids: make([]uint16, len(cmap)/2)}
		for i := range sf.gids {
			sf.gids[i] = binary.BigEndian.Uint16(cmap[2*i:])
		}
		if err := sf.parse(ttf); err != nil {
			return nil, fmt.Errorf("font %s: %w", sf.style, err)
		}
		fonts = append(fonts, sf)
	}
	if len(fonts) == 0 {
		return nil, fmt.Errorf("%w: no embedded fonts", errLayout)
	}
	return fonts, nil
}

// stream returns the inflated stream of object n.
func (f *pdfFile) stream(n int) ([]byte, error) {
	b := f.body(n)
	i := bytes.Index(b, []byte(">>\nstream\n"))
	j := bytes.LastIndex(b, []byte("\nendstream"))
	if i < 0 || j < i {
		return nil, fmt.Errorf("%w: stream %d", errLayout, n)
	}
	r, err := zlib.NewReader(bytes.NewReader(b[i+len(">>\nstream\n") : j]))
	if err != nil {
		return nil, fmt.Errorf("%w: stream %d: %v", errLayout, n, err)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%w: stream %d: %v", errLayout, n, err)
	}
	return out, nil
}

var errFont = fmt.Errorf("%w: font", errLayout)

func (sf *subsetFont) parse(b []byte) error {
	if len(b) < 12 {
		return errFont
	}
	num := int(binary.BigEndian.Uint16(b[4:]))
	if len(b) < 12+16*num {
		return errFont
	}
	var head, loca []byte
	for i := range num {
		e := b[12+16*i:]
		off, n := binary.BigEndian.Uint32(e[8:]), binary.BigEndian.Uint32(e[12:])
		if uint64(off)+uint64(n) > uint64(len(b)) {
			return errFont
		}
		t := ttTable{tag: string(e[:4]), data: b[off : off+n]}
		switch t.tag {
		case "fpgm", "prep", "cvt ", "name":
			continue
		case "head":
			head = t.data
		case "loca":
			loca = t.data
		case "glyf":
			sf.glyf = t.data
		}
		sf.tables = append(sf.tables, t)
	}
	if len(head) < 54 || loca == nil || sf.glyf == nil {
		return errFont
	}
	sf.long = binary.BigEndian.Uint16(head[50:]) == 1
	if sf.long {
		for i := 0; i+4 <= len(loca); i += 4 {
			sf.loca = append(sf.loca, binary.BigEndian.Uint32(loca[i:]))
		}
	} else {
		for i := 0; i+2 <= len(loca); i += 2 {
			sf.loca = append(sf.loca, 2*uint32(binary.BigEndian.Uint16(loca[i:])))
		}
	}
	for i := 1; i < len(sf.loca); i++ {
		if sf.loca[i] < sf.loca[i-1] || int(sf.loca[i]) > len(sf.glyf) {
			return errFont
		}
	}
	if len(sf.loca) < 2 {
		return errFont
	}
	return sf.unhint()
}

// unhint rewrites the glyph table without instructions.
func (sf *subsetFont) unhint() error {
	glyf := make([]byte, 0, len(sf.glyf))
	loca := make([]uint32, len(sf.loca))
	for g := range len(sf.loca) - 1 {
		loca[g] = uint32(len(glyf))
		b, err := unhinted(sf.glyph(g))
		if err != nil {
			return fmt.Errorf("glyph %d: %w", g, err)
		}
		glyf = append(glyf, b...)
		for len(glyf)%4 != 0 {
			glyf = append(glyf, 0)
		}
	}
	loca[len(loca)-1] = uint32(len(glyf))
	sf.glyf, sf.loca = glyf, loca
	if !sf.long && len(glyf) >= 1<<17 {
		sf.long = true // cannot happen with gofpdf's cut fonts, which are small
		return errFont
	}
	return nil
}

const (
	argsAreWords  = 0x0001
	haveScale     = 0x0008
	moreComponent = 0x0020
	haveXYScale   = 0x0040
	have2x2       = 0x0080
	haveInstr     = 0x0100
)

// components calls visit with the offset of each component record of a
// composite glyph and returns the offset just past the last one.
func components(b []byte, visit func(at int)) int {
	p := 10
	for p+4 <= len(b) {
		flags := binary.BigEndian.Uint16(b[p:])
		visit(p)
		p += 4
		if flags&argsAreWords != 0 {
			p += 4
		} else {
			p += 2
		}
		switch {
		case flags&haveScale != 0:
			p += 2
		case flags&haveXYScale != 0:
			p += 4
		case flags&have2x2 != 0:
			p += 8
		}
		if flags&moreComponent == 0 {
			break
		}
	}
	return p
}

// unhinted returns a copy of glyph b without its instructions.
func unhinted(b []byte) ([]byte, error) {
	if len(b) == 0 {
		return nil, nil
	}
	if len(b) < 10 {
		return nil, errFont
	}
	contours := int(int16(binary.BigEndian.Uint16(b)))
	if contours < 0 {
		last := 0
		end := components(b, func(at int) { last = at })
		if end > len(b) {
			return nil, errFont
		}
		out := bytes.Clone(b[:end])
		binary.BigEndian.PutUint16(out[last:], binary.BigEndian.Uint16(out[last:])&^haveInstr)
		return out, nil
	}
	at := 10 + 2*contours
	if at+2 > len(b) {
		return nil, errFont
	}
	n := int(binary.BigEndian.Uint16(b[at:]))
	if at+2+n > len(b) {
		return nil, errFont
	}
	out := make([]byte, 0, len(b)-n)
	out = append(out, b[:at]...)
	out = append(out, 0, 0)
	return append(out, b[at+2+n:]...), nil
}

// glyph returns the outline bytes of glyph g (empty when out of range).
func (sf *subsetFont) glyph(g int) []byte {
	if g+1 >= len(sf.loca) {
		return nil
	}
	return sf.glyf[sf.loca[g]:sf.loca[g+1]]
}

// keep adds g and, for a composite glyph, the glyphs it is made of.
func (sf *subsetFont) keep(g int, kept []bool) {
	if g >= len(kept) || kept[g] {
		return
	}
	kept[g] = true
	b := sf.glyph(g)
	if len(b) < 10 || int16(binary.BigEndian.Uint16(b)) >= 0 {
		return
	}
	components(b, func(at int) {
		if at+4 <= len(b) {
			sf.keep(int(binary.BigEndian.Uint16(b[at+2:])), kept)
		}
	})
}

// fontFile returns the FontFile2 object holding the glyphs of runes (with
// .notdef and composite glyphs' parts), ready to put in the file. A style
// that draws a digit gets all ten, so pages differing only in numbers
// (DNI, dates, codes) share their font file.
func (sf *subsetFont) fontFile(runes map[styledRune]struct{}) []byte {
	n := len(sf.loca) - 1
	kept := make([]bool, n)
	sf.keep(0, kept)
	digits := false
	for sr := range runes {
		if sr.style == sf.style && int(sr.r) < len(sf.gids) {
			sf.keep(int(sf.gids[sr.r]), kept)
			digits = digits || '0' <= sr.r && sr.r <= '9'
		}
	}
	if digits {
		for r := '0'; r <= '9'; r++ {
			sf.keep(int(sf.gids[r]), kept)
		}
	}
	key := make([]byte, (n+7)/8)
	for g, k := range kept {
		if k {
			key[g/8] |= 1 << (g % 8)
		}
	}
	sf.mu.Lock()
	obj, ok := sf.made[string(key)]
	sf.mu.Unlock()
	if ok {
		return obj
	}
	obj = sf.build(kept)
	sf.mu.Lock()
	if sf.made == nil || len(sf.made) >= maxMade {
		sf.made = map[string][]byte{}
	}
	sf.made[string(key)] = obj
	sf.mu.Unlock()
	return obj
}

// build makes the FontFile2 object holding the kept glyphs.
func (sf *subsetFont) build(kept []bool) []byte {
	n := len(kept)
	var glyf []byte
	loca := make([]byte, 0, 4*(n+1))
	for g := 0; g <= n; g++ {
		if sf.long {
			loca = binary.BigEndian.AppendUint32(loca, uint32(len(glyf)))
		} else {
			loca = binary.BigEndian.AppendUint16(loca, uint16(len(glyf)/2))
		}
		if g < n && kept[g] {
			glyf = append(glyf, sf.glyph(g)...)
		}
	}
	tables := make([]ttTable, len(sf.tables))
	for i, t := range sf.tables {
		switch t.tag {
		case "glyf":
			t.data = glyf
		case "loca":
			t.data = loca
		}
		tables[i] = t
	}
	ttf := writeTTF(tables)
	var z bytes.Buffer
	w := zlibWriters.Get().(*zlib.Writer)
	w.Reset(&z)
	w.Write(ttf)
	w.Close()
	zlibWriters.Put(w)
	out := fmt.Appendf(nil, "%d 0 obj\n<</Length %d\n/Filter /FlateDecode\n/Length1 %d\n>>\nstream\n", sf.obj, z.Len(), len(ttf))
	out = append(out, z.Bytes()...)
	return append(out, "\nendstream\nendobj\n"...)
}

// zlibWriters are reused: a new compressor allocates about a megabyte.
var zlibWriters = sync.Pool{New: func() any {
	w, _ := zlib.NewWriterLevel(nil, zlib.BestSpeed)
	return w
}}

// writeTTF lays tables out as a TrueType file, each 4-byte aligned, with
// their checksums (the head table's checksum adjustment is left as it was).
func writeTTF(tables []ttTable) []byte {
	n := len(tables)
	size := 12 + 16*n
	for _, t := range tables {
		size += (len(t.data) + 3) &^ 3
	}
	out := make([]byte, 12+16*n, size)
	binary.BigEndian.PutUint32(out, 0x00010000)
	binary.BigEndian.PutUint16(out[4:], uint16(n))
	es, sel := 1, 0
	for es*2 <= n {
		es *= 2
		sel++
	}
	binary.BigEndian.PutUint16(out[6:], uint16(16*es))
	binary.BigEndian.PutUint16(out[8:], uint16(sel))
	binary.BigEndian.PutUint16(out[10:], uint16(16*(n-es)))
	for i, t := range tables {
		e := out[12+16*i:]
		copy(e, t.tag)
		off := len(out)
		out = append(out, t.data...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
		binary.BigEndian.PutUint32(e[4:], checksum(out[off:]))
		binary.BigEndian.PutUint32(e[8:], uint32(off))
		binary.BigEndian.PutUint32(e[12:], uint32(len(t.data)))
	}
	return out
}

func checksum(b []byte) uint32 {
	var s uint32
	for i := 0; i+4 <= len(b); i += 4 {
		s += binary.BigEndian.Uint32(b[i:])
	}
	return s
}
