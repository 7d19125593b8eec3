package reports

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/jung-kurt/gofpdf"

	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/sync/jws"
)

// Office is the issuing office as printed on certificates.
type Office struct {
	Name          string      // e.g. "Ministerio de Gobierno de la Provincia de Buenos Aires"
	Subtitle      string      // e.g. "Dirección Provincial de Capacitación"
	Signatories   []Signatory // one or two
	Logo          []byte      // PNG or JPEG, optional
	VerifyBaseURL string      // registry address; the QR encodes VerifyBaseURL + "/verify/" + code
	// Demo marks an office of a demo data folder: its certificates carry
	// "EJEMPLO — SIN VALIDEZ" across the page.
	Demo bool
}

// demoMark is printed across a demo folder's certificates.
const demoMark = "EJEMPLO — SIN VALIDEZ"

// Signatory is a person who signs certificates.
type Signatory struct {
	Name  string
	Role  string
	Image []byte // PNG or JPEG of the signature, optional
}

// Certificate holds the frozen text of an issued certificate: a reprint
// renders exactly these fields.
type Certificate struct {
	Code          string // verification code, printed as given (e.g. "7KQ2-M9XD-4FJ8")
	Kind          string // domain.KindAttendance or domain.KindApproval
	FullName      string // printed as given; when empty, GivenNames + " " + Surname
	Surname       string
	GivenNames    string
	DNI           string
	CUIL          string // optional
	ActivityTitle string
	ActivityType  string // e.g. "Taller"
	Hours         float64
	Points        int
	Dates         string // human text, e.g. "12 de marzo de 2026"
	Place         string // e.g. "Tandil, Buenos Aires"
	IssuedAt      time.Time
	JWS           string // the signed facts; when set, the QR holds VerifyBaseURL + "/v/" + JWS
}

// MaxSignatories is how many signature blocks fit on a certificate.
const MaxSignatories = 2

// Page geometry and colours of a certificate, in mm.
const (
	certW      = 297.0
	certH      = 210.0
	certCX     = certW / 2
	certMargin = 22.0
	qrSize     = 26.0
	// signedQRSize is the side of a signed certificate's QR (up to
	// version 14, 73 modules: 0.48 mm each, 2.8 pixels at 150 dpi).
	signedQRSize = 35.0
)

type rgb struct{ r, g, b int }

var (
	navy    = rgb{22, 45, 92}
	celeste = rgb{104, 160, 210}
	ink     = rgb{25, 25, 25}
	muted   = rgb{85, 85, 85}
)

func (d *textDoc) color(c rgb) { d.pdf.SetTextColor(c.r, c.g, c.b) }

// certDoc renders certificates, one page each, into a gofpdf document.
type certDoc struct {
	textDoc
	office Office
	logo   *picture
	sigs   []*picture
}

// officeImages are an office's images, decoded and checked once.
type officeImages struct {
	logo *picture
	sigs []*picture // one per signatory, nil when it has no image
}

// loadOffice checks o and decodes its images.
func loadOffice(o Office) (officeImages, error) {
	var imgs officeImages
	if len(o.Signatories) > MaxSignatories {
		return imgs, fmt.Errorf("office: %d signatories, at most %d fit", len(o.Signatories), MaxSignatories)
	}
	if len(o.Logo) > 0 {
		p, err := loadImage(o.Logo)
		if err != nil {
			return imgs, fmt.Errorf("logo: %w", err)
		}
		imgs.logo = &p
	}
	for i, s := range o.Signatories {
		var sig *picture
		if len(s.Image) > 0 {
			p, err := loadImage(s.Image)
			if err != nil {
				return imgs, fmt.Errorf("signature %d: %w", i+1, err)
			}
			sig = &p
		}
		imgs.sigs = append(imgs.sigs, sig)
	}
	return imgs, nil
}

// newCertDoc starts a certificate document for o. It registers the fonts and
// the office's images, and leaves the graphics state canonical (see reset).
func newCertDoc(o Office, imgs officeImages) (*certDoc, error) {
	pdf := gofpdf.New("L", "mm", "A4", "")
	pdf.SetCatalogSort(true)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetMargins(0, 0, 0)
	pdf.SetProducer("Puntos", false)
	addSerif(pdf)
	d := &certDoc{textDoc: textDoc{pdf: pdf}, office: o, logo: imgs.logo, sigs: imgs.sigs}
	if d.logo != nil {
		d.logo.register(pdf, "logo")
	}
	for i, p := range d.sigs {
		if p != nil {
			p.register(pdf, fmt.Sprintf("sig%d", i))
		}
	}
	d.reset()
	if err := pdf.Error(); err != nil {
		return nil, fmt.Errorf("start pdf: %w", err)
	}
	return d, nil
}

