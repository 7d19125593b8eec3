package server

import (
	"bytes"
	"html/template"
	"net/http"
	"time"

	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/sync/jws"
	"github.com/puntos-ar/puntos/sync/wire"
)

// verifyPage is the public verification page, in Spanish. html/template
// escapes every field.
var verifyPage = template.Must(template.New("verify").Parse(`<!DOCTYPE html>
<html lang="es">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="puntos-protocol" content="{{.Protocol}}">
<meta name="robots" content="noindex">
<title>Verificación de certificado — Registro central de puntos</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f4f6fa;color:#191919}
main{max-width:38rem;margin:2rem auto;background:#fff;padding:1.5rem 2rem;border-radius:8px;box-shadow:0 1px 4px #0002}
h1{font-size:1.1rem;color:#162d5c;margin:0 0 1rem}
.status{font-size:1.4rem;font-weight:bold;margin:.5rem 0 1rem}
.genuine{color:#1b6e2e}.revoked{color:#a11d1d}.unknown{color:#6b5200}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.4rem 1rem;margin:0}
dt{color:#555}dd{margin:0}
p.note{color:#555;font-size:.9rem;margin-top:1.5rem}
</style>
</head>
<body>
<main>
<h1>Registro central de puntos — Verificación de certificados</h1>
{{- if and .Verdict (or (not .Found) (ne .State "revoked"))}}
<p class="status {{.Class}}">{{.Headline}}</p>
<p>{{.Verdict.Message}}</p>
{{- if and .Verdict.Claims (not .Found)}}
<dl>
{{- if .Verdict.Claims.Code}}
<dt>Código</dt><dd>{{.Verdict.Claims.Code}}</dd>
{{- end}}
<dt>DNI</dt><dd>{{.DNI}}</dd>
{{- if .Verdict.Claims.Activity}}
<dt>Actividad</dt><dd>{{.Verdict.Claims.Activity}}</dd>
{{- end}}
<dt>Tipo</dt><dd>{{.Kind}}</dd>
<dt>Fecha</dt><dd>{{.Date}}</dd>
<dt>Puntos</dt><dd>{{.Verdict.Claims.Points}}</dd>
</dl>
{{- end}}
{{- else if eq .State "genuine"}}
<p class="status genuine">✔ Certificado auténtico</p>
{{- else if eq .State "revoked"}}
<p class="status revoked">✖ Certificado revocado</p>
<p>Este certificado fue anulado el {{.RevokedOn}}{{if .C.RevokeReason}}. Motivo: {{.C.RevokeReason}}{{end}}. No es válido.</p>
{{- else}}
<p class="status unknown">No encontramos ese código</p>
<p>No hay ningún certificado con el código <strong>{{.Code}}</strong> en el registro. Revisá que esté escrito tal como figura en el certificado (10 letras y números, por ejemplo ABCD-EFGH-JK). Si el certificado se emitió hace pocos días, puede que todavía no haya llegado al registro: probá de nuevo más adelante.</p>
{{- end}}
{{- if and .Found (or (not .Verdict) .Verdict.OK (eq .State "revoked"))}}
<dl>
<dt>Código</dt><dd>{{.C.Code}}</dd>
<dt>Persona</dt><dd>{{.C.Name}}</dd>
<dt>Actividad</dt><dd>{{.C.Activity}}</dd>
<dt>Tipo</dt><dd>{{.Kind}}</dd>
<dt>Fecha</dt><dd>{{.Date}}</dd>
<dt>Puntos acreditados</dt><dd>{{if .C.Points}}{{.C.Points}}{{else}}todavía no acreditados{{end}}</dd>
</dl>
{{- end}}
<p class="note">Esta página la publica el registro central de puntos; no hace falta iniciar sesión.</p>
</main>
</body>
</html>
`))

// verifyView is what verifyPage shows.
type verifyView struct {
	Protocol  string
	State     string // "genuine", "revoked" or "unknown"
	Found     bool
	Code      string
	C         wire.CertificateCheck
	Kind      string
	Date      string
	RevokedOn string
	// Verdict, Class, Headline and DNI are set for a signed certificate
	// (PathVerifySigned).
	Verdict  *jws.Verdict
	Class    string
	Headline string
	DNI      string
}

