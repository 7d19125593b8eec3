package cmdline

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/puntos-ar/puntos/storage"
)

// Terminal returns v as a file when it is an interactive terminal (not a
// pipe, a regular file or a test's buffer).
func Terminal(v any) (*os.File, bool) {
	f, ok := v.(*os.File)
	return f, ok && term.IsTerminal(int(f.Fd()))
}

// ProgressLine returns a Progress that redraws one line labelled label on
// w when w is a terminal, and a function that clears the line. Off a
// terminal (scripts, CI) the Progress is nil and clearing does nothing.
func ProgressLine(w io.Writer, label string) (storage.Progress, func()) {
	f, ok := Terminal(w)
	if !ok {
		return nil, func() {}
	}
	last := time.Time{}
	p := func(done, total int64) {
		if time.Since(last) < 100*time.Millisecond && done < total {
			return
		}
		last = time.Now()
		pct := 100.0
		if total > 0 {
			pct = float64(done) * 100 / float64(total)
		}
		fmt.Fprintf(f, "\r%s… %3.0f%% (%.1f de %.1f MB)", label, pct, float64(done)/1e6, float64(total)/1e6)
	}
	return p, func() { fmt.Fprint(f, "\r\033[K") }
}

// ImportFile opens the CSV file at path, imports it with run (the reader
// is the *os.File, so an import can learn its size) and writes the report
// on w (as JSON when asJSON, else a summary with the rows'
// noun, which may be empty, and one line per rejected row). It fails when
// any row was rejected, saying the valid ones were kept.
func ImportFile(w io.Writer, path string, asJSON bool, noun Noun, run func(io.Reader) (storage.ImportReport, error)) error {
	f, err := OpenFile(path)
	if err != nil {
		return err
	}
	defer f.Close()
	rep, err := run(f)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if asJSON {
		if err := WriteJSON(w, rep); err != nil {
			return err
		}
	} else {
		PrintReport(w, path, noun, rep)
	}
	if len(rep.Rejects) > 0 {
		return fmt.Errorf("%s en %s: corregilas y volvé a importar el archivo (las filas válidas ya se guardaron)", Count(len(rep.Rejects), "fila rechazada", "filas rechazadas"), path)
	}
	return nil
}

// PrintReport writes an import's summary on w, headed label and counting
// rows of noun (a feminine noun, or none when empty), then one line per
// rejected row.
func PrintReport(w io.Writer, label string, noun Noun, rep storage.ImportReport) {
	added := Count(rep.Added, strings.TrimSpace(noun.One+" nueva"), strings.TrimSpace(noun.Many+" nuevas"))
	fmt.Fprintf(w, "%s: %s, %s, %d sin cambios, %s, %s\n", label, added,
		Count(rep.Updated, "actualizada", "actualizadas"), rep.Unchanged,
		Count(rep.Skipped, "repetida", "repetidas"), Count(len(rep.Rejects), "rechazada", "rechazadas"))
	for _, r := range rep.Rejects {
		fmt.Fprintf(w, "  rechazada: %s\n", r.Message)
	}
}

// Noun is a noun in its singular and plural forms ("actividad",
// "actividades"), for counts that read right: "1 actividad", "3 actividades".
type Noun struct{ One, Many string }

// Count returns n followed by one when n is 1, else by many:
// Count(1, "lote", "lotes") is "1 lote", Count(0, "lote", "lotes") "0 lotes".
func Count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
