// Package central is the central staff's workspace: a window that logs
// in to the registry over its staff API and shows the inbox of batches,
// the review of rejected and conflicting records, people's ledgers,
// statements and certificates, the compliance report with its exports,
// and the enrolled devices. The desktop app (package ui) opens it from
// its settings; it is drawn with the shared shell in ui/kit.
package central

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/sync/device"
	"github.com/puntos-ar/puntos/sync/wire"
	"github.com/puntos-ar/puntos/ui/kit"
)

// API is the registry's staff API as the Central workspace uses
// it; *device.StaffClient satisfies it. Errors are for a person (Spanish);
// one that errors.Is device.ErrStaffAuth means the session is gone.
type API interface {
	// URL returns the registry's base URL.
	URL() string
	// Login opens a staff session kept for the calls that follow.
	Login(ctx context.Context, username, password string) (wire.StaffSession, error)
	// Logout ends the session.
	Logout(ctx context.Context) error
	// Inbox returns a page of received batches, newest first.
	Inbox(ctx context.Context, q wire.InboxQuery) (wire.InboxPage, error)
	// Batch returns a batch with its records.
	Batch(ctx context.Context, id string) (wire.BatchDetail, error)
	// Records returns a page of records of every batch.
	Records(ctx context.Context, q wire.RecordQuery) (wire.RecordPage, error)
	// Review returns a conflicting or rejected record with both versions.
	Review(ctx context.Context, id int64) (wire.ReviewItem, error)
	// Resolve accepts or rejects a review item.
	Resolve(ctx context.Context, id int64, d wire.ReviewDecision) (wire.ReviewItem, error)
	// FindPeople finds people by DNI, CUIL or name.
	FindPeople(ctx context.Context, q string) ([]wire.StaffPerson, error)
	// Ledger returns a person's ledger and certificates.
	Ledger(ctx context.Context, dni string) (wire.PersonLedger, error)
	// Reverse appends the reversal of a credit.
	Reverse(ctx context.Context, entryID int64, reason string) (wire.LedgerLine, error)
	// Certificate returns what the public verification says of a code.
	Certificate(ctx context.Context, code string) (wire.CertificateCheck, error)
	// RevokeCertificate revokes a certificate for reason.
	RevokeCertificate(ctx context.Context, code, reason string) (wire.CertificateCheck, error)
	// Compliance returns a year's report totals.
	Compliance(ctx context.Context, year int, province string) (wire.Compliance, error)
	// Impact returns a year's impact view.
	Impact(ctx context.Context, year int, province string) (wire.Impact, error)
	// AllCompliancePeople calls fn with every person under the required
	// points and returns how many there were.
	AllCompliancePeople(ctx context.Context, q wire.CompliancePeopleQuery, fn func(wire.CompliancePerson) error) (int, error)
	// Devices returns the enrolled devices.
	Devices(ctx context.Context) ([]wire.EnrolledDevice, error)
	// CreateEnrollment makes a one-time enrollment code.
	CreateEnrollment(ctx context.Context, office, province string) (wire.EnrollmentCreated, error)
	// RevokeDevice revokes a device for reason.
	RevokeDevice(ctx context.Context, id, reason string) (wire.EnrolledDevice, error)
}

var _ API = (*device.StaffClient)(nil)

// Options tune the Central workspace.
type Options struct {
	// URL is the registry's address, shown on the login form.
	URL string
	// Lang is the labels' language, "es" (the default) or "en".
	Lang string
	// Connect makes the API client of a registry URL; nil uses
	// device.NewStaffClient.
	Connect func(url string) (API, error)
	// Save asks where to save a file named name and calls done with it
	// (nil, nil when the person cancels); nil uses Fyne's save dialog.
	Save func(name string, done func(io.WriteCloser, error))
	// OnLogin is called with the registry URL after a login works, so the
	// app can remember it.
	OnLogin func(url string)
	// Now returns the current time (the report's default year, the
	// statements' date); nil uses time.Now.
	Now func() time.Time
}

// Workspace is the central staff's workspace: log in to the registry, then
// the inbox of batches, the review of rejected and conflicting records,
// people's ledgers and certificates, the compliance report and the
// devices. It runs in its own window; the registry does the work, over
// the staff API.
type Workspace struct {
	win  fyne.Window
	opt  Options
	lang string
	ctx  context.Context
	work *kit.Work

	api  API
	user wire.StaffUser
	root *fyne.Container

	// Login form.
	url, username, password *widget.Entry
	loginButton             *widget.Button
	loginError              *widget.Label

	// Workspace.
	who          *widget.Label
	logoutButton *widget.Button
	tabs         *container.AppTabs
	status       *widget.Label

	inbox      *inboxTab
	review     *reviewTab
	people     *peopleTab
	compliance *complianceTab
	impact     *impactTab
	devices    *devicesTab
}

