package storage

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/storage/internal/sqlitex"
)

// Office is the issuing office's settings: what certificates print.
type Office struct {
	Name          string      `json:"name"`
	Subtitle      string      `json:"subtitle"`
	VerifyBaseURL string      `json:"verify_url"`
	Logo          []byte      `json:"-"`
	Signatories   []Signatory `json:"signatories"`
	// Demo is set on the office snapshot of a certificate issued in a demo
	// data folder: it prints "EJEMPLO — SIN VALIDEZ".
	Demo bool `json:"demo,omitempty"`
}

// Signatory signs certificates.
type Signatory struct {
	Name  string `json:"name"`
	Role  string `json:"role"`
	Image []byte `json:"-"`
}

// officeRecord is Office as stored: images by their SHA-256.
type officeRecord struct {
	Name          string            `json:"name"`
	Subtitle      string            `json:"subtitle"`
	VerifyBaseURL string            `json:"verify_url"`
	Logo          string            `json:"logo,omitempty"`
	Signatories   []signatoryRecord `json:"signatories"`
	Demo          bool              `json:"demo,omitempty"` // only in certificates' snapshots
}

type signatoryRecord struct {
	Name  string `json:"name"`
	Role  string `json:"role"`
	Image string `json:"image,omitempty"`
}

const officeKey = "office"

// DefaultVerifyURL is the loopback registry a demo data folder prints
// when no address is set. Nothing else prints it.
const DefaultVerifyURL = "http://127.0.0.1:8080"

// Office returns the office settings, with defaults when never set.
func (s *Store) Office(ctx context.Context) (Office, error) {
	raw, err := s.Setting(ctx, officeKey, "")
	if err != nil {
		return Office{}, err
	}
	if raw == "" {
		return Office{Name: "Oficina regional de capacitación"}, nil
	}
	return s.loadOffice(ctx, s.db, raw)
}

// VerifyBase is the public address certificates print for verification,
// "" when there is none yet: the registry's public address once the
// device learned it, else the office's verify URL, or, in a demo data
// folder with neither, DefaultVerifyURL.
func (s *Store) VerifyBase(ctx context.Context) (string, error) {
	// The registry's public address, learned at enrollment and on every
	// pull, wins over the office's own.
	u, err := s.PublicURL(ctx)
	if err != nil {
		return "", err
	}
	if u == "" {
		o, err := s.Office(ctx)
		if err != nil {
			return "", err
		}
		u = o.VerifyBaseURL
	}
	u = strings.TrimRight(strings.TrimSpace(u), "/")
	if u == "" {
		demo, err := s.Demo(ctx)
		if err != nil || !demo {
			return "", err
		}
		u = DefaultVerifyURL
	}
	return u, nil
}

const demoKey = "demo"

// MarkDemo marks the data folder as a demo's: its certificates print
// "EJEMPLO — SIN VALIDEZ" and may point at a loopback registry.
func (s *Store) MarkDemo(ctx context.Context) error {
	return s.SetSetting(ctx, demoKey, "1")
}

// Demo tells whether the data folder is a demo's: marked by MarkDemo, or
// made before the mark by the demo, which leaves its CSVs in a "demo"
// folder.
func (s *Store) Demo(ctx context.Context) (bool, error) {
	v, err := s.Setting(ctx, demoKey, "")
	if err != nil || v != "" {
		return v != "", err
	}
	_, err = os.Stat(filepath.Join(s.Dir(), "demo", "catalogo.csv"))
	return err == nil, nil
}

type rowQueryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (s *Store) loadOffice(ctx context.Context, q rowQueryer, raw string) (Office, error) {
	var rec officeRecord
	if err := json.Unmarshal([]byte(raw), &rec); err != nil {
		return Office{}, fmt.Errorf("read office settings: %w", err)
	}
	o := Office{Name: rec.Name, Subtitle: rec.Subtitle, VerifyBaseURL: rec.VerifyBaseURL, Demo: rec.Demo}
	var err error
	if o.Logo, err = image(ctx, q, rec.Logo); err != nil {
		return o, err
	}
	for _, sr := range rec.Signatories {
		img, err := image(ctx, q, sr.Image)
		if err != nil {
			return o, err
		}
		o.Signatories = append(o.Signatories, Signatory{Name: sr.Name, Role: sr.Role, Image: img})
	}
	return o, nil
}

