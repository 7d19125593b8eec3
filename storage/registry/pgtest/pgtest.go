// Package pgtest gives tests a real, throwaway PostgreSQL: a cluster made
// with initdb and started with pg_ctl in a temporary folder, on a free
// port of 127.0.0.1, and a fresh database per registry. Tests run on
// PostgreSQL when PUNTOS_TEST_DB=postgres (make test does so for the
// packages that hold a registry); they then fail, never skip, when
// PostgreSQL cannot be started. PUNTOS_TEST_PG_URL may name a running
// server's admin URL instead. initdb refuses to run as root, so as root
// the cluster runs as the "postgres" user (runuser). StartAt keeps a
// cluster in a folder between runs instead (the national benchmarks'
// data). Only tests import it.
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	gosync "sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// Env variables: PUNTOS_TEST_DB picks the engine, PUNTOS_TEST_PG_URL a
// running server.
const (
	EnvEngine = "PUNTOS_TEST_DB"
	EnvURL    = "PUNTOS_TEST_PG_URL"
)

// Enabled reports whether tests run their registries on PostgreSQL.
func Enabled() bool { return os.Getenv(EnvEngine) == "postgres" }

// Main runs the tests of a package: when Enabled and no server is named,
// it starts a cluster for the run and stops it afterwards. Use it as
// func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }.
func Main(m *testing.M) int {
	if !Enabled() {
		return m.Run()
	}
	if admin := os.Getenv(EnvURL); admin != "" {
		defer dropAll(admin)
		return m.Run()
	}
	c, err := Start()
	if err != nil {
		fmt.Fprintln(os.Stderr, "pgtest:", err)
		return 1
	}
	defer c.Stop()
	os.Setenv(EnvURL, c.URL("postgres"))
	return m.Run()
}

// Cluster is a running PostgreSQL made by Start or StartAt.
type Cluster struct {
	dir, bin string
	port     int
	asUser   string // "postgres" when run as root, else ""
	keep     bool   // StartAt's: Stop leaves the folder
}

// Start makes and starts a cluster in a new temporary folder. It first
// stops and removes the clusters of earlier test processes that died
// without stopping theirs (a test binary killed on a timeout runs no
// deferred Stop).
func Start() (*Cluster, error) {
	reapOrphans()
	dir, err := os.MkdirTemp("", tempPrefix)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, ownerFile), []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		return nil, err
	}
	return start(dir, false)
}

// tempPrefix names Start's folders; ownerFile, inside one, holds the ID of
// the process that started it.
const (
	tempPrefix = "puntos-pg-"
	ownerFile  = "owner.pid"
)

// reapOrphans stops and removes Start's clusters whose owner process is
// gone. Errors are ignored: it only tidies up.
func reapOrphans() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), tempPrefix+"*"))
	for _, dir := range dirs {
		b, err := os.ReadFile(filepath.Join(dir, ownerFile))
		if err != nil {
			continue
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil || processAlive(pid) {
			continue
		}
		if c, err := newCluster(dir, false); err == nil {
			c.Stop()
		}
	}
}

// processAlive reports whether a process with ID pid exists.
func processAlive(pid int) bool {
	p, err := os.FindProcess(pid)
	return err == nil && p.Signal(syscall.Signal(0)) == nil
}

// StartAt starts the cluster kept in folder dir, making it first when dir
// holds none, with the settings given (name=value, on top of Start's):
// benchmarks keep their data there between runs. Stop leaves dir. As
// root, the "postgres" user must be able to reach dir.
func StartAt(dir string, settings ...string) (*Cluster, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return start(dir, true, settings...)
}

// newCluster returns the cluster of folder dir, not started: its programs
// run as the "postgres" user when this process is root (initdb refuses
// root).
func newCluster(dir string, keep bool) (*Cluster, error) {
	bin, err := binDir()
	if err != nil {
		return nil, err
	}
	c := &Cluster{dir: dir, bin: bin, keep: keep}
	if os.Geteuid() == 0 {
		c.asUser = "postgres"
	}
	return c, nil
}