// New builds the Central workspace in w, on its login form.
func New(w fyne.Window, opt Options) *Workspace { return newWorkspace(w, opt, kit.NewWork()) }

func newWorkspace(w fyne.Window, opt Options, work *kit.Work) *Workspace {
	c := &Workspace{win: w, opt: opt, lang: kit.Lang(opt.Lang), ctx: context.Background(), work: work}
	if c.opt.Now == nil {
		c.opt.Now = time.Now
	}
	if c.opt.Connect == nil {
		c.opt.Connect = func(u string) (API, error) { return device.NewStaffClient(u, nil) }
	}
	if c.opt.Save == nil {
		c.opt.Save = c.saveDialog
	}
	w.SetTitle(c.tr("central.title"))
	c.root = container.NewStack()
	w.SetContent(c.root)
	c.buildLogin()
	c.showLogin("")
	return c
}

// Wait blocks until background work has finished and its results are on
// screen; tests call it before looking at the result of an action.
func (c *Workspace) Wait() { c.work.Wait() }

// Close ends the session on the registry (waiting at most a few seconds)
// and stops; the window calls it when it closes.
func (c *Workspace) Close() {
	if api := c.api; api != nil {
		c.api = nil
		c.work.Write(func() {
			ctx, cancel := context.WithTimeout(c.ctx, 3*time.Second)
			defer cancel()
			if err := api.Logout(ctx); err != nil {
				slog.Warn("central logout on close", "error_type", fmt.Sprintf("%T", err))
			}
		})
	}
	c.Stop()
}

// Stop waits for background work and drops its screen updates.
func (c *Workspace) Stop() { c.work.Stop() }

// do applies the results of background work on the main goroutine.
func (c *Workspace) do(fn func()) { c.work.Do(fn) }

// call runs fn in the background with the session's API, in order with
// the other calls, then applies what it returns on the main goroutine. An
// error goes to the status line, or back to the login form when the
// session is gone. Nothing runs after a logout.
func (c *Workspace) call(fn func(ctx context.Context, api API) (func(), error)) {
	api := c.api
	if api == nil {
		return
	}
	c.work.Write(func() {
		apply, err := fn(c.ctx, api)
		c.do(func() {
			if c.api != api {
				return // logged out (or in again) meanwhile
			}
			if err != nil {
				c.fail(err)
				return
			}
			if apply != nil {
				apply()
			}
		})
	})
}

// fail shows err to the person.
func (c *Workspace) fail(err error) {
	if errors.Is(err, device.ErrStaffAuth) {
		c.api = nil
		c.showLogin(err.Error())
		return
	}
	var se *device.StaffError
	if !errors.As(err, &se) {
		// Not the registry's answer (a file that could not be written…):
		// its text may name a file after a person, so only its type is
		// logged.
		slog.Error("central", "error_type", fmt.Sprintf("%T", err))
	}
	c.setStatus(err.Error(), true)
}

// setStatus shows a line at the bottom of the workspace.
func (c *Workspace) setStatus(msg string, isErr bool) {
	if c.status == nil {
		return
	}
	c.status.Importance = widget.MediumImportance
	if isErr {
		c.status.Importance = widget.DangerImportance
	}
	c.status.SetText(msg)
}

// saveDialog asks where to save with Fyne's dialog.
func (c *Workspace) saveDialog(name string, done func(io.WriteCloser, error)) {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if w == nil {
			done(nil, err)
			return
		}
		done(w, err)
	}, c.win)
	d.SetFileName(name)
	d.Show()
	kit.NamePlaces(c.win, c.lang)
}

func (c *Workspace) buildLogin() {
	c.url = widget.NewEntry()
	c.url.SetText(c.opt.URL)
	c.url.SetPlaceHolder("https://registro.example.gob.ar")
	c.username = kit.NewEntry(c.tr("login.userHint"))
	c.password = widget.NewPasswordEntry()
	c.password.OnSubmitted = func(string) { c.login() }
	c.loginButton = widget.NewButtonWithIcon(c.tr("login.submit"), theme.LoginIcon(), c.login)
	c.loginButton.Importance = widget.HighImportance
	c.loginError = widget.NewLabel("")
	c.loginError.Importance = widget.DangerImportance
	c.loginError.Wrapping = fyne.TextWrapWord
}

// showLogin shows the login form with a message (why, when a session
// ended).
func (c *Workspace) showLogin(msg string) {
	c.password.SetText("")
	c.loginError.SetText(msg)
	page := container.NewVBox(
		kit.Heading(c.tr("login.title")),
		kit.Muted(c.tr("login.intro")),
		widget.NewSeparator(),
		kit.Bold(c.tr("login.url")), c.url,
		kit.Bold(c.tr("login.user")), c.username,
		kit.Bold(c.tr("login.password")), c.password,
		c.loginError,
		container.NewHBox(layout.NewSpacer(), c.loginButton),
	)
	c.root.Objects = []fyne.CanvasObject{container.NewVScroll(container.New(&kit.PaddedBy{H: 24, V: 24}, kit.Centered(460, page)))}
	c.root.Refresh()
	c.win.Canvas().Focus(c.username)
}

