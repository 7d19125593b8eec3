package storage_test

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/puntos-ar/puntos/storage"
)

func TestLockDir(t *testing.T) {
	t.Run("SecondLockRefused", func(t *testing.T) {
		dir := t.TempDir()
		l, err := storage.LockDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		defer l.Unlock()
		_, err = storage.LockDir(dir)
		if !errors.Is(err, storage.ErrLocked) {
			t.Fatalf("second LockDir: got %v, want ErrLocked", err)
		}
		var le *storage.LockedError
		if !errors.As(err, &le) || le.PID != os.Getpid() {
			t.Errorf("got %#v, want a *LockedError with PID %d", err, os.Getpid())
		}
		if !strings.Contains(err.Error(), "ya está abierto") {
			t.Errorf("message %q does not say Puntos is already open", err)
		}
	})
	t.Run("UnlockFrees", func(t *testing.T) {
		dir := t.TempDir()
		l, err := storage.LockDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		if err := l.Unlock(); err != nil {
			t.Fatal(err)
		}
		if err := l.Unlock(); err != nil {
			t.Errorf("second Unlock: got %v, want nil", err)
		}
		l2, err := storage.LockDir(dir)
		if err != nil {
			t.Fatalf("LockDir after Unlock: got %v, want nil", err)
		}
		l2.Unlock()
	})
	t.Run("OtherProcess", func(t *testing.T) {
		dir := t.TempDir()
		cmd := exec.Command(os.Args[0], "-test.run=^TestLockHelper$")
		cmd.Env = append(os.Environ(), "PUNTOS_LOCK_HELPER="+dir)
		stdin, err := cmd.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		line, err := bufio.NewReader(stdout).ReadString('\n')
		if err != nil || strings.TrimSpace(line) != "locked" {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("helper: got %q, %v; want \"locked\"", line, err)
		}
		_, err = storage.LockDir(dir)
		var le *storage.LockedError
		if !errors.As(err, &le) || le.PID != cmd.Process.Pid {
			t.Errorf("got %v, want a *LockedError with the helper's PID %d", err, cmd.Process.Pid)
		}
		// A process that dies without unlocking leaves no stale lock.
		cmd.Process.Kill()
		cmd.Wait()
		stdin.Close()
		l, err := storage.LockDir(dir)
		if err != nil {
			t.Fatalf("LockDir after the holder died: got %v, want nil", err)
		}
		l.Unlock()
	})
}

// TestLockHelper holds the lock for TestLockDir/OtherProcess until stdin
// closes or the process is killed.
func TestLockHelper(t *testing.T) {
	dir := os.Getenv("PUNTOS_LOCK_HELPER")
	if dir == "" {
		t.Skip("helper process only")
	}
	if _, err := storage.LockDir(dir); err != nil {
		t.Fatal(err)
	}
	os.Stdout.WriteString("locked\n")
	bufio.NewReader(os.Stdin).ReadString('\n')
}