func image(ctx context.Context, q rowQueryer, sum string) ([]byte, error) {
	if sum == "" {
		return nil, nil
	}
	var b []byte
	if err := q.QueryRowContext(ctx, `SELECT data FROM images WHERE sha256 = ?`, sum).Scan(&b); err != nil {
		return nil, fmt.Errorf("office image %s: %w", sum[:8], err)
	}
	return b, nil
}

// officeLengths checks the office's texts against domain's maxima.
func officeLengths(rec officeRecord, sigs []Signatory) error {
	fields := []domain.FieldLen{domain.Len("office", rec.Name, domain.MaxOffice),
		domain.Len("subtitle", rec.Subtitle, domain.MaxSubtitle), domain.Len("url", rec.VerifyBaseURL, domain.MaxURL)}
	for _, sg := range sigs {
		fields = append(fields, domain.Len("signatory", strings.TrimSpace(sg.Name), domain.MaxSignatory),
			domain.Len("role", strings.TrimSpace(sg.Role), domain.MaxRole))
	}
	return domain.CheckLens(fields...)
}

// SetOffice stores the office settings. Callers check the images are valid
// PNG or JPEG first (reports.ValidateImage): storage keeps bytes.
func (s *Store) SetOffice(ctx context.Context, o Office) error {
	o.Name = strings.TrimSpace(o.Name)
	if o.Name == "" {
		return invalid("office_name", "oficina", "Falta el nombre de la oficina que emite los certificados.")
	}
	if len(o.Signatories) > 2 {
		return invalid("office_signatories", "firmantes", "Un certificado lleva como máximo dos firmas.")
	}
	u := strings.TrimRight(strings.TrimSpace(o.VerifyBaseURL), "/")
	if u != "" {
		if err := s.checkVerifyURL(ctx, u); err != nil {
			return err
		}
	}
	rec := officeRecord{Name: o.Name, Subtitle: strings.TrimSpace(o.Subtitle), VerifyBaseURL: u}
	if err := officeLengths(rec, o.Signatories); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if rec.Logo, err = putImage(ctx, tx, o.Logo); err != nil {
			return err
		}
		for _, sg := range o.Signatories {
			if strings.TrimSpace(sg.Name) == "" {
				return invalid("signatory_name", "firmante", "Cada firma necesita el nombre de quien firma.")
			}
			sum, err := putImage(ctx, tx, sg.Image)
			if err != nil {
				return err
			}
			rec.Signatories = append(rec.Signatories, signatoryRecord{Name: strings.TrimSpace(sg.Name), Role: strings.TrimSpace(sg.Role), Image: sum})
		}
		raw, _ := json.Marshal(rec)
		if _, err := tx.ExecContext(ctx, `INSERT INTO settings(key, value) VALUES (?, ?)
			ON CONFLICT(key) DO UPDATE SET value = excluded.value`, officeKey, string(raw)); err != nil {
			return err
		}
		return s.logEvent(ctx, tx, "office.set", "setting", officeKey, "")
	})
}