// login connects to the registry and opens a session.
func (c *Workspace) login() {
	url, user, pw := strings.TrimSpace(c.url.Text), strings.TrimSpace(c.username.Text), c.password.Text
	if user == "" || pw == "" {
		c.loginError.SetText(c.tr("login.missing"))
		return
	}
	c.loginButton.Disable()
	c.loginError.SetText(c.tr("login.connecting"))
	c.work.Write(func() {
		api, err := c.opt.Connect(url)
		var s wire.StaffSession
		if err == nil {
			s, err = api.Login(c.ctx, user, pw)
		}
		c.do(func() {
			c.loginButton.Enable()
			if err != nil {
				c.loginError.SetText(err.Error())
				return
			}
			c.api, c.user = api, s.User
			if c.opt.OnLogin != nil {
				c.opt.OnLogin(api.URL())
			}
			c.showWorkspace()
		})
	})
}

// logout ends the session and shows the login form.
func (c *Workspace) logout() {
	api := c.api
	c.api = nil
	c.work.Write(func() {
		if api != nil {
			if err := api.Logout(c.ctx); err != nil {
				slog.Warn("central logout", "error_type", fmt.Sprintf("%T", err))
			}
		}
	})
	c.showLogin(c.tr("login.loggedOut"))
}

// showWorkspace builds the tabs for the logged-in account.
func (c *Workspace) showWorkspace() {
	c.who = widget.NewLabel(c.tr("central.who", c.user.Username, c.tr("role."+c.user.Role), c.scopeText()))
	c.logoutButton = widget.NewButtonWithIcon(c.tr("central.logout"), theme.LogoutIcon(), c.logout)
	c.logoutButton.Importance = widget.LowImportance
	c.status = widget.NewLabel("")
	c.status.Wrapping = fyne.TextWrapWord

	c.inbox = newInboxTab(c)
	c.review = newReviewTab(c)
	c.people = newPeopleTab(c)
	c.compliance = newComplianceTab(c)
	c.impact = newImpactTab(c)
	c.devices = newDevicesTab(c)
	c.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon(c.tr("tab.inbox"), theme.MailComposeIcon(), c.inbox.content),
		container.NewTabItemWithIcon(c.tr("tab.review"), theme.DocumentIcon(), c.review.content),
		container.NewTabItemWithIcon(c.tr("tab.people"), theme.AccountIcon(), c.people.content),
		container.NewTabItemWithIcon(c.tr("tab.compliance"), theme.DocumentPrintIcon(), c.compliance.content),
		container.NewTabItemWithIcon(c.tr("tab.devices"), theme.ComputerIcon(), c.devices.content),
		container.NewTabItemWithIcon(c.tr("tab.impact"), theme.GridIcon(), c.impact.content),
	)
	c.tabs.OnSelected = func(t *container.TabItem) {
		c.setStatus("", false) // a message was about the tab left
		switch t.Content {
		case c.devices.content:
			c.devices.refresh()
		}
	}
	header := kit.Bar(kit.ColorBar, container.New(&kit.PaddedBy{H: 12, V: 4},
		container.NewBorder(nil, nil, kit.Heading(c.tr("central.title")), container.NewHBox(c.who, c.logoutButton))))
	c.root.Objects = []fyne.CanvasObject{container.NewBorder(header,
		kit.Bar(kit.ColorBar, container.New(&kit.PaddedBy{H: 12, V: 2}, c.status)), nil, nil, c.tabs)}
	c.root.Refresh()
	c.inbox.refresh()
}

// scopeText says which provinces the account sees.
func (c *Workspace) scopeText() string {
	if c.user.Province == "" {
		return c.tr("central.allProvinces")
	}
	return c.user.Province
}

// can reports whether the account's role allows an action.
func (c *Workspace) can(role string) bool { return c.user.Can(role) }

// openReview shows a review item in the review tab.
func (c *Workspace) openReview(id int64) {
	c.tabs.Select(c.tabs.Items[1])
	c.review.open(id)
}

// when formats a time for a person, in Argentina.
func (c *Workspace) when(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(domain.Argentina).Format("02/01/2006 15:04")
}

// dayText writes a YYYY-MM-DD date as DD/MM/YYYY.
func dayText(d string) string {
	t, err := time.Parse("2006-01-02", d)
	if err != nil {
		return d
	}
	return t.Format("02/01/2006")
}

// fmtPoints writes signed points: "+6", "-6".
func fmtPoints(p int) string { return fmt.Sprintf("%+d", p) }
