package central

import (
	"context"
	"image"
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"rsc.io/qr"

	"github.com/puntos-ar/puntos/sync/wire"
	"github.com/puntos-ar/puntos/ui/kit"
)

// devicesTab is the devices tab: the enrolled devices with their
// office and last sync, revoking one, and new enrollment codes shown as
// text and as a QR code.
type devicesTab struct {
	c *Workspace

	list       *fyne.Container
	devices    []wire.EnrolledDevice
	refreshBtn *widget.Button
	revoke     *reasonBox

	office     *widget.Entry
	province   *widget.Select
	formErr    *widget.Label // what the form lacks, under it
	createBtn  *widget.Button
	codeText   *widget.Label
	code       *widget.Label
	qrImage    *canvas.Image
	adminNote  *widget.Label
	enrollment wire.EnrollmentCreated
	// The two sides, laid out again when what they hold changes.
	left, right *container.Scroll

	content fyne.CanvasObject
}

func newDevicesTab(c *Workspace) *devicesTab {
	v := &devicesTab{c: c}
	v.list = container.NewVBox()
	v.refreshBtn = widget.NewButtonWithIcon(c.tr("central.refresh"), theme.ViewRefreshIcon(), v.refresh)
	v.revoke = newReasonBox(c, c.tr("devices.revokeConfirm"), func() { v.left.Refresh() })
	v.office = kit.NewEntry(c.tr("devices.office"))
	v.formErr = errorLabel()
	v.office.OnChanged = func(string) { setError(v.formErr, "") }
	v.province = provinceSelect("")
	v.province.PlaceHolder = c.tr("devices.province")
	c.fixProvince(v.province)
	v.createBtn = widget.NewButtonWithIcon(c.tr("devices.create"), theme.ContentAddIcon(), v.create)
	v.createBtn.Importance = widget.HighImportance
	v.codeText = widget.NewLabel("")
	v.codeText.Wrapping = fyne.TextWrapWord
	v.code = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Monospace: true})
	v.code.SizeName = theme.SizeNameHeadingText
	v.qrImage = canvas.NewImageFromImage(nil)
	v.qrImage.FillMode = canvas.ImageFillContain
	v.qrImage.ScaleMode = canvas.ImageScalePixels
	v.qrImage.SetMinSize(fyne.NewSize(180, 180))
	v.qrImage.Hide()
	v.adminNote = kit.Muted(c.tr("devices.adminOnly"))
	v.province.OnChanged = func(string) { setError(v.formErr, "") }
	form := container.NewVBox(kit.Bold(c.tr("devices.newCode")), v.office, v.province, v.formErr, v.createBtn, v.codeText, v.code, container.NewCenter(v.qrImage))
	if c.can(wire.RoleAdmin) {
		v.adminNote.Hide()
	} else {
		form.Hide()
	}
	v.left = container.NewVScroll(container.NewVBox(v.list, v.revoke.box))
	v.right = container.NewVScroll(container.NewVBox(v.adminNote, form))
	left := container.NewBorder(container.NewBorder(nil, nil, kit.Bold(c.tr("devices.title")), v.refreshBtn), nil, nil, nil, v.left)
	split := container.NewHSplit(container.New(&kit.PaddedBy{H: 8, V: 8}, left), container.New(&kit.PaddedBy{H: 8, V: 8}, v.right))
	split.Offset = 0.62
	v.content = split
	return v
}

// refresh reloads the devices.
func (v *devicesTab) refresh() {
	c := v.c
	c.call(func(ctx context.Context, api API) (func(), error) {
		devs, err := api.Devices(ctx)
		return func() { v.show(devs) }, err
	})
}

func (v *devicesTab) show(devs []wire.EnrolledDevice) {
	c := v.c
	v.devices = devs
	v.list.Objects = nil
	if len(devs) == 0 {
		v.list.Add(kit.Muted(c.tr("devices.none")))
	}
	for _, d := range devs {
		state := c.tr("devices.active")
		if d.Revoked() {
			state = c.tr("devices.revoked", c.when(d.RevokedAt), d.RevokeReason)
		}
		title := widget.NewLabelWithStyle(c.tr("devices.line", d.Name, d.Office, d.Province), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		row := container.NewVBox(title, kit.Muted(c.tr("devices.detail", c.when(d.EnrolledAt), c.when(d.LastBatchAt), state)))
		if !d.Revoked() && c.can(wire.RoleAdmin) {
			b := widget.NewButton(c.tr("devices.revoke"), func() { v.askRevoke(d) })
			b.Importance = widget.LowImportance
			v.list.Add(container.NewBorder(nil, nil, nil, b, row))
		} else {
			v.list.Add(row)
		}
	}
	v.list.Refresh()
	v.left.Refresh()
}

// askRevoke asks for the reason to revoke a device.
func (v *devicesTab) askRevoke(d wire.EnrolledDevice) {
	c := v.c
	v.revoke.ask(c.tr("devices.revokeAsk", d.Name, d.Office), func(reason string) {
		c.call(func(ctx context.Context, api API) (func(), error) {
			if _, err := api.RevokeDevice(ctx, d.ID, reason); err != nil {
				return nil, err
			}
			devs, err := api.Devices(ctx)
			return func() {
				v.revoke.hide()
				v.show(devs)
				c.setStatus(c.tr("devices.revokedOK"), false)
			}, err
		})
	})
}

// create makes a one-time enrollment code and shows it with its QR.
func (v *devicesTab) create() {
	c := v.c
	office, province := strings.TrimSpace(v.office.Text), v.province.Selected
	if office == "" || province == "" {
		setError(v.formErr, c.tr("devices.missing"))
		v.right.Refresh()
		return
	}
	c.call(func(ctx context.Context, api API) (func(), error) {
		e, err := api.CreateEnrollment(ctx, office, province)
		return func() { v.showCode(e) }, err
	})
}

func (v *devicesTab) showCode(e wire.EnrollmentCreated) {
	c := v.c
	v.enrollment = e
	v.codeText.SetText(c.tr("devices.code", e.Office, e.Province, c.when(e.ExpiresAt)))
	v.code.SetText(e.Code)
	// The QR holds the code alone, as a scanner types it into the
	// enrollment field.
	if q, err := qr.Encode(e.Code, qr.M); err == nil {
		v.qrImage.Image = qrPixels(q)
		v.qrImage.Show()
		v.qrImage.Refresh()
	}
	c.setStatus("", false)
	v.right.Content.Refresh()
	v.right.Refresh()
}

// qrPixels draws a QR code as a plain gray image, one pixel per module
// and a four-module quiet zone, which every painter scales cleanly.
func qrPixels(q *qr.Code) image.Image {
	const quiet = 4
	n := q.Size + 2*quiet
	img := image.NewGray(image.Rect(0, 0, n, n))
	for y := range n {
		for x := range n {
			c := color.Gray{Y: 0xff}
			if q.Black(x-quiet, y-quiet) {
				c = color.Gray{}
			}
			img.SetGray(x, y, c)
		}
	}
	return img
}
