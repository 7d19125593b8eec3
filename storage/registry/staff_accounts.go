package registry

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/storage/geo"
	"github.com/puntos-ar/puntos/storage/internal/sqlitex"
	"github.com/puntos-ar/puntos/sync/wire"
)

// ConsoleActor is the actor of changes made with the command line.
const ConsoleActor = "consola"

const staffCols = `username, name, role, province, province_id, password_hash, created_at, disabled_at, last_login_at`

func scanStaff(sc interface{ Scan(...any) error }) (wire.StaffUser, string, error) {
	var u wire.StaffUser
	var hash, created string
	var disabled, last sql.NullString
	err := sc.Scan(&u.Username, &u.Name, &u.Role, &u.Province, &u.ProvinceID, &hash, &created, &disabled, &last)
	u.CreatedAt, u.DisabledAt, u.LastLoginAt = sqlitex.ParseStamp(created), sqlitex.NullStamp(disabled), sqlitex.NullStamp(last)
	return u, hash, err
}

// NormalizeUsername returns a staff user name in its stored form (trimmed,
// lower case) or a *domain.Error when it is not 2 to 32 letters, digits,
// '.', '-' or '_'.
func NormalizeUsername(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	ok := len(s) >= 2 && len(s) <= 32
	for i := 0; ok && i < len(s); i++ {
		c := s[i]
		ok = c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_'
	}
	if !ok {
		return "", &domain.Error{Code: wire.CodeInvalidRecord, Field: "username",
			Text: "El nombre de usuario debe tener de 2 a 32 letras sin acentos, números, puntos, guiones o guiones bajos."}
	}
	return s, nil
}

// NewStaff is a staff account to add.
type NewStaff struct {
	Username     string
	Name         string
	Role         string // wire.RoleAdmin, RoleReviewer or RoleViewer
	Province     string // any spelling geo.FindProvince knows; empty for every province
	PasswordHash string // server.HashPassword
}

// AddStaff adds a staff account and audits it as by. It fails with a
// *domain.Error when the user name, role or province is not valid or the
// user name is taken.
func (s *Store) AddStaff(ctx context.Context, n NewStaff, by wire.StaffAction) (wire.StaffUser, error) {
	name, err := NormalizeUsername(n.Username)
	if err != nil {
		return wire.StaffUser{}, err
	}
	if !wire.ValidRole(n.Role) {
		return wire.StaffUser{}, &domain.Error{Code: wire.CodeInvalidRecord, Field: "role",
			Text: fmt.Sprintf("El rol %q no existe: usá admin, reviewer o viewer.", n.Role)}
	}
	var prov, provID string
	if strings.TrimSpace(n.Province) != "" {
		p, ok := geo.FindProvince(n.Province)
		if !ok {
			return wire.StaffUser{}, &domain.Error{Code: wire.CodeInvalidRecord, Field: "province",
				Text: fmt.Sprintf("No se reconoce la provincia %q: escribila como en la lista (por ejemplo «Córdoba»).", n.Province)}
		}
		prov, provID = p.Name, p.ID
	}
	if n.PasswordHash == "" {
		return wire.StaffUser{}, errors.New("add staff: no password hash")
	}
	at := s.actionTime(by)
	err = s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO staff(username, name, role, province, province_id, password_hash, created_at)
			VALUES (?,?,?,?,?,?,?) ON CONFLICT DO NOTHING`, name, strings.TrimSpace(n.Name), n.Role, prov, provID, n.PasswordHash, sqlitex.Stamp(at))
		if err != nil {
			return err
		}
		if k, _ := res.RowsAffected(); k == 0 {
			return &domain.Error{Code: wire.CodeInvalidRecord, Field: "username",
				Text: fmt.Sprintf("Ya existe una cuenta %q: elegí otro nombre de usuario.", name)}
		}
		detail := "rol " + n.Role
		if prov != "" {
			detail += ", provincia " + prov
		}
		return audit(ctx, tx, wire.AuditEntry{At: at, Actor: by.Actor, Action: wire.AuditStaffAdd, Target: name, Reason: by.Reason, Detail: detail})
	})
	if err != nil {
		return wire.StaffUser{}, fmt.Errorf("add staff: %w", err)
	}
	u, _, err := s.StaffAccount(ctx, name)
	return u, err
}

// StaffList returns every staff account by user name.
func (s *Store) StaffList(ctx context.Context) ([]wire.StaffUser, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+staffCols+` FROM staff ORDER BY username`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []wire.StaffUser{}
	for rows.Next() {
		u, _, err := scanStaff(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// DisableStaff disables an account and ends its sessions at once.
// Disabling twice keeps the first time. It returns an error wrapping
// domain.ErrNotFound for an unknown user.
func (s *Store) DisableStaff(ctx context.Context, username string, by wire.StaffAction) (wire.StaffUser, error) {
	name := strings.ToLower(strings.TrimSpace(username))
	at := sqlitex.Stamp(s.actionTime(by))
	err := s.updateStaff(ctx, name, at, wire.AuditStaffDisable, by, `UPDATE staff SET disabled_at = coalesce(disabled_at, ?) WHERE username = ?`, at)
	if err != nil {
		return wire.StaffUser{}, fmt.Errorf("disable staff: %w", err)
	}
	u, _, err := s.StaffAccount(ctx, name)
	return u, err
}

// SetStaffPassword replaces an account's password hash and ends its
// sessions.
func (s *Store) SetStaffPassword(ctx context.Context, username, hash string, by wire.StaffAction) error {
	name := strings.ToLower(strings.TrimSpace(username))
	at := sqlitex.Stamp(s.actionTime(by))
	err := s.updateStaff(ctx, name, at, wire.AuditStaffPassword, by, `UPDATE staff SET password_hash = ? WHERE username = ?`, hash)
	if err != nil {
		return fmt.Errorf("set staff password: %w", err)
	}
	return nil
}

// updateStaff runs update on the account name (args fill its
// placeholders but the last, the username), ends the account's sessions
// at at and audits action by by, in one transaction. An unknown account
// is not found.
func (s *Store) updateStaff(ctx context.Context, name, at, action string, by wire.StaffAction, update string, args ...any) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, update, append(args, name)...)
		if err != nil {
			return err
		}
		if k, _ := res.RowsAffected(); k == 0 {
			return notFound("staff")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE staff_sessions SET ended_at = ? WHERE username = ? AND ended_at IS NULL`, at, name); err != nil {
			return err
		}
		return audit(ctx, tx, wire.AuditEntry{At: sqlitex.ParseStamp(at), Actor: by.Actor, Action: action, Target: name, Reason: by.Reason})
	})
}

