package reports

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// pdfFile is a PDF written by gofpdf, cut into its numbered objects. gofpdf
// writes a classic cross-reference table and no object streams, so the table
// gives each object's exact span.
type pdfFile struct {
	header []byte   // "%PDF-1.x\n"
	objs   [][]byte // objs[n] is object n, from "n 0 obj" to "endobj\n"; objs[0] is nil
}

var errLayout = errors.New("unexpected pdf layout")

func parsePDF(b []byte) (*pdfFile, error) {
	i := bytes.LastIndex(b, []byte("startxref\n"))
	if i < 0 {
		return nil, fmt.Errorf("%w: no startxref", errLayout)
	}
	rest := b[i+len("startxref\n"):]
	end := bytes.IndexByte(rest, '\n')
	if end < 0 {
		return nil, fmt.Errorf("%w: bad startxref", errLayout)
	}
	xref, err := strconv.Atoi(string(rest[:end]))
	if err != nil || xref <= 0 || xref >= len(b) {
		return nil, fmt.Errorf("%w: bad startxref", errLayout)
	}
	t := b[xref:]
	if !bytes.HasPrefix(t, []byte("xref\n0 ")) {
		return nil, fmt.Errorf("%w: no xref table", errLayout)
	}
	t = t[len("xref\n0 "):]
	end = bytes.IndexByte(t, '\n')
	if end < 0 {
		return nil, fmt.Errorf("%w: bad xref", errLayout)
	}
	size, err := strconv.Atoi(string(t[:end]))
	if err != nil || size < 2 || len(t) < end+1+20*size {
		return nil, fmt.Errorf("%w: bad xref size", errLayout)
	}
	t = t[end+1:]
	offs := make([]int, size)
	for n := 1; n < size; n++ {
		e := t[20*n : 20*n+20]
		if offs[n], err = strconv.Atoi(string(e[:10])); err != nil || offs[n] <= 0 || offs[n] >= xref {
			return nil, fmt.Errorf("%w: bad xref entry %d", errLayout, n)
		}
	}
	order := make([]int, 0, size-1)
	for n := 1; n < size; n++ {
		order = append(order, n)
	}
	slices.SortFunc(order, func(a, c int) int { return offs[a] - offs[c] })
	f := &pdfFile{header: b[:offs[order[0]]], objs: make([][]byte, size)}
	for k, n := range order {
		stop := xref
		if k+1 < len(order) {
			stop = offs[order[k+1]]
		}
		obj := b[offs[n]:stop]
		if !bytes.HasPrefix(obj, []byte(strconv.Itoa(n)+" 0 obj\n")) || !bytes.HasSuffix(obj, []byte("endobj\n")) {
			return nil, fmt.Errorf("%w: object %d", errLayout, n)
		}
		f.objs[n] = obj
	}
	return f, nil
}

// body returns object n without its "n 0 obj\n" line.
func (f *pdfFile) body(n int) []byte {
	o := f.objs[n]
	return o[bytes.IndexByte(o, '\n')+1:]
}

// pageContent returns the content stream object of page p (1-based): gofpdf
// writes page p as object 2p+1 and its content as object 2p+2.
func (f *pdfFile) pageContent(p int) ([]byte, error) {
	n := 2*p + 2
	if n >= len(f.objs) || !bytes.HasPrefix(f.body(n-1), []byte("<</Type /Page\n")) ||
		!bytes.Contains(f.body(n-1), []byte("/Contents "+strconv.Itoa(n)+" 0 R")) {
		return nil, fmt.Errorf("%w: page %d", errLayout, p)
	}
	return f.body(n), nil
}

// onePage writes a one-page PDF built from the template t (a one-page gofpdf
// document whose fonts and images the page uses) with the page content
// replaced by content, the objects in objs (whole, numbered as in t) put in
// place of t's, and the info dictionary dated at date. Object numbers stay
// those of t, so no reference inside t needs rewriting.
func (t *pdfFile) onePage(content []byte, objs map[int][]byte, title string, date time.Time) []byte {
	n := len(t.objs) - 1 // catalog; n-1 is the info dictionary
	size := len(t.header) + len(content) + 512
	for k, o := range t.objs {
		if r, ok := objs[k]; ok {
			o = r
		}
		size += len(o)
	}
	out := make([]byte, 0, size)
	out = append(out, t.header...)
	offs := make([]int, n+1)
	for k := 1; k <= n; k++ {
		offs[k] = len(out)
		switch k {
		case 4:
			out = append(out, "4 0 obj\n"...)
			out = append(out, content...)
		case n - 1:
			out = strconv.AppendInt(out, int64(k), 10)
			out = append(out, " 0 obj\n"...)
			out = appendInfo(out, title, date)
			out = append(out, "endobj\n"...)
		default:
			if r, ok := objs[k]; ok {
				out = append(out, r...)
			} else {
				out = append(out, t.objs[k]...)
			}
		}
	}
	xref := len(out)
	out = append(out, "xref\n0 "...)
	out = strconv.AppendInt(out, int64(n+1), 10)
	out = append(out, "\n0000000000 65535 f \n"...)
	for k := 1; k <= n; k++ {
		out = fmt.Appendf(out, "%010d 00000 n \n", offs[k])
	}
	out = fmt.Appendf(out, "trailer\n<<\n/Size %d\n/Root %d 0 R\n/Info %d 0 R\n>>\nstartxref\n%d\n%%%%EOF\n", n+1, n, n-1, xref)
	return out
}

// appendInfo writes an info dictionary like gofpdf's. title must be ASCII.
func appendInfo(out []byte, title string, date time.Time) []byte {
	d := date.Format("20060102150405")
	return fmt.Appendf(out, "<<\n/Producer (Puntos)\n/Title (%s)\n/CreationDate (D:%s)\n/ModDate (D:%s)\n>>\n", title, d, d)
}
