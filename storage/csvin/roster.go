package csvin

import (
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"strconv"

	"github.com/puntos-ar/puntos/storage/domain"
)

// DuplicateError is the reason for a row whose key (a DNI or an activity
// code) already appeared in an earlier row with other data. errors.Is finds
// domain.ErrConflict in it.
type DuplicateError struct {
	Key       string // "DNI" or "Código"
	FirstLine int    // line (row of the sheet) of the row that was kept
	sheet     string // the workbook's sheet; empty for a text file
}

// Error returns the Spanish message.
func (e *DuplicateError) Error() string {
	return fmt.Sprintf("%s repetido en la %s con otros datos. Dejá una sola fila con los datos correctos.", e.Key, where(e.sheet, e.FirstLine))
}

// Is reports whether target is domain.ErrConflict.
func (e *DuplicateError) Is(target error) bool { return target == domain.ErrConflict }

// errUnterminated is the reason for a row whose quoted cell never closes.
var errUnterminated = errors.New("Una celda abre comillas (\") en esta línea y no las cierra: se leyó hasta el final del archivo. " +
	"Revisá esa celda; las filas que siguen no se importaron.")

// Reader reads people from a roster CSV file. It is not safe for concurrent use.
type Reader struct {
	table
	cols    *layout
	src     [nFields]int // record index of each cell person reads, -1 when absent
	buf     []byte
	scratch []byte
	seed    maphash.Seed
	seen    dniSet
	skipped int
}

// NewRosterReader reads the whole of r (at most MaxFileSize bytes): an
// Excel workbook (.xlsx, its first sheet or the one opts name), or text,
// whose encoding and separator it detects. It reads the header row, which
// may come after a few title rows. It returns ErrEmpty, ErrTooLarge,
// ErrUnzippedTooLarge, a *FormatError (not text, or a kind of file it does
// not read), a *SheetError, or a *HeaderError naming the required columns
// that are missing: a DNI (or CUIL) column, and surname and given names in
// two columns or in one "Apellido y Nombre" column.
func NewRosterReader(r io.Reader, opts ...Option) (*Reader, error) {
	rd := &Reader{seed: maphash.MakeSeed()}
	l, err := rd.open(r, opts, rosterLayout)
	if err != nil {
		return nil, err
	}
	rd.cols = l
	full := l.index[colFull]
	if full < 0 {
		full = l.index[colFullGivenFirst]
	}
	rd.src = [nFields]int{l.index[colDNI], l.index[colCUIL], l.index[colSurname], l.index[colGiven],
		full, l.index[colAgency], l.index[colEmail], l.index[colProvince]}
	// At most one accepted row per line.
	rd.seen.rows = make([]dniRow, 0, min(rd.rowsLeft(), 1<<22))
	return rd, nil
}

// rosterLayout reads a roster header row.
func rosterLayout(head []string, line int) (*layout, *HeaderError) {
	l := newLayout(head, rosterHeaders)
	// "Name" means the given names next to a surname column, else the full name.
	if l.has(colSurname) {
		l.move(colName, colGiven)
	} else {
		l.move(colName, colFull)
	}
	if l.has(colSurname) && l.has(colGiven) {
		l.index[colFull], l.index[colFullGivenFirst] = -1, -1
	} else if l.has(colFull) || l.has(colFullGivenFirst) {
		l.index[colSurname], l.index[colGiven] = -1, -1
		if l.has(colFull) {
			l.index[colFullGivenFirst] = -1
		}
	}
	var missing []string
	if !l.has(colDNI) && !l.has(colCUIL) {
		missing = append(missing, "DNI")
	}
	if !l.has(colFull) && !l.has(colFullGivenFirst) {
		switch {
		case !l.has(colSurname) && !l.has(colGiven):
			missing = append(missing, "Apellido y Nombre (en una columna o en dos)")
		case !l.has(colSurname):
			missing = append(missing, "Apellido")
		case !l.has(colGiven):
			missing = append(missing, "Nombre")
		}
	}
	if missing != nil {
		return nil, &HeaderError{Line: line, Missing: missing, Found: head, known: l.known}
	}
	return l, nil
}

// Skipped returns how many rows were left out because an earlier row had the
// same DNI and identical data.
func (r *Reader) Skipped() int { return r.skipped }

