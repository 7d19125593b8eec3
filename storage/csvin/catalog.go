package csvin

import (
	"encoding/binary"
	"errors"
	"hash/maphash"
	"io"
	"math"
	"strings"

	"github.com/puntos-ar/puntos/storage/domain"
)

// seen remembers an accepted row for duplicate detection.
type seen struct {
	line int32
	hash uint64
}

// CatalogReader reads activities from a catalog CSV file. It is not safe for
// concurrent use.
type CatalogReader struct {
	table
	cols    *layout
	seed    maphash.Seed
	seen    map[string]seen // by code
	skipped int
}

// NewCatalogReader reads the whole of r (at most MaxFileSize bytes): an
// Excel workbook (.xlsx, its first sheet or the one opts name), or text,
// whose encoding and separator it detects. It reads the header row, which
// may come after a few title rows. It returns the errors NewRosterReader
// does, with a *HeaderError naming the required columns that are missing:
// code, title, type, hours and points.
// Sessions (default 1), threshold (default domain.DefaultThreshold) and rule
// version (default domain.RuleVersion) are optional.
func NewCatalogReader(r io.Reader, opts ...Option) (*CatalogReader, error) {
	cr := &CatalogReader{seed: maphash.MakeSeed(), seen: map[string]seen{}}
	l, err := cr.open(r, opts, catalogLayout)
	if err != nil {
		return nil, err
	}
	cr.cols = l
	return cr, nil
}

// catalogLayout reads a catalog header row.
func catalogLayout(head []string, line int) (*layout, *HeaderError) {
	l := newLayout(head, catalogHeaders)
	var missing []string
	for _, req := range []struct {
		col  column
		name string
	}{{colCode, "Código"}, {colTitle, "Título"}, {colType, "Tipo"}, {colHours, "Horas"}, {colPoints, "Puntos"}} {
		if !l.has(req.col) {
			missing = append(missing, req.name)
		}
	}
	if missing != nil {
		return nil, &HeaderError{Line: line, Missing: missing, Found: head, known: l.known}
	}
	return l, nil
}

// Skipped returns how many rows were left out because an earlier row had the
// same code and identical data.
func (r *CatalogReader) Skipped() int { return r.skipped }

// NextActivity returns the next activity and the physical line (row of
// the sheet) where its row starts, with the errors of NextPerson. Blank
// rows, and rows identical to an earlier one with the same code, are
// skipped. An activity returned is valid by domain.ValidateActivity.
func (r *CatalogReader) NextActivity() (domain.Activity, int, error) {
	for {
		line, problem, err := r.nextRow()
		if err != nil {
			return domain.Activity{}, 0, err
		}
		if problem != nil {
			return domain.Activity{}, line, r.rowErr(line, "", problem)
		}
		a, err := r.activity()
		if err != nil {
			return domain.Activity{}, line, r.rowErr(line, r.label(err), err)
		}
		h := r.hash(&a)
		if s, dup := r.seen[a.Code]; dup {
			if s.hash == h {
				r.skipped++
				continue
			}
			err := &DuplicateError{Key: "Código", FirstLine: int(s.line), sheet: r.sheetName()}
			return domain.Activity{}, line, r.rowErr(line, r.cols.label[colCode], err)
		}
		r.seen[strings.Clone(a.Code)] = seen{line: int32(line), hash: h}
		return a, line, nil
	}
}

// rowErr is a domain error with a message of this package's own.
func rowErr(code, field, text string) *domain.Error {
	return &domain.Error{Code: code, Field: field, Text: text}
}

// activity builds and validates the activity in the current record.
func (r *CatalogReader) activity() (domain.Activity, error) {
	c := r.cols
	cell := func(col column) string { return cleanText(r.field(c.index[col])) }
	a := domain.Activity{Code: cell(colCode), Title: cell(colTitle)}
	if a.Code == "" {
		return a, rowErr(domain.CodeRequired, "code", "Completá el código de la actividad.")
	}
	if a.Title == "" {
		return a, rowErr(domain.CodeRequired, "title", "Completá el título de la actividad.")
	}
	t, err := parseType(cell(colType))
	if err != nil {
		return a, &domain.Error{Code: domain.CodeActivityType, Field: "type"}
	}
	a.Type = t
	if a.Hours, err = parseHours(cell(colHours)); err != nil {
		return a, rowErr(domain.CodeActivityHours, "hours", "Las horas deben ser un número mayor que 0, por ejemplo 2 o 1,5.")
	}
	pts := cell(colPoints)
	if pts == "" {
		return a, rowErr(domain.CodeRequired, "points", "Completá los puntos de la actividad.")
	}
	if a.Points, err = parseWhole(pts, 0); err != nil {
		return a, rowErr(domain.CodeActivityPoints, "points", "Los puntos deben ser un número entero de 0 o más, por ejemplo 2 o 100.")
	}
	a.Sessions = 1
	if s := cell(colSessions); s != "" {
		if a.Sessions, err = parseWhole(s, 1); err != nil {
			return a, rowErr(domain.CodeActivitySessions, "sessions", "La cantidad de encuentros debe ser un número entero de 1 o más.")
		}
	}
	a.Threshold = domain.DefaultThreshold
	if s := cell(colThreshold); s != "" {
		if a.Threshold, err = parseThreshold(s); err != nil {
			return a, rowErr(domain.CodeActivityThreshold, "threshold",
				"La asistencia mínima debe ser un porcentaje entre 1 % y 100 %, escrito como 75 %, 75 o 0,75.")
		}
	}
	a.RuleVersion = cell(colRuleVersion)
	if a.RuleVersion == "" {
		a.RuleVersion = domain.RuleVersion
	}
	if err := domain.ValidateActivity(&a); err != nil {
		return domain.Activity{}, err
	}
	return a, nil
}

// catalogFields maps domain field names to catalog columns.
var catalogFields = map[string]column{
	"code": colCode, "title": colTitle, "type": colType, "hours": colHours, "points": colPoints,
	"sessions": colSessions, "threshold": colThreshold, "rule_version": colRuleVersion,
}

// label names the column at fault for a domain error, as the file's header does.
func (r *CatalogReader) label(err error) string {
	if e, ok := errors.AsType[*domain.Error](err); ok {
		if col, ok := catalogFields[e.Field]; ok {
			return r.cols.label[col]
		}
	}
	return ""
}

// hash sums up an activity's data to tell an identical repeated row from a different one.
func (r *CatalogReader) hash(a *domain.Activity) uint64 {
	var h maphash.Hash
	h.SetSeed(r.seed)
	for _, s := range [...]string{a.Code, a.Title, string(a.Type), a.RuleVersion} {
		h.WriteString(s)
		h.WriteByte(0)
	}
	var b [8]byte
	for _, v := range [...]uint64{math.Float64bits(a.Hours), uint64(a.Points), uint64(a.Sessions), math.Float64bits(a.Threshold)} {
		binary.LittleEndian.PutUint64(b[:], v)
		h.Write(b[:])
	}
	return h.Sum64()
}