// StaffAccount returns an account and its password hash; see
// server.StaffStore.
func (s *Store) StaffAccount(ctx context.Context, username string) (wire.StaffUser, string, error) {
	u, hash, err := scanStaff(s.db.QueryRowContext(ctx, `SELECT `+staffCols+` FROM staff WHERE username = ?`,
		strings.ToLower(strings.TrimSpace(username))))
	if err != nil {
		return wire.StaffUser{}, "", noRows(err, "staff")
	}
	return u, hash, nil
}

// StartStaffSession stores a new session; see server.StaffStore.
func (s *Store) StartStaffSession(ctx context.Context, ss wire.StaffSessionRecord) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO staff_sessions(token_hash, username, created_at, expires_at) VALUES (?,?,?,?)`,
			ss.TokenHash, ss.Username, sqlitex.Stamp(ss.CreatedAt), sqlitex.Stamp(ss.ExpiresAt)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE staff SET last_login_at = ? WHERE username = ?`, sqlitex.Stamp(ss.CreatedAt), ss.Username); err != nil {
			return err
		}
		return audit(ctx, tx, wire.AuditEntry{At: ss.CreatedAt, Actor: ss.Username, Action: wire.AuditLogin,
			Detail: "vence " + sqlitex.Stamp(ss.ExpiresAt)})
	})
	if err != nil {
		return fmt.Errorf("start staff session: %w", err)
	}
	return nil
}

// StaffSession returns a live session and its account; see
// server.StaffStore.
func (s *Store) StaffSession(ctx context.Context, tokenHash []byte) (wire.StaffSessionRecord, wire.StaffUser, error) {
	var ss wire.StaffSessionRecord
	var created, expires string
	row := s.db.QueryRowContext(ctx, `SELECT ss.token_hash, ss.created_at, ss.expires_at, `+prefixed("st.", staffCols)+`
		FROM staff_sessions ss JOIN staff st ON st.username = ss.username WHERE ss.token_hash = ? AND ss.ended_at IS NULL`, tokenHash)
	var u wire.StaffUser
	var hash, ucreated string
	var disabled, last sql.NullString
	err := row.Scan(&ss.TokenHash, &created, &expires, &u.Username, &u.Name, &u.Role, &u.Province, &u.ProvinceID, &hash, &ucreated, &disabled, &last)
	if err != nil {
		return ss, u, noRows(err, "staff session")
	}
	// The lookup is by a hash of a 256-bit random token; compare anyway.
	if subtle.ConstantTimeCompare(ss.TokenHash, tokenHash) != 1 {
		return ss, u, notFound("staff session")
	}
	ss.Username, ss.CreatedAt, ss.ExpiresAt = u.Username, sqlitex.ParseStamp(created), sqlitex.ParseStamp(expires)
	u.CreatedAt, u.DisabledAt, u.LastLoginAt = sqlitex.ParseStamp(ucreated), sqlitex.NullStamp(disabled), sqlitex.NullStamp(last)
	return ss, u, nil
}