// headlines are the first line of the page for each verdict on a signed
// certificate, with its style.
var headlines = map[string][2]string{
	jws.Genuine:     {"genuine", "✔ Certificado auténtico"},
	jws.NotReceived: {"genuine", "✔ Certificado auténtico, todavía no recibido por el registro"},
	jws.RevokedKey:  {"revoked", "✖ Firmado con una clave revocada"},
	jws.Forged:      {"revoked", "✖ Certificado alterado o falso"},
}

// verify answers the verification page: 200 for a genuine or revoked
// certificate, 404 for an unknown code.
func (s *Server) verify(w http.ResponseWriter, r *http.Request) {
	c, ok, err := s.lookup(r, r.PathValue("code"))
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	v := verifyView{Protocol: wire.Protocol, State: "unknown", Code: c.Code, C: c, Found: ok}
	if v.Code == "" {
		v.Code = r.PathValue("code")
		if len(v.Code) > 40 {
			v.Code = v.Code[:40] + "…"
		}
	}
	status := http.StatusNotFound
	if ok {
		status, v.State = http.StatusOK, c.Status
		v.found(c)
	}
	s.page(w, r, status, v)
}

var kindNames = map[string]string{domain.KindAttendance: "Constancia de asistencia", domain.KindApproval: "Certificado de aprobación",
	KindStatement: "Constancia oficial de puntos del año"}

func pageDate(d string) string {
	if t, err := time.Parse("2006-01-02", d); err == nil {
		return t.Format("02/01/2006")
	}
	return d
}

// found fills v with the registry's copy of the certificate.
func (v *verifyView) found(c wire.CertificateCheck) {
	v.Kind, v.Date = kindNames[c.Kind], pageDate(c.Date)
	if !c.RevokedAt.IsZero() {
		v.RevokedOn = wire.LocalDate(c.RevokedAt).Format("02/01/2006")
	}
}

// verifySigned answers the page a signed certificate's QR opens. The
// signature is checked against the published keys first; only a
// certificate whose signature holds is looked up by its code.
func (s *Server) verifySigned(w http.ResponseWriter, r *http.Request) {
	set, err := s.KeySet(r)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	token := r.PathValue("jws")
	verdict := jws.Judge(set, token, jws.Receipt{Known: true})
	v := verifyView{Protocol: wire.Protocol, State: "unknown"}
	if verdict.Claims != nil {
		c, ok, err := s.lookup(r, verdict.Claims.Code) // a statement has no code: not found
		if err != nil {
			s.internalError(w, r, err)
			return
		}
		cl := verdict.Claims
		switch {
		case ok && c.ActivityCode != cl.Activity:
			// A key signed facts that are not the registry's certificate
			// of that code.
			verdict = jws.Verdict{State: jws.Forged, Message: "Certificado alterado o falso: lo firmado no coincide con el certificado de ese código en el registro. No es válido."}
		case ok:
			verdict = jws.Judge(set, token, jws.Receipt{Known: true, At: c.ReceivedAt})
			v.Found, v.C, v.State = true, c, c.Status
			v.found(c)
		default:
			v.Kind, v.DNI = kindNames[cl.Kind], domain.FormatDNI(cl.DNI)
			if len(cl.Dates) > 0 {
				v.Date = pageDate(cl.Dates[0])
			}
			if len(cl.Dates) > 1 {
				v.Date += " al " + pageDate(cl.Dates[len(cl.Dates)-1])
			}
		}
	}
	v.Verdict = &verdict
	h := headlines[verdict.State]
	v.Class, v.Headline = h[0], h[1]
	if verdict.State == jws.Genuine && verdict.Claims != nil && verdict.Claims.Kind == KindStatement {
		v.Headline = "✔ Constancia oficial auténtica"
	}
	status := http.StatusOK
	if verdict.State == jws.Forged {
		status = http.StatusBadRequest
	}
	s.page(w, r, status, v)
}

func (s *Server) internalError(w http.ResponseWriter, r *http.Request, err error) {
	s.log.ErrorContext(r.Context(), "verify", "err", err)
	http.Error(w, "Error interno del registro: probá de nuevo más tarde.", http.StatusInternalServerError)
}

func (s *Server) page(w http.ResponseWriter, r *http.Request, status int, v verifyView) {
	var buf bytes.Buffer
	if err := verifyPage.Execute(&buf, v); err != nil {
		s.log.ErrorContext(r.Context(), "verify page", "err", err)
		http.Error(w, "Error interno del registro.", http.StatusInternalServerError)
		return
	}
	s.send(w, r, status, "text/html; charset=utf-8", buf.Bytes())
}
