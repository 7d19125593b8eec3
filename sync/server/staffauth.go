package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/sync/wire"
)

// PasswordCost is the bcrypt cost of new password hashes (about a quarter
// of a second per login on a laptop). Tests lower it to bcrypt.MinCost.
var PasswordCost = 12

// staffMaxBody limits a staff request body (a login, a decision).
const staffMaxBody = 64 << 10

// CheckPasswordRules returns a *domain.Error when a new password is
// shorter than MinPasswordLen characters or longer than MaxPasswordLen
// bytes.
func CheckPasswordRules(pw string) error {
	switch {
	case utf8.RuneCountInString(pw) < wire.MinPasswordLen || strings.TrimSpace(pw) == "":
		return &domain.Error{Code: wire.CodeInvalidRecord, Field: "password",
			Text: "La contraseña debe tener al menos " + strconv.Itoa(wire.MinPasswordLen) + " caracteres."}
	case len(pw) > wire.MaxPasswordLen:
		return &domain.Error{Code: wire.CodeInvalidRecord, Field: "password",
			Text: "La contraseña es demasiado larga (hasta " + strconv.Itoa(wire.MaxPasswordLen) + " bytes)."}
	}
	return nil
}

// HashPassword checks a new password against CheckPasswordRules and
// returns its bcrypt hash.
func HashPassword(pw string) (string, error) {
	if err := CheckPasswordRules(pw); err != nil {
		return "", err
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), PasswordCost)
	if err != nil {
		return "", err
	}
	return string(h), nil
}

// CheckPassword reports whether pw matches a bcrypt hash.
func CheckPassword(hash, pw string) bool {
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw)) == nil
}

// dummyHash is compared against when a user name does not exist, so that
// a failed login takes as long either way.
var dummyHash = sync.OnceValue(func() string {
	h, _ := bcrypt.GenerateFromPassword([]byte("puntos-no-such-user"), PasswordCost)
	return string(h)
})

// bearer returns the request's bearer token, or "".
func bearer(r *http.Request) string {
	scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}

// staffHandler is a staff endpoint, run for a logged-in account.
type staffHandler func(w http.ResponseWriter, r *http.Request, c staffCall)

// staffCall is who calls a staff endpoint.
type staffCall struct {
	user      wire.StaffUser
	tokenHash []byte
}

// action is a StaffAction by the caller, now, for reason.
func (a *staffAPI) action(c staffCall, reason string) wire.StaffAction {
	return wire.StaffAction{Actor: c.user.Username, Reason: strings.TrimSpace(reason), At: a.srv.now()}
}

// authed runs h for a request with a live staff session whose account is
// enabled and whose role is at least role. A device token gets
// CodeStaffOnly: devices never reach the staff API.
func (a *staffAPI) authed(role string, h staffHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token := bearer(r)
		if token == "" {
			a.srv.fail(w, r, apiError(wire.CodeTokenMissing, "Iniciá sesión con tu cuenta del equipo central."))
			return
		}
		hash := wire.HashSecret(token)
		sess, user, err := a.store.StaffSession(r.Context(), hash)
		if errors.Is(err, domain.ErrNotFound) {
			if dev, derr := a.srv.store.DeviceByToken(r.Context(), hash); derr == nil {
				infoOf(r).device = dev.ID
				a.srv.fail(w, r, apiError(wire.CodeStaffOnly, "Esta parte del registro es solo para el equipo central: los equipos de las oficinas no pueden usarla."))
				return
			}
			a.srv.fail(w, r, apiError(wire.CodeSessionUnknown, "Tu sesión no es válida o ya se cerró: iniciá sesión de nuevo."))
			return
		}
		if err != nil {
			a.srv.fail(w, r, err)
			return
		}
		switch {
		case !a.srv.now().Before(sess.ExpiresAt):
			a.srv.fail(w, r, apiError(wire.CodeSessionExpired, "Tu sesión venció (dura 8 horas): iniciá sesión de nuevo."))
		case user.Disabled():
			a.srv.fail(w, r, apiError(wire.CodeAccountDisabled, "Tu cuenta del equipo central fue deshabilitada: hablá con quien administra el registro."))
		case !user.Can(role):
			a.srv.fail(w, r, apiError(wire.CodeForbidden, "Tu cuenta no tiene permiso para esto: pedíselo a quien administra el registro."))
		default:
			h(w, r, staffCall{user: user, tokenHash: hash})
		}
	}
}