// NextPerson returns the next person and the physical line (row of the
// sheet) where its row starts. A rejected row gives a *RowError (reading
// can go on); the end of the file gives io.EOF and line 0, and a workbook
// found damaged midway a *FormatError. Blank rows, and rows identical to
// an earlier one with the same DNI, are skipped. A person returned is
// valid by domain.ValidatePerson.
func (r *Reader) NextPerson() (domain.Person, int, error) {
	for {
		line, problem, err := r.nextRow()
		if err != nil {
			return domain.Person{}, 0, err
		}
		if problem != nil {
			return domain.Person{}, line, r.rowErr(line, "", problem)
		}
		p, err := r.person()
		if err != nil {
			return domain.Person{}, line, r.rowErr(line, r.label(err), err)
		}
		dni, _ := strconv.ParseUint(p.DNI, 10, 32) // 7 or 8 digits after validation
		h := r.hash(&p)
		if s, dup := r.seen.lookup(uint32(dni)); dup {
			if s.hash == h {
				r.skipped++
				continue
			}
			err := &DuplicateError{Key: "DNI", FirstLine: int(s.line), sheet: r.sheetName()}
			return domain.Person{}, line, r.rowErr(line, r.dniLabel(), err)
		}
		r.seen.add(uint32(dni), line, h)
		return p, line, nil
	}
}

// Cells of a roster row that person reads, in the order of Reader.src.
const (
	fDNI = iota
	fCUIL
	fSurname
	fGiven
	fFull
	fAgency
	fEmail
	fProvince
	nFields
)

// person builds and validates the person in the current record. Its text
// fields share one string, so that a row costs few allocations.
func (r *Reader) person() (domain.Person, error) {
	// Cells, cleaned, back to back in r.buf; ends[i] closes cell i.
	var ends [nFields]int
	b := r.buf[:0]
	for i, col := range r.src {
		b = appendClean(b, r.field(col))
		if i == fEmail {
			lowerASCII(b[ends[i-1]:])
		}
		ends[i] = len(b)
	}
	r.buf = b
	s := string(b)
	cell := func(i int) string {
		if i == 0 {
			return s[:ends[0]]
		}
		return s[ends[i-1]:ends[i]]
	}
	var p domain.Person
	var ok bool
	if p.DNI, ok = excelNumber(cell(fDNI)); !ok {
		return p, scientific(domain.CodeDNIFormat, "dni")
	}
	if p.CUIL, ok = excelNumber(cell(fCUIL)); !ok {
		return p, scientific(domain.CodeCUILFormat, "cuil")
	}
	p.Surname, p.GivenNames = cell(fSurname), cell(fGiven)
	if r.src[fFull] >= 0 {
		p.Surname, p.GivenNames = splitFullName(cell(fFull), !r.cols.has(colFull))
	}
	p.Agency, p.Email, p.Province = cell(fAgency), cell(fEmail), cell(fProvince)
	if err := domain.ValidatePerson(&p); err != nil {
		return domain.Person{}, err
	}
	return p, nil
}

// label names the column at fault for a domain error, as the file's header does.
func (r *Reader) label(err error) string {
	e, ok := errors.AsType[*domain.Error](err)
	if !ok {
		return ""
	}
	c := r.cols
	full := c.label[colFull] + c.label[colFullGivenFirst]
	switch e.Field {
	case "dni":
		return r.dniLabel()
	case "cuil":
		return c.label[colCUIL]
	case "surname":
		if full != "" {
			return full
		}
		return c.label[colSurname]
	case "given_names":
		if full != "" {
			return full
		}
		return c.label[colGiven]
	case "email":
		return c.label[colEmail]
	case "agency":
		return c.label[colAgency]
	case "province":
		return c.label[colProvince]
	}
	return ""
}

// dniLabel names the DNI column, or the CUIL column when there is no DNI column.
func (r *Reader) dniLabel() string {
	if r.cols.has(colDNI) {
		return r.cols.label[colDNI]
	}
	return r.cols.label[colCUIL]
}

// hash sums up a person's data to tell an identical repeated row from a different one.
func (r *Reader) hash(p *domain.Person) uint64 {
	b := r.scratch[:0]
	for _, s := range [...]string{p.DNI, p.CUIL, p.Surname, p.GivenNames, p.Agency, p.Email, p.Province} {
		b = append(b, s...)
		b = append(b, 0) // cleaned text holds no NUL, so fields cannot run together
	}
	r.scratch = b
	return maphash.Bytes(r.seed, b)
}