// reset puts the graphics state back to the one every page starts from.
// gofpdf replays the previous page's final state at the top of each new page,
// so ending every page in this state makes each page's content stream depend
// only on its own certificate, wherever it sits in a batch.
func (d *certDoc) reset() {
	d.font(serif, "", 11)
	d.pdf.SetDrawColor(0, 0, 0)
	d.pdf.SetFillColor(0, 0, 0)
	d.pdf.SetTextColor(0, 0, 0)
	d.pdf.SetLineWidth(0.2)
}

func validateCertificate(c Certificate) error {
	switch {
	case strings.TrimSpace(c.Code) == "":
		return errors.New("missing verification code")
	case c.Kind != domain.KindAttendance && c.Kind != domain.KindApproval:
		return fmt.Errorf("unknown kind %q", c.Kind)
	case strings.TrimSpace(c.FullName+c.Surname+c.GivenNames) == "":
		return errors.New("missing name")
	case c.IssuedAt.IsZero():
		return errors.New("missing issue date")
	}
	return nil
}

// displayName is the name printed on the certificate.
func (c Certificate) displayName() string {
	if n := clean(c.FullName); n != "" {
		return n
	}
	return clean(c.GivenNames + " " + c.Surname)
}

// page adds one certificate page.
func (d *certDoc) page(c Certificate) error {
	if err := validateCertificate(c); err != nil {
		return fmt.Errorf("certificate %s: %w", c.Code, err)
	}
	pdf := d.pdf
	pdf.AddPage()
	d.frame()
	if d.office.Demo {
		// Large and faint, behind the text: a demo's paper cannot pass
		// for a certificate.
		pdf.TransformBegin()
		pdf.TransformRotate(20, certCX, certH/2)
		d.font(serif, "B", 44)
		d.color(watermark)
		d.center(certCX, certH/2+8, demoMark)
		pdf.TransformEnd()
	}
	top := d.header()

	title := "CONSTANCIA DE ASISTENCIA"
	verb := "asistió a la actividad"
	issued := "Emitida el "
	if c.Kind == domain.KindApproval {
		title = "CERTIFICADO DE APROBACIÓN"
		verb = "aprobó la actividad"
		issued = "Emitido el "
	}
	d.color(navy)
	_, lines := d.fit(title, serif, "B", certW-2*certMargin, fitStage{1, 28, 18})
	y := top + 13
	d.center(certCX, y, lines[0])
	d.ornament(y + 5)

	// The body is laid out first, then centred between title and signatures.
	width := certW - 2*certMargin - 20
	var body []block
	add := func(gap float64, c rgb, family, style string, text string, stages ...fitStage) {
		if text == "" {
			return
		}
		size, lines := d.fit(text, family, style, width, stages...)
		body = append(body, block{gap: gap, color: c, family: family, style: style, size: size, lines: lines})
	}
	add(0, muted, serif, "I", "Se certifica que", fitStage{1, 15, 15})
	add(4, ink, serif, "B", c.displayName(), fitStage{1, 30, 20}, fitStage{2, 24, 15}, fitStage{3, 15, 10})
	add(2.5, muted, serif, "", idLine(c.DNI, c.CUIL), fitStage{1, 12.5, 9}, fitStage{2, 11, 8})
	add(5, muted, serif, "I", verb, fitStage{1, 14, 14})
	add(3, navy, serif, "B", clean(c.ActivityTitle), fitStage{2, 19, 14}, fitStage{3, 14, 10})
	add(4, ink, serif, "", detailsLine(c), fitStage{1, 13, 9}, fitStage{2, 11, 8})
	add(1.5, ink, serif, "", joinNonEmpty(" · ", clean(c.Place), clean(c.Dates)), fitStage{1, 13, 9}, fitStage{2, 11, 8})
	add(4, muted, serif, "I", issued+longDate(c.IssuedAt)+".", fitStage{1, 11, 11})

	// Spare room goes partly into the gaps (up to twice their size) and the
	// rest above and below, so short and long texts both look balanced.
	const bodyBottom = 152.0
	bodyTop := y + 10
	h, gaps := 0.0, 0.0
	for _, b := range body {
		h += b.height()
		gaps += b.gap
	}
	if free := bodyBottom - bodyTop - h; free > 0 && gaps > 0 {
		scale := min(2, 1+free*0.5/gaps)
		for i := range body {
			h += body[i].gap * (scale - 1)
			body[i].gap *= scale
		}
	}
	y = bodyTop + max(0, (bodyBottom-bodyTop-h)/2)
	for _, b := range body {
		y = d.block(b, y)
	}

	d.signatures()
	if err := d.verification(c.Code, c.JWS); err != nil {
		return fmt.Errorf("certificate %s: %w", c.Code, err)
	}
	d.reset()
	return pdf.Error()
}

