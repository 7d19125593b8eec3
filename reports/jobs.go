package reports

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/puntos-ar/puntos/storage"
	"github.com/puntos-ar/puntos/storage/domain"
)

// Store is what printing needs from the device store.
type Store interface {
	Session(ctx context.Context, id string) (storage.SessionInfo, error)
	Attendees(ctx context.Context, sessionID string) ([]storage.Attendee, error)
	IssueCertificates(ctx context.Context, sessionID string) (storage.Issue, error)
	PersonYear(ctx context.Context, dni string, year int) (domain.Person, []storage.YearEntry, error)
	Office(ctx context.Context) (storage.Office, error)
}

// CertificateRun is what PrintCertificates wrote.
type CertificateRun struct {
	SessionPDFs []string // one, or one per office snapshot when reprints span office changes
	Files       []string // one per person
	Issue       storage.Issue
}

// PrintCertificates issues a closed session's certificates (reprinting the
// ones issued before, identical) and writes into dir one PDF with all of
// them, sorted by surname, and one file per person. progress gets pages
// done out of the total (both PDFs).
func PrintCertificates(ctx context.Context, st Store, sessionID, dir string, progress func(done, total int)) (CertificateRun, error) {
	var run CertificateRun
	si, err := st.Session(ctx, sessionID)
	if err != nil {
		return run, err
	}
	if run.Issue, err = st.IssueCertificates(ctx, si.ID); err != nil {
		return run, err
	}
	if len(run.Issue.Certificates) == 0 {
		return run, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return run, fmt.Errorf("no se pudo crear la carpeta %s: %w", dir, err)
	}
	groups := byOffice(run.Issue.Certificates)
	total, done := 2*len(run.Issue.Certificates), 0
	step := func(int, int) {
		done++
		if progress != nil {
			progress(done, total)
		}
	}
	base := fmt.Sprintf("certificados_%s_%s", si.Date, domain.FileSafe(si.ActivityCode, ""))
	for i, g := range groups {
		name := base + ".pdf"
		if len(groups) > 1 {
			name = fmt.Sprintf("%s_%d.pdf", base, i+1)
		}
		path := filepath.Join(dir, name)
		if err := writeFile(path, func(w io.Writer) error { return CertificatesPDF(w, g.office, g.certs, step) }); err != nil {
			return run, err
		}
		run.SessionPDFs = append(run.SessionPDFs, path)
	}
	for _, g := range groups {
		files, err := WriteCertificateFiles(dir, g.office, g.certs, step)
		if err != nil {
			return run, err
		}
		run.Files = append(run.Files, files...)
	}
	return run, nil
}

type officeGroup struct {
	office Office
	certs  []Certificate
}

// byOffice groups certificates by the office snapshot they were issued
// with, keeping their order.
func byOffice(certs []storage.Certificate) []officeGroup {
	var groups []officeGroup
	index := map[[32]byte]int{}
	for _, c := range certs {
		o := OfficeOf(c.Office)
		k := groupKey(o)
		i, ok := index[k]
		if !ok {
			i = len(groups)
			index[k] = i
			groups = append(groups, officeGroup{office: o})
		}
		groups[i].certs = append(groups[i].certs, CertificateOf(c.CertificateText))
	}
	return groups
}

// groupKey identifies an office snapshot: its texts and images.
func groupKey(o Office) [32]byte {
	h := sha256.New()
	fmt.Fprintf(h, "%q %q %q %q %v", o.Name, o.Subtitle, o.VerifyBaseURL, officeKey(o), o.Demo)
	for _, s := range o.Signatories {
		fmt.Fprintf(h, " %q %q", s.Name, s.Role)
	}
	var k [32]byte
	copy(k[:], h.Sum(nil))
	return k
}

// OfficeOf converts the stored office settings.
func OfficeOf(o storage.Office) Office {
	out := Office{Name: o.Name, Subtitle: o.Subtitle, Logo: o.Logo, VerifyBaseURL: o.VerifyBaseURL, Demo: o.Demo}
	for _, s := range o.Signatories {
		out.Signatories = append(out.Signatories, Signatory{Name: s.Name, Role: s.Role, Image: s.Image})
	}
	return out
}

// CertificateOf converts a stored certificate's frozen text.
func CertificateOf(t storage.CertificateText) Certificate {
	return Certificate{Code: t.Code, Kind: t.Kind, FullName: t.FullName, Surname: t.Surname, GivenNames: t.GivenNames,
		DNI: t.DNI, CUIL: t.CUIL, ActivityTitle: t.ActivityTitle, ActivityType: t.ActivityType, Hours: t.Hours,
		Points: t.Points, Dates: t.Dates, Place: t.Place, IssuedAt: t.IssuedAt, JWS: t.JWS}
}