func start(dir string, keep bool, settings ...string) (*Cluster, error) {
	c, err := newCluster(dir, keep)
	if err != nil {
		return nil, err
	}
	if c.asUser != "" {
		u, err := user.Lookup(c.asUser)
		if err != nil {
			return nil, errors.New("running as root needs the postgres user (apt install postgresql) to run initdb")
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			return nil, err
		}
	}
	if c.port, err = freePort(); err != nil {
		return nil, err
	}
	data := filepath.Join(dir, "data")
	if _, err := os.Stat(filepath.Join(data, "PG_VERSION")); err != nil {
		if out, err := c.run("initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"); err != nil {
			return nil, fmt.Errorf("initdb: %w\n%s", err, out)
		}
	}
	opts := fmt.Sprintf("-p %d -c listen_addresses=127.0.0.1 -k %s -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400", c.port, dir)
	for _, set := range settings {
		opts += " -c " + set
	}
	if out, err := c.run("pg_ctl", "-D", data, "-l", filepath.Join(dir, "log"), "-o", opts, "-w", "-t", "600", "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		return nil, fmt.Errorf("pg_ctl start: %w\n%s\n%s", err, out, log)
	}
	return c, nil
}

// URL returns the URL of database db in the cluster.
func (c *Cluster) URL(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.port, db)
}

// Stop stops the cluster and removes its folder, unless StartAt made it:
// that one is shut down cleanly and kept.
func (c *Cluster) Stop() error {
	if c.keep {
		_, err := c.run("pg_ctl", "-D", filepath.Join(c.dir, "data"), "-m", "fast", "-w", "-t", "600", "stop")
		return err
	}
	_, err := c.run("pg_ctl", "-D", filepath.Join(c.dir, "data"), "-m", "immediate", "-w", "stop")
	os.RemoveAll(c.dir)
	return err
}

func (c *Cluster) run(name string, args ...string) ([]byte, error) {
	path := filepath.Join(c.bin, name)
	var cmd *exec.Cmd
	if c.asUser != "" {
		cmd = exec.Command("runuser", append([]string{"-u", c.asUser, "--", path}, args...)...)
	} else {
		cmd = exec.Command(path, args...)
	}
	cmd.Dir = c.dir
	return cmd.CombinedOutput()
}

// binDir finds PostgreSQL's server programs: on PATH, or Debian's
// /usr/lib/postgresql/N/bin.
func binDir() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(dirs) == 0 {
		return "", errors.New("PostgreSQL's initdb was not found: install it (apt install postgresql) or set PUNTOS_TEST_PG_URL")
	}
	return filepath.Dir(dirs[len(dirs)-1]), nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

var (
	mu      gosync.Mutex
	dbs     = map[string]string{} // data folder → database URL
	created []string              // names of the databases made, to drop
)

// DB returns the URL of the database of the registry whose data folder is
// dir, creating an empty database the first time, so that opening dir
// again (in a subtest too) reopens the same database. Main drops them
// after the run. It fails the test when PostgreSQL is not running.
func DB(tb testing.TB, dir string) string {
	tb.Helper()
	mu.Lock()
	defer mu.Unlock()
	if u, ok := dbs[dir]; ok {
		return u
	}
	admin := os.Getenv(EnvURL)
	if admin == "" {
		tb.Fatalf("%s=postgres but no PostgreSQL: call pgtest.Main from the package's TestMain or set %s", EnvEngine, EnvURL)
	}
	name := "t_" + randomHex()
	db, err := sql.Open("pgx", admin)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE DATABASE " + name); err != nil {
		tb.Fatalf("create test database: %v", err)
	}
	u := withDB(admin, name)
	dbs[dir] = u
	created = append(created, name)
	return u
}

// dropAll drops the databases DB made.
func dropAll(admin string) {
	mu.Lock()
	defer mu.Unlock()
	for _, name := range created {
		Drop(admin, name)
	}
	created = nil
}

// Drop drops database name of the server at admin, closing its
// connections; errors are ignored (the cluster is thrown away anyway).
func Drop(admin, name string) {
	db, err := sql.Open("pgx", admin)
	if err != nil {
		return
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
}

// withDB returns the URL admin with its database replaced by name.
func withDB(admin, name string) string {
	base, query, _ := strings.Cut(admin, "?")
	i := strings.LastIndex(base, "/")
	u := base[:i+1] + name
	if query != "" {
		u += "?" + query
	}
	return u
}

func randomHex() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}