// block is a paragraph of centred lines in one font.
type block struct {
	gap           float64 // space above, mm
	color         rgb
	family, style string
	size          float64
	lines         []string
}

const leading = 1.18

func (b block) height() float64 {
	// From the top of the first line (one ascent above its baseline) to the
	// last baseline, plus the gap above.
	return b.gap + lineHeight(b.size, leading)*float64(len(b.lines)) - lineHeight(b.size, leading-0.9)
}

// block draws b below y (the previous baseline) and returns its last baseline.
func (d *certDoc) block(b block, y float64) float64 {
	d.font(b.family, b.style, b.size)
	d.color(b.color)
	lh := lineHeight(b.size, leading)
	y += b.gap + lh - lineHeight(b.size, leading-0.9)
	for i, l := range b.lines {
		if i > 0 {
			y += lh
		}
		d.center(certCX, y, l)
	}
	return y
}

func (d *certDoc) frame() {
	pdf := d.pdf
	pdf.SetDrawColor(navy.r, navy.g, navy.b)
	pdf.SetLineWidth(1.2)
	pdf.Rect(8, 8, certW-16, certH-16, "D")
	pdf.SetDrawColor(celeste.r, celeste.g, celeste.b)
	pdf.SetLineWidth(0.35)
	pdf.Rect(11, 11, certW-22, certH-22, "D")
	// A small diamond on each inner corner.
	pdf.SetFillColor(navy.r, navy.g, navy.b)
	for _, c := range [][2]float64{{11, 11}, {certW - 11, 11}, {11, certH - 11}, {certW - 11, certH - 11}} {
		diamond(pdf, c[0], c[1], 2.2)
	}
}

func diamond(pdf *gofpdf.Fpdf, x, y, r float64) {
	pdf.Polygon([]gofpdf.PointType{{X: x, Y: y - r}, {X: x + r, Y: y}, {X: x, Y: y + r}, {X: x - r, Y: y}}, "F")
}

// ornament draws the rule under the title.
func (d *certDoc) ornament(y float64) {
	pdf := d.pdf
	pdf.SetDrawColor(celeste.r, celeste.g, celeste.b)
	pdf.SetLineWidth(0.4)
	pdf.Line(certCX-40, y, certCX-3.5, y)
	pdf.Line(certCX+3.5, y, certCX+40, y)
	pdf.SetFillColor(celeste.r, celeste.g, celeste.b)
	diamond(pdf, certCX, y, 1.6)
}

// header draws the logo and the office's name and returns the lowest point used.
func (d *certDoc) header() float64 {
	const top = 17.0
	bottom := top
	side := 0.0
	if d.logo != nil {
		const boxW, boxH = 34.0, 24.0
		w, h := d.logo.fitBox(boxW, boxH)
		d.pdf.ImageOptions("logo", certMargin, top, w, h, false, gofpdf.ImageOptions{ImageType: d.logo.typ}, 0, "")
		bottom = top + h
		side = boxW + 4
	}
	width := certW - 2*(certMargin+side)
	y := top + 5
	if name := clean(d.office.Name); name != "" {
		d.color(navy)
		size, lines := d.fit(strings.ToUpper(name), serif, "B", width, fitStage{1, 13, 10}, fitStage{2, 11, 8})
		for i, l := range lines {
			if i > 0 {
				y += lineHeight(size, leading)
			}
			d.center(certCX, y, l)
		}
		bottom = max(bottom, y+2)
		y += 5.5
	}
	if sub := clean(d.office.Subtitle); sub != "" {
		d.color(muted)
		size, lines := d.fit(sub, serif, "", width, fitStage{1, 11, 8.5}, fitStage{2, 10, 8})
		for i, l := range lines {
			if i > 0 {
				y += lineHeight(size, leading)
			}
			d.center(certCX, y, l)
		}
		bottom = max(bottom, y+2)
	}
	return bottom
}

// signatures draws one block per signatory: image, line, name and role.
func (d *certDoc) signatures() {
	n := len(d.office.Signatories)
	if n == 0 {
		return
	}
	centers := []float64{certCX}
	if n == 2 {
		centers = []float64{certCX - 55, certCX + 55}
	}
	const lineY, lineW, textW = 174.0, 64.0, 76.0
	pdf := d.pdf
	for i, s := range d.office.Signatories {
		cx := centers[i]
		if p := d.sigs[i]; p != nil {
			w, h := p.fitBox(58, 20)
			pdf.ImageOptions(fmt.Sprintf("sig%d", i), cx-w/2, lineY-1-h, w, h, false, gofpdf.ImageOptions{ImageType: p.typ}, 0, "")
		}
		pdf.SetDrawColor(ink.r, ink.g, ink.b)
		pdf.SetLineWidth(0.3)
		pdf.Line(cx-lineW/2, lineY, cx+lineW/2, lineY)
		y := lineY + 5
		if name := clean(s.Name); name != "" {
			d.color(ink)
			_, lines := d.fit(name, serif, "B", textW, fitStage{1, 11, 8})
			for _, l := range lines {
				d.center(cx, y, l)
				y += 4.2
			}
		}
		if role := clean(s.Role); role != "" {
			d.color(muted)
			size, lines := d.fit(role, serif, "", textW, fitStage{1, 9.5, 8}, fitStage{2, 9, 7})
			for _, l := range lines {
				d.center(cx, y, l)
				y += lineHeight(size, 1.15)
			}
		}
	}
}

