package regcli_test

import (
	"encoding/json"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/puntos-ar/puntos/cmd/puntos-registry/internal/regcli"
	"github.com/puntos-ar/puntos/sync/device"
	"github.com/puntos-ar/puntos/sync/server"
	"github.com/puntos-ar/puntos/sync/wire"
)

func init() { server.PasswordCost = bcrypt.MinCost }

// withStdin runs fn with regcli.Stdin reading s.
func withStdin(s string, fn func()) {
	old := regcli.Stdin
	regcli.Stdin = strings.NewReader(s)
	defer func() { regcli.Stdin = old }()
	fn()
}

func TestStaffCommands(t *testing.T) {
	data := []string{"--data", t.TempDir()}
	cmd := func(args ...string) []string { return append(append([]string{}, data...), args...) }
	t.Run("Add", func(t *testing.T) {
		withStdin("una clave larga\n", func() {
			out := mustRun(t, cmd("staff", "add", "Rita", "--role", "admin", "--name", "Rita Gómez", "--password-stdin")...)
			if !strings.Contains(out, "Cuenta rita creada (rol admin, todas las provincias)") {
				t.Errorf("got %q", out)
			}
		})
		withStdin("otra clave larga\n", func() {
			out := mustRun(t, cmd("staff", "add", "pablo", "--province", "cordoba", "--password-stdin")...)
			if !strings.Contains(out, "rol reviewer, Córdoba") {
				t.Errorf("got %q", out)
			}
		})
	})
	t.Run("ErrAdd", func(t *testing.T) {
		for name, tc := range map[string]struct {
			stdin string
			args  []string
			code  int
		}{
			"ShortPassword": {"corta\n", cmd("staff", "add", "otro", "--password-stdin"), 1},
			"Taken":         {"una clave larga\n", cmd("staff", "add", "rita", "--password-stdin"), 1},
			"BadRole":       {"una clave larga\n", cmd("staff", "add", "otro", "--role", "jefe", "--password-stdin"), 2},
			"BadName":       {"una clave larga\n", cmd("staff", "add", "con espacio", "--password-stdin"), 1},
			"NoTerminal":    {"", cmd("staff", "add", "otro"), 2},
			"NoUser":        {"", cmd("staff", "add"), 2},
		} {
			t.Run(name, func(t *testing.T) {
				withStdin(tc.stdin, func() {
					code, _, errs := run(t, tc.args...)
					if code != tc.code || !strings.HasPrefix(errs, "puntos-registry: ") {
						t.Errorf("exit %d %q, want %d and a message", code, errs, tc.code)
					}
				})
			})
		}
	})
	t.Run("List", func(t *testing.T) {
		out := mustRun(t, cmd("staff", "list")...)
		if !strings.Contains(out, "rita") || !strings.Contains(out, "Rita Gómez") || !strings.Contains(out, "Córdoba") {
			t.Errorf("list:\n%s", out)
		}
		var users []wire.StaffUser
		if err := json.Unmarshal([]byte(mustRun(t, cmd("staff", "list", "--json")...)), &users); err != nil || len(users) != 2 {
			t.Fatalf("json: %+v %v", users, err)
		}
		if strings.Contains(mustRun(t, cmd("staff", "list", "--json")...), "$2a$") {
			t.Error("the list shows a password hash")
		}
	})
	t.Run("DisableAndPassword", func(t *testing.T) {
		out := mustRun(t, cmd("staff", "disable", "pablo", "--reason", "cambió de área")...)
		if !strings.Contains(out, "deshabilitada") {
			t.Errorf("disable: %q", out)
		}
		if code, _, _ := run(t, cmd("staff", "disable", "nadie")...); code != 1 {
			t.Errorf("disable unknown: exit %d", code)
		}
		withStdin("una clave nueva y larga\n", func() {
			if out := mustRun(t, cmd("staff", "password", "rita", "--password-stdin")...); !strings.Contains(out, "cambiada") {
				t.Errorf("password: %q", out)
			}
		})
		if !strings.Contains(mustRun(t, cmd("staff", "list")...), "deshabilitada el") {
			t.Error("list does not show the disabled account")
		}
	})
}

func TestDemoStaffAccount(t *testing.T) {
	data := []string{"--data", t.TempDir()}
	cmd := func(args ...string) []string { return append(append([]string{}, data...), args...) }
	if code, _, errs := run(t, cmd("staff", "demo")...); code != 1 || !strings.Contains(errs, "puntos-registry demo") {
		t.Errorf("staff demo before demo: exit %d %q", code, errs)
	}
	out := mustRun(t, cmd("demo")...)
	if !strings.Contains(out, "usuario central, contraseña demo-central") || !strings.Contains(out, "SOLO PARA DEMOSTRACIÓN") {
		t.Fatalf("demo:\n%s", out)
	}
	if out := mustRun(t, cmd("demo")...); !strings.Contains(out, "ya existe") {
		t.Errorf("second demo:\n%s", out)
	}
	if out := mustRun(t, cmd("staff", "demo")...); !strings.Contains(out, "Lotes de ejemplo: 3") {
		t.Errorf("staff demo:\n%s", out)
	}
	if out := mustRun(t, cmd("staff", "demo")...); !strings.Contains(out, "ya estaban cargados") {
		t.Errorf("second staff demo:\n%s", out)
	}
	// From a fresh machine: the registry serves, the demo account logs in
	// and finds the batches to review.
	url, _ := serve(t, cmd("serve", "--addr", "127.0.0.1:0"))
	sc, err := device.NewStaffClient(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sc.Login(t.Context(), regcli.DemoStaffUser, regcli.DemoStaffPassword); err != nil {
		t.Fatal(err)
	}
	p, err := sc.Inbox(t.Context(), wire.InboxQuery{Open: true})
	if err != nil {
		t.Fatal(err)
	}
	open := 0
	for _, b := range p.Batches {
		open += b.OpenReview
	}
	if len(p.Batches) != 3 || open != 12 {
		t.Errorf("batches to review: %d with %d records, want 3 with 12", len(p.Batches), open)
	}
	rp, err := sc.Records(t.Context(), wire.RecordQuery{Result: wire.Rejected, Kind: wire.KindSession})
	if err != nil || len(rp.Records) != 1 || rp.Records[0].Code != wire.RejectActivityUnknown {
		t.Fatalf("rejected sessions: %+v %v", rp.Records, err)
	}
	// Fixing the mistyped activity code accepts the session's attendances.
	it, err := sc.Review(t.Context(), rp.Records[0].ReviewID)
	if err != nil {
		t.Fatal(err)
	}
	var s wire.SessionRecord
	json.Unmarshal(it.Incoming, &s)
	s.ActivityCode = "TA-LENG-01"
	b, _ := json.Marshal(s)
	it, err = sc.Resolve(t.Context(), it.ID, wire.ReviewDecision{Decision: wire.DecisionAccept, Reason: "código de actividad mal escrito", Record: b})
	if err != nil || it.Resolution.Cascaded != 8 || len(it.Resolution.Ledger) != 0 {
		t.Errorf("resolution %+v %v", it.Resolution, err)
	}
}