// EndStaffSession ends a session; see server.StaffStore.
func (s *Store) EndStaffSession(ctx context.Context, tokenHash []byte, by wire.StaffAction) error {
	at := s.actionTime(by)
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE staff_sessions SET ended_at = ? WHERE token_hash = ? AND ended_at IS NULL`, sqlitex.Stamp(at), tokenHash)
		if err != nil {
			return err
		}
		if k, _ := res.RowsAffected(); k == 0 {
			return notFound("staff session")
		}
		return audit(ctx, tx, wire.AuditEntry{At: at, Actor: by.Actor, Action: wire.AuditLogout})
	})
}

// AppendAudit writes one audit entry; see server.StaffStore.
func (s *Store) AppendAudit(ctx context.Context, e wire.AuditEntry) error {
	if e.At.IsZero() {
		e.At = s.now()
	}
	return s.tx(ctx, func(tx *sql.Tx) error { return audit(ctx, tx, e) })
}

// audit appends e to the audit log inside tx.
func audit(ctx context.Context, tx *sql.Tx, e wire.AuditEntry) error {
	if e.Actor == "" || e.Action == "" {
		return errors.New("audit: no actor or action")
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO audit(at, actor, action, target, reason, detail) VALUES (?,?,?,?,?,?)`,
		sqlitex.Stamp(e.At), e.Actor, e.Action, e.Target, e.Reason, e.Detail)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

// AuditLog returns a page of the audit log; see server.StaffStore.
func (s *Store) AuditLog(ctx context.Context, cursor string, limit int) (wire.AuditPage, error) {
	limit = pageLimit(limit)
	before := int64(1) << 62
	if cursor != "" {
		v, err := strconv.ParseInt(cursor, 10, 64)
		if err != nil || v <= 0 {
			return wire.AuditPage{}, badCursor()
		}
		before = v
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, at, actor, action, target, reason, detail FROM audit
		WHERE id < ? ORDER BY id DESC LIMIT ?`, before, limit+1)
	if err != nil {
		return wire.AuditPage{}, err
	}
	defer rows.Close()
	p := wire.AuditPage{Protocol: wire.Protocol, Entries: []wire.AuditEntry{}}
	for rows.Next() {
		var e wire.AuditEntry
		var at string
		if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.Target, &e.Reason, &e.Detail); err != nil {
			return p, err
		}
		e.At = sqlitex.ParseStamp(at)
		if len(p.Entries) == limit {
			p.Next = strconv.FormatInt(p.Entries[limit-1].ID, 10)
			break
		}
		p.Entries = append(p.Entries, e)
	}
	return p, rows.Err()
}

// actionTime is when an action happens: by.At, or now.
func (s *Store) actionTime(by wire.StaffAction) time.Time {
	if by.At.IsZero() {
		return s.now()
	}
	return by.At.UTC()
}

// prefixed puts prefix before each column of a column list.
func prefixed(prefix, cols string) string {
	parts := strings.Split(cols, ",")
	for i, p := range parts {
		parts[i] = prefix + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}

// pageLimit bounds a page size.
func pageLimit(n int) int {
	switch {
	case n <= 0:
		return wire.StaffDefaultPage
	case n > wire.StaffMaxPage:
		return wire.StaffMaxPage
	}
	return n
}

func badCursor() error {
	return &domain.Error{Code: wire.CodeBadRequest, Text: "El cursor de la página no es válido: volvé a la primera página."}
}

// encodeCursor and decodeCursor make an opaque page cursor of a stamp and
// an ID.
func encodeCursor(at, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(at + "|" + id))
}

func decodeCursor(c string) (at, id string, err error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return "", "", badCursor()
	}
	at, id, ok := strings.Cut(string(b), "|")
	if !ok {
		return "", "", badCursor()
	}
	return at, id, nil
}