// verification draws the QR code and the human-readable code under it.
// A signed certificate's QR holds its JWS and is drawn larger, its bottom
// where an unsigned one's is.
func (d *certDoc) verification(code, signed string) error {
	code = clean(code)
	size := qrSize
	base := strings.TrimRight(strings.TrimSpace(d.office.VerifyBaseURL), "/")
	text := VerifyURL(base, code)
	if signed != "" {
		size, text = signedQRSize, jws.URL(base, signed)
	}
	x := certW - certMargin - qrSize
	y := 157.0 - (size - qrSize)
	cx := x + qrSize - size/2
	if base != "" {
		d.pdf.SetFillColor(0, 0, 0)
		if err := drawQR(d.pdf, x+qrSize-size, y, size, text); err != nil {
			return err
		}
	}
	y += size - qrSize
	d.color(muted)
	d.font(serif, "", 7)
	d.center(cx, y+qrSize+3.2, "Código de verificación")
	d.color(navy)
	d.font(serif, "B", 10)
	d.center(cx, y+qrSize+7.4, code)
	if base != "" {
		d.color(muted)
		shown := "Verificá en " + strings.TrimPrefix(strings.TrimPrefix(base, "https://"), "http://") + "/verify"
		_, lines := d.fit(shown, serif, "", 60, fitStage{1, 7, 5.5}, fitStage{2, 6, 5})
		yy := y + qrSize + 11
		for _, l := range lines {
			d.right(certW-certMargin+2, yy, l)
			yy += 2.6
		}
	}
	return nil
}

// VerifyURL is the address a certificate's QR code encodes.
func VerifyURL(base, code string) string {
	return strings.TrimRight(strings.TrimSpace(base), "/") + "/verify/" + strings.TrimSpace(code)
}

func idLine(dni, cuil string) string {
	var parts []string
	if d := domain.FormatDNI(dni); d != "" {
		parts = append(parts, "DNI "+d)
	}
	if c := domain.FormatCUIL(cuil); c != "" {
		parts = append(parts, "CUIL "+c)
	}
	return strings.Join(parts, " — ")
}

func detailsLine(c Certificate) string {
	var parts []string
	if t := clean(c.ActivityType); t != "" {
		r := []rune(t)
		parts = append(parts, strings.ToUpper(string(r[0]))+string(r[1:]))
	}
	if c.Hours > 0 {
		parts = append(parts, hoursText(c.Hours))
	}
	if c.Points > 0 {
		parts = append(parts, pointsText(c.Points))
	}
	return strings.Join(parts, " · ")
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

// issuedDate is the date a batch document carries in its metadata: the
// latest issue date, so the same batch always gets the same date.
func issuedDate(certs []Certificate) time.Time {
	var t time.Time
	for _, c := range certs {
		if c.IssuedAt.After(t) {
			t = c.IssuedAt
		}
	}
	return t.In(argentina)
}

// CertificatesPDF writes one A4 landscape page per certificate, in the order
// given (callers sort by surname), as a single PDF ready to print. progress,
// when not nil, is called after each page.
func CertificatesPDF(w io.Writer, o Office, certs []Certificate, progress func(done, total int)) error {
	if len(certs) == 0 {
		return errors.New("certificates pdf: no certificates")
	}
	imgs, err := loadOffice(o)
	if err != nil {
		return fmt.Errorf("certificates pdf: %w", err)
	}
	d, err := newCertDoc(o, imgs)
	if err != nil {
		return fmt.Errorf("certificates pdf: %w", err)
	}
	for i, c := range certs {
		if err := d.page(c); err != nil {
			return fmt.Errorf("certificates pdf: %w", err)
		}
		if progress != nil {
			progress(i+1, len(certs))
		}
	}
	t := issuedDate(certs)
	d.pdf.SetCreationDate(t)
	d.pdf.SetModificationDate(t)
	d.pdf.SetTitle("Certificados", false)
	if err := d.pdf.Output(w); err != nil {
		return fmt.Errorf("certificates pdf: %w", err)
	}
	return nil
}