// checkVerifyURL refuses an address a phone cannot reach: not https, or a
// loopback or private one, except in a demo data folder.
func (s *Store) checkVerifyURL(ctx context.Context, u string) error {
	demo, err := s.Demo(ctx)
	if err != nil {
		return err
	}
	switch {
	case demo && (strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://")):
		return nil
	case !strings.HasPrefix(u, "https://"):
		return invalid("verify_url", "url", "La dirección de verificación debe empezar con https:// (por ejemplo https://puntos.gob.ar).")
	case domain.PrivateAddress(u):
		return invalid("verify_url_private", "url", "La dirección de verificación %s es de esta computadora o de una red interna y un teléfono no llega a ella: poné la dirección pública del registro (por ejemplo https://puntos.gob.ar).", u)
	}
	return nil
}

func putImage(ctx context.Context, tx *sql.Tx, b []byte) (string, error) {
	if len(b) == 0 {
		return "", nil
	}
	h := sha256.Sum256(b)
	sum := hex.EncodeToString(h[:])
	_, err := tx.ExecContext(ctx, `INSERT INTO images(sha256, data) VALUES (?, ?) ON CONFLICT DO NOTHING`, sum, b)
	return sum, err
}

// CertificateText is the frozen text of an issued certificate.
type CertificateText struct {
	Code          string    `json:"code"`
	Kind          string    `json:"kind"` // domain.KindAttendance or domain.KindApproval
	FullName      string    `json:"full_name"`
	Surname       string    `json:"surname"`
	GivenNames    string    `json:"given_names"`
	DNI           string    `json:"dni"`
	CUIL          string    `json:"cuil"`
	ActivityTitle string    `json:"activity_title"`
	ActivityType  string    `json:"activity_type"`
	Hours         float64   `json:"hours"`
	Points        int       `json:"points"`
	Dates         string    `json:"dates"`
	Place         string    `json:"place"`
	IssuedAt      time.Time `json:"issued_at"`
	// JWS signs the certificate's facts with the device's key (sync/jws);
	// the QR carries it. Certificates issued before signing have none and
	// print the /verify/ address of their code, as they always did.
	JWS string `json:"jws,omitempty"`
}

// Certificate is an issued certificate with the office it was issued by.
type Certificate struct {
	CertificateText
	Office Office
}

// NotEligible is an attendance that earns no certificate, and why.
type NotEligible struct {
	Attendee Attendee `json:"attendee"`
	Reason   string   `json:"reason"`  // a domain.Reason* code
	Message  string   `json:"message"` // in Spanish
}

// Issue is what IssueCertificates found for a session.
type Issue struct {
	Certificates []Certificate // sorted by surname, then given names
	NotEligible  []NotEligible
	New          int // how many were issued now (the rest are reprints)
}

// IssueCertificates issues the certificates of a closed session's eligible
// attendances (presente or tarde; for a multi-session course, the
// threshold of its sessions in the year) and returns them with the ones
// issued before, frozen: a reprint gives the same text. A person gets one
// certificate per activity and calendar year.
func (s *Store) IssueCertificates(ctx context.Context, sessionID string) (Issue, error) {
	var out Issue
	err := s.tx(ctx, func(tx *sql.Tx) error {
		si, err := s.sessionTx(ctx, tx, sessionID)
		if err != nil {
			return err
		}
		if si.State != domain.Closed {
			return invalid("session_open", "sesión", "La sesión sigue abierta: cerrala antes de emitir los certificados.")
		}
		act, err := sqlitex.ScanActivity(tx.QueryRowContext(ctx, `SELECT `+sqlitex.ActivityColumns+` FROM activities WHERE code = ?`, si.ActivityCode))
		if err != nil {
			return fmt.Errorf("activity of session: %w", err)
		}
		year, _ := strconv.Atoi(si.Date[:4])
		atts, err := attendees(ctx, tx, si.ID)
		if err != nil {
			return err
		}
		officeRaw := ""
		var key ed25519.PrivateKey
		for _, a := range atts {
			c, found, err := certificateFor(ctx, tx, a.DNI, act.Code, year)
			if err != nil {
				return err
			}
			if found {
				if c.Office, err = s.loadOffice(ctx, tx, c.officeRaw); err != nil {
					return err
				}
				out.Certificates = append(out.Certificates, c.Certificate)
				continue
			}
			hist, err := courseHistory(ctx, tx, a.DNI, act.Code, year)
			if err != nil {
				return err
			}
			o := domain.Evaluate(act, hist.statuses)
			if !o.Eligible {
				out.NotEligible = append(out.NotEligible, NotEligible{Attendee: a, Reason: o.Reason, Message: reasonText(o)})
				continue
			}
			if officeRaw == "" {
				if officeRaw, err = s.officeSnapshot(ctx, tx); err != nil {
					return err
				}
				if key, err = s.SigningKey(); err != nil {
					return err
				}
			}
			issued, err := s.issueCertificate(ctx, tx, key, si, act, a, year, hist, officeRaw)
			if err != nil {
				return err
			}
			out.Certificates = append(out.Certificates, issued)
			out.New++
		}
		return nil
	})
	sort.SliceStable(out.Certificates, func(i, j int) bool {
		a, b := out.Certificates[i], out.Certificates[j]
		if ka, kb := domain.Fold(a.Surname), domain.Fold(b.Surname); ka != kb {
			return ka < kb
		}
		return domain.Fold(a.GivenNames) < domain.Fold(b.GivenNames)
	})
	return out, err
}

// issueCertificate stores and logs a new certificate for attendee a of
// session si (an activity of year, attended as hist tells) with the
// office snapshot officeRaw, signed with key, and returns it.
func (s *Store) issueCertificate(ctx context.Context, tx *sql.Tx, key ed25519.PrivateKey, si SessionInfo, act domain.Activity, a Attendee, year int,
	hist history, officeRaw string) (Certificate, error) {
	text := CertificateText{
		Code: domain.NewCode(), Kind: domain.KindAttendance,
		FullName: strings.TrimSpace(a.Person.GivenNames + " " + a.Person.Surname),
		Surname:  a.Person.Surname, GivenNames: a.Person.GivenNames, DNI: a.DNI, CUIL: a.Person.CUIL,
		ActivityTitle: act.Title, ActivityType: activityTypeLabel(act.Type), Hours: act.Hours, Points: act.Points,
		Dates: domain.DateSpan(hist.first, hist.last), Place: si.Place(),
		IssuedAt: s.now().Truncate(time.Second),
	}
	if act.Sessions > 1 {
		text.Kind = domain.KindApproval
	}
	var err error
	if text.JWS, err = s.signCertificate(key, text, act.Code, hist); err != nil {
		return Certificate{}, err
	}
	fields, _ := json.Marshal(text)
	if _, err := tx.ExecContext(ctx, `INSERT INTO certificates(code, attendance_id, session_id, dni, activity_code,
		year, kind, fields, office, issued_at) VALUES (?,?,?,?,?,?,?,?,?,?)`,
		text.Code, a.ID, si.ID, a.DNI, act.Code, year, text.Kind, string(fields), officeRaw, sqlitex.Stamp(text.IssuedAt)); err != nil {
		return Certificate{}, fmt.Errorf("store certificate: %w", err)
	}
	if err := s.logEvent(ctx, tx, "certificate.issue", "certificate", text.Code, si.ID); err != nil {
		return Certificate{}, err
	}
	off, err := s.loadOffice(ctx, tx, officeRaw)
	if err != nil {
		return Certificate{}, err
	}
	return Certificate{CertificateText: text, Office: off}, nil
}

// officeSnapshot is the office a new certificate is issued by, as stored
// with it: the settings with the address certificates print now and the
// demo mark. An office that cannot issue yet gets a sentence saying what
// to set.
func (s *Store) officeSnapshot(ctx context.Context, tx *sql.Tx) (string, error) {
	var raw string
	err := tx.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, officeKey).Scan(&raw)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", err
	}
	var rec officeRecord
	if raw != "" {
		if err := json.Unmarshal([]byte(raw), &rec); err != nil {
			return "", fmt.Errorf("read office settings: %w", err)
		}
	}
	signed := false
	for _, sg := range rec.Signatories {
		signed = signed || sg.Name != "" && sg.Role != ""
	}
	if rec.Name == "" || !signed {
		return "", invalid("office_unsigned", "firmantes", "Antes de emitir certificados cargá la oficina y al menos un firmante con su cargo (en Configuración › Oficina, o con «puntos office set --name … --signatory \"Nombre|Cargo\"»).")
	}
	base, err := s.VerifyBase(ctx)
	if err != nil {
		return "", err
	}
	if base == "" {
		return "", invalid("verify_url_missing", "url", "Antes de emitir certificados cargá la dirección pública donde se verifican (en Configuración › Oficina, o con «puntos office set --verify-url https://…»).")
	}
	if rec.Demo, err = s.Demo(ctx); err != nil {
		return "", err
	}
	if !rec.Demo {
		if err := s.checkVerifyURL(ctx, base); err != nil {
			return "", err
		}
	}
	rec.VerifyBaseURL = base
	b, _ := json.Marshal(rec)
	return string(b), nil
}

