package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/sync/jws"
	"github.com/puntos-ar/puntos/sync/wire"
	"github.com/puntos-ar/puntos/ui/kit"
)

// Verifier checks a signed certificate offline with the keys of the last
// sync; *storage.Store satisfies it.
type Verifier interface {
	Verify(ctx context.Context, text string) (jws.Verdict, error)
}

func init() {
	for k, v := range verifyTexts {
		texts[k] = v
	}
}

// verifyTexts are the labels of the "Verificar certificado" screen.
var verifyTexts = kit.Labels{
	"verify.entryTitle":  {"Verificar certificado", "Verify a certificate"},
	"verify.entryHint":   {"Comprobá sin conexión que un certificado impreso es auténtico: escaneá su código QR o escribí su código.", "Check offline that a printed certificate is genuine: scan its QR code or type its code."},
	"verify.open":        {"Verificar certificado…", "Verify a certificate…"},
	"verify.title":       {"Verificar certificado", "Verify a certificate"},
	"verify.input":       {"Código QR o código de verificación", "QR code or verification code"},
	"verify.placeholder": {"Escaneá el QR con el lector, o escribí el código (ABCD-EFGH-JK)", "Scan the QR with the reader, or type the code (ABCD-EFGH-JK)"},
	"verify.check":       {"Verificar", "Verify"},
	"verify.close":       {"Cerrar", "Close"},
	"verify.offline":     {"Se verifica con las claves del registro de la última sincronización.", "Checked with the registry's keys from the last sync."},
	"verify.empty":       {"Escaneá el código QR del certificado o escribí su código.", "Scan the certificate's QR code or type its code."},
	"verify.notAvail":    {"Este equipo no puede verificar certificados.", "This computer cannot verify certificates."},
	"verify.genuine":     {"✔ Certificado auténtico", "✔ Genuine certificate"},
	"verify.notReceived": {"✔ Firma auténtica: firmado por %s el %s", "✔ Genuine signature: signed by %s on %s"},
	"verify.revokedKey":  {"✖ Firmado con una clave revocada: no es válido", "✖ Signed with a revoked key: not valid"},
	"verify.forged":      {"✖ Certificado alterado o falso: no es válido", "✖ Altered or forged certificate: not valid"},
	"verify.facts":       {"Código %s · DNI %s · Actividad %s · %s · %d puntos", "Code %s · ID %s · Activity %s · %s · %d points"},
}

func verifyEntry(a *App) fyne.CanvasObject {
	open := widget.NewButtonWithIcon(a.tr("verify.open"), theme.SearchIcon(), func() { showVerify(a) })
	if _, ok := a.st.(Verifier); !ok {
		open.Disable()
	}
	return container.NewVBox(kit.Bold(a.tr("verify.entryTitle")), kit.Muted(a.tr("verify.entryHint")), container.NewHBox(open))
}

// verifyForm is the "Verificar certificado" screen: one input for a QR
// reader (which types the QR's text and Enter) or a typed code, and the
// verdict with the signed facts.
type verifyForm struct {
	a       *App
	input   *widget.Entry
	check   *widget.Button
	verdict *widget.Label
	detail  *widget.Label
	facts   *widget.Label
	content fyne.CanvasObject
}

func showVerify(a *App) *verifyForm {
	vr, ok := a.st.(Verifier)
	if !ok {
		a.showError(a.tr("verify.notAvail"))
		return nil
	}
	f := &verifyForm{a: a}
	f.input = kit.NewEntry(a.tr("verify.placeholder"))
	f.verdict, f.detail, f.facts = kit.Bold(""), widget.NewLabel(""), kit.Muted("")
	f.detail.Wrapping, f.facts.Wrapping = fyne.TextWrapWord, fyne.TextWrapWord
	f.check = widget.NewButtonWithIcon(a.tr("verify.check"), theme.ConfirmIcon(), func() { f.run(vr) })
	f.check.Importance = widget.HighImportance
	f.input.OnSubmitted = func(string) { f.run(vr) }
	f.content = container.NewVBox(kit.Bold(a.tr("verify.input")), container.NewBorder(nil, nil, nil, f.check, f.input),
		kit.Muted(a.tr("verify.offline")), widget.NewSeparator(), f.verdict, f.detail, f.facts)
	d := dialog.NewCustom(a.tr("verify.title"), a.tr("verify.close"), f.content, a.win)
	size := a.win.Canvas().Size()
	d.Resize(fyne.NewSize(min(680, size.Width-40), min(420, size.Height-40)))
	d.Show()
	a.win.Canvas().Focus(f.input)
	return f
}

// run verifies the input in the background and shows the verdict.
func (f *verifyForm) run(vr Verifier) {
	text := strings.TrimSpace(f.input.Text)
	if text == "" {
		f.show(jws.Verdict{}, nil, f.a.tr("verify.empty"))
		return
	}
	f.a.work.Write(func() {
		v, err := vr.Verify(f.a.ctx, text)
		f.a.do(func() {
			if err != nil {
				f.show(jws.Verdict{}, err, "")
				return
			}
			f.show(v, nil, "")
		})
	})
}

func (f *verifyForm) show(v jws.Verdict, err error, note string) {
	a := f.a
	f.verdict.SetText("")
	f.facts.SetText("")
	switch {
	case note != "":
		f.detail.SetText(note)
		return
	case err != nil:
		f.detail.SetText(a.message(err, "verify certificate"))
		return
	}
	switch v.State {
	case jws.Genuine:
		f.verdict.SetText(a.tr("verify.genuine"))
	case jws.NotReceived:
		f.verdict.SetText(a.tr("verify.notReceived", v.Office, wire.LocalDate(v.Claims.SignedAt()).Format("02/01/2006")))
	case jws.RevokedKey:
		f.verdict.SetText(a.tr("verify.revokedKey"))
	default:
		f.verdict.SetText(a.tr("verify.forged"))
	}
	if a.lang == "es" { // the verdict's sentence is in Spanish
		f.detail.SetText(v.Message)
	} else {
		f.detail.SetText("")
	}
	if c := v.Claims; c != nil && v.OK() {
		f.facts.SetText(a.tr("verify.facts", c.Code, domain.FormatDNI(c.DNI), c.Activity, strings.Join(c.Dates, " – "), c.Points))
	}
}