// login checks a user name and password and opens a session. Failures
// are counted per client address (loginHostLimit) and per user name and
// client address (loginUserLimit), and answered with 429 beyond their
// limits: someone guessing from one address never locks the account's
// owner out from another. The answer never tells whether the user exists.
func (a *staffAPI) login(w http.ResponseWriter, r *http.Request) {
	var req wire.StaffLoginRequest
	if err := a.srv.decodeJSON(w, r, staffMaxBody, &req); err != nil {
		a.srv.fail(w, r, err)
		return
	}
	name := strings.ToLower(strings.TrimSpace(req.Username))
	host, now := a.srv.clientAddr(r), a.srv.now()
	hostWait, err := a.srv.blocked(r.Context(), loginHostLimit, host)
	if err != nil {
		a.srv.fail(w, r, err)
		return
	}
	userWait, err := a.srv.blocked(r.Context(), loginUserLimit, name, host)
	if err != nil {
		a.srv.fail(w, r, err)
		return
	}
	if wait := max(hostWait, userWait); wait > 0 {
		retryAfter(w, wait)
		a.srv.fail(w, r, apiError(wire.CodeTooManyAttempts, "Demasiados intentos fallidos desde esta conexión: esperá unos minutos antes de volver a probar."))
		return
	}
	user, hash, err := a.store.StaffAccount(r.Context(), name)
	if err != nil && !errors.Is(err, domain.ErrNotFound) {
		a.srv.fail(w, r, err)
		return
	}
	exists := err == nil
	if !exists {
		hash = dummyHash()
	}
	if !CheckPassword(hash, req.Password) || !exists {
		if err := a.srv.countFailure(r.Context(), loginHostLimit, host); err != nil {
			a.srv.fail(w, r, err)
			return
		}
		if err := a.srv.countFailure(r.Context(), loginUserLimit, name, host); err != nil {
			a.srv.fail(w, r, err)
			return
		}
		actor, target := name, ""
		if !exists {
			// What was typed may be a password in the wrong box: keep it out.
			actor = "(desconocido)"
		}
		if err := a.store.AppendAudit(r.Context(), wire.AuditEntry{At: now, Actor: actor, Action: wire.AuditLoginFailed, Target: target}); err != nil {
			a.srv.log.ErrorContext(r.Context(), "audit failed login", "err", err)
		}
		a.srv.fail(w, r, apiError(wire.CodeLoginFailed, "Usuario o contraseña incorrectos."))
		return
	}
	if user.Disabled() {
		a.srv.fail(w, r, apiError(wire.CodeAccountDisabled, "Tu cuenta del equipo central fue deshabilitada: hablá con quien administra el registro."))
		return
	}
	token, tokenHash := NewToken()
	sess := wire.StaffSessionRecord{TokenHash: tokenHash, Username: user.Username, CreatedAt: now, ExpiresAt: now.Add(wire.StaffSessionTTL)}
	if err := a.store.StartStaffSession(r.Context(), sess); err != nil {
		a.srv.fail(w, r, err)
		return
	}
	user.LastLoginAt = now
	a.srv.sendJSON(w, r, http.StatusOK, wire.StaffSession{Protocol: wire.Protocol, Token: token, ExpiresAt: sess.ExpiresAt, User: user})
}

func (a *staffAPI) logout(w http.ResponseWriter, r *http.Request, c staffCall) {
	if err := a.store.EndStaffSession(r.Context(), c.tokenHash, a.action(c, "")); err != nil {
		a.fail(w, r, err, "")
		return
	}
	a.srv.sendJSON(w, r, http.StatusOK, map[string]string{"protocol": wire.Protocol})
}

func (a *staffAPI) me(w http.ResponseWriter, r *http.Request, c staffCall) {
	a.srv.sendJSON(w, r, http.StatusOK, c.user)
}