func writeFile(path string, render func(io.Writer) error) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("no se pudo crear %s: %w", path, err)
	}
	if err := render(f); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}

// sessionAttendees returns the session sessionID names and its
// attendances.
func sessionAttendees(ctx context.Context, st Store, sessionID string) (storage.SessionInfo, []storage.Attendee, error) {
	si, err := st.Session(ctx, sessionID)
	if err != nil {
		return si, nil, err
	}
	atts, err := st.Attendees(ctx, si.ID)
	return si, atts, err
}

// PrintSheet writes a session's attendance sheet. While the session is open
// it lists the expected people (and anyone already checked in) with blank
// rows for walk-ins; once closed, the attendees with their status.
func PrintSheet(ctx context.Context, st Store, sessionID string, expected []domain.Person, blank int, path string) error {
	si, atts, err := sessionAttendees(ctx, st, sessionID)
	if err != nil {
		return err
	}
	office, err := st.Office(ctx)
	if err != nil {
		return err
	}
	sh := Sheet{ActivityTitle: si.ActivityTitle, Date: domain.LongDate(si.Date), Place: si.Place(),
		Venue: si.Venue, Instructor: si.Instructor, Office: office.Name, After: si.State == domain.Closed,
		GeneratedAt: time.Now()}
	if si.Start != "" {
		sh.Time = si.Start
		if si.End != "" {
			sh.Time += " a " + si.End
		}
	}
	seen := map[string]bool{}
	for _, a := range atts {
		seen[a.DNI] = true
		row := SheetRow{FullName: a.Person.FullName(), DNI: a.DNI, Agency: a.Person.Agency}
		if sh.After {
			row.Status = string(a.Status)
		}
		sh.Rows = append(sh.Rows, row)
	}
	if !sh.After {
		for _, p := range expected {
			if !seen[p.DNI] {
				seen[p.DNI] = true
				sh.Rows = append(sh.Rows, SheetRow{FullName: p.FullName(), DNI: p.DNI, Agency: p.Agency})
			}
		}
		sh.BlankRows = blank
	}
	sort.SliceStable(sh.Rows, func(i, j int) bool { return domain.Fold(sh.Rows[i].FullName) < domain.Fold(sh.Rows[j].FullName) })
	return writeFile(path, func(w io.Writer) error { return SheetPDF(w, sh) })
}

// PrintStatement writes a person's provisional statement of points for a
// year, from what this device recorded.
func PrintStatement(ctx context.Context, st Store, dni string, year int, path string) error {
	p, entries, err := st.PersonYear(ctx, dni, year)
	if err != nil {
		return err
	}
	office, err := st.Office(ctx)
	if err != nil {
		return err
	}
	s := Statement{FullName: strings.TrimSpace(p.GivenNames + " " + p.Surname), DNI: p.DNI, CUIL: p.CUIL, Agency: p.Agency,
		Year: year, Provisional: true, Issuer: office.Name, GeneratedAt: time.Now()}
	for _, e := range entries {
		s.Entries = append(s.Entries, StatementEntry{Date: shortDate(e.Date), ActivityTitle: e.ActivityTitle,
			ActivityType: e.ActivityType, Hours: e.Hours, Points: e.Points, Status: e.Status})
	}
	return writeFile(path, func(w io.Writer) error { return StatementPDF(w, s) })
}

func shortDate(d string) string {
	if t, err := time.Parse("2006-01-02", d); err == nil {
		return t.Format("02/01/2006")
	}
	return d
}

var methodLabels = map[domain.Method]string{
	domain.Typed: "DNI tipeado", domain.Search: "búsqueda", domain.Scan: "escaneo del DNI",
	domain.Import: "importado", domain.WalkIn: "agregado en la sesión",
}

// ExportAttendance writes a session's attendance as CSV for Excel.
func ExportAttendance(ctx context.Context, st Store, sessionID string, sep rune, path string) error {
	si, atts, err := sessionAttendees(ctx, st, sessionID)
	if err != nil {
		return err
	}
	rows := make([]ExportRow, 0, len(atts))
	for _, a := range atts {
		rows = append(rows, ExportRow{Date: si.Date, Start: si.Start, End: si.End, ActivityCode: si.ActivityCode,
			ActivityTitle: si.ActivityTitle, Municipality: si.Municipality, Province: si.Province, Venue: si.Venue,
			Instructor: si.Instructor, Surname: a.Person.Surname, GivenNames: a.Person.GivenNames, DNI: a.DNI,
			CUIL: a.Person.CUIL, Agency: a.Person.Agency, Status: string(a.Status), Method: methodLabels[a.Method],
			At: a.At.In(domain.Argentina).Format("2006-01-02 15:04"), WalkIn: a.Method == domain.WalkIn})
	}
	return writeFile(path, func(w io.Writer) error { return AttendanceCSV(w, rows, sep) })
}