type storedCertificate struct {
	Certificate
	officeRaw string
}

func certificateFor(ctx context.Context, tx *sql.Tx, dni, activity string, year int) (storedCertificate, bool, error) {
	var c storedCertificate
	var fields string
	err := tx.QueryRowContext(ctx, `SELECT fields, office FROM certificates WHERE dni = ? AND activity_code = ? AND year = ?`,
		dni, activity, year).Scan(&fields, &c.officeRaw)
	if errors.Is(err, sql.ErrNoRows) {
		return c, false, nil
	}
	if err != nil {
		return c, false, err
	}
	if err := json.Unmarshal([]byte(fields), &c.CertificateText); err != nil {
		return c, false, fmt.Errorf("read certificate: %w", err)
	}
	return c, true, nil
}

type history struct {
	statuses    []domain.Status
	first, last string
}

// courseHistory gathers a person's statuses at the closed sessions of an
// activity in a calendar year, and the span of the dates attended.
func courseHistory(ctx context.Context, tx *sql.Tx, dni, activity string, year int) (history, error) {
	var h history
	rows, err := tx.QueryContext(ctx, `SELECT t.status, s.date FROM attendances t JOIN sessions s ON s.id = t.session_id
		WHERE t.dni = ? AND s.activity_code = ? AND s.state = 'closed' AND s.date >= ? AND s.date < ?
		ORDER BY s.date`, dni, activity, fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-01-01", year+1))
	if err != nil {
		return h, err
	}
	defer rows.Close()
	for rows.Next() {
		var st domain.Status
		var date string
		if err := rows.Scan(&st, &date); err != nil {
			return h, err
		}
		h.statuses = append(h.statuses, st)
		if st.Attended() {
			if h.first == "" {
				h.first = date
			}
			h.last = date
		}
	}
	return h, rows.Err()
}

func reasonText(o domain.Outcome) string {
	switch o.Reason {
	case domain.ReasonAbsent:
		return "No consta como presente ni tarde."
	case domain.ReasonBelowThreshold:
		return fmt.Sprintf("Asistió a %d de los %d encuentros requeridos.", o.Attended, o.Required)
	}
	return "No cumple las condiciones de la actividad."
}

func activityTypeLabel(t domain.ActivityType) string {
	switch t {
	case domain.Charla:
		return "Charla"
	case domain.Taller:
		return "Taller"
	case domain.Curso:
		return "Curso"
	case domain.Intensivo:
		return "Curso intensivo"
	case domain.Virtual:
		return "Actividad virtual"
	}
	return string(t)
}

// YearEntry is one activity in a person's provisional statement.
type YearEntry struct {
	Date          string  `json:"date"` // last session attended (or held)
	ActivityCode  string  `json:"activity_code"`
	ActivityTitle string  `json:"activity_title"`
	ActivityType  string  `json:"activity_type"`
	Hours         float64 `json:"hours"`
	Points        int     `json:"points"`
	Status        string  `json:"status"` // "presente", "tarde", "aprobado", "en curso", "ausente"…
}

// PersonYear returns a person's activities in a calendar year as recorded
// on this device, with the points they earn (provisional: the registry's
// ledger is the truth). Only closed sessions count.
func (s *Store) PersonYear(ctx context.Context, dni string, year int) (domain.Person, []YearEntry, error) {
	p, err := s.Person(ctx, dni)
	if err != nil {
		return p, nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT s.activity_code, s.date, t.status FROM attendances t
		JOIN sessions s ON s.id = t.session_id
		WHERE t.dni = ? AND s.state = 'closed' AND s.date >= ? AND s.date < ? ORDER BY s.date`,
		dni, fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-01-01", year+1))
	if err != nil {
		return p, nil, err
	}
	type acc struct {
		statuses []domain.Status
		last     string
	}
	byActivity := map[string]*acc{}
	var order []string
	for rows.Next() {
		var code, date string
		var st domain.Status
		if err := rows.Scan(&code, &date, &st); err != nil {
			rows.Close()
			return p, nil, err
		}
		a := byActivity[code]
		if a == nil {
			a = &acc{}
			byActivity[code] = a
			order = append(order, code)
		}
		a.statuses = append(a.statuses, st)
		a.last = date
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return p, nil, err
	}
	var out []YearEntry
	for _, code := range order {
		act, err := s.Activity(ctx, code)
		if err != nil {
			return p, nil, err
		}
		a := byActivity[code]
		o := domain.Evaluate(act, a.statuses)
		e := YearEntry{Date: a.last, ActivityCode: code, ActivityTitle: act.Title, ActivityType: activityTypeLabel(act.Type),
			Hours: act.Hours, Points: o.Points}
		switch {
		case act.Sessions > 1 && o.Eligible:
			e.Status = "aprobado"
		case act.Sessions > 1:
			e.Status = fmt.Sprintf("%d de %d encuentros", o.Attended, o.Required)
		default:
			e.Status = string(bestStatus(a.statuses))
		}
		out = append(out, e)
	}
	return p, out, nil
}

func bestStatus(sts []domain.Status) domain.Status {
	best := domain.Ausente
	rank := map[domain.Status]int{domain.Presente: 3, domain.Tarde: 2, domain.Justificado: 1, domain.Ausente: 0}
	for _, s := range sts {
		if rank[s] > rank[best] {
			best = s
		}
	}
	return best
}
