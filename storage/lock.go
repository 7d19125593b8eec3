package storage

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// LockFileName is the lock file inside the data directory.
const LockFileName = "puntos.lock"

// ErrLocked means another running Puntos holds the data directory.
var ErrLocked = errors.New("data directory in use")

// LockedError says another process holds the data directory; errors.Is
// finds ErrLocked. PID is that process's ID when it could be read, else 0.
type LockedError struct {
	Dir string
	PID int
}

// Error returns a Spanish message telling the person what to do.
func (e *LockedError) Error() string {
	pid := ""
	if e.PID > 0 {
		pid = fmt.Sprintf(" (proceso %d)", e.PID)
	}
	return fmt.Sprintf("Puntos ya está abierto con la carpeta de datos %s%s. "+
		"Usá esa ventana, o cerrala antes de abrir Puntos otra vez.", e.Dir, pid)
}

// Is makes errors.Is(err, ErrLocked) true.
func (e *LockedError) Is(target error) bool { return target == ErrLocked }

// DirLock is an exclusive operating-system lock on a data directory. The
// OS drops it when the process ends, however it ends, so a crash never
// leaves a stale lock behind.
type DirLock struct {
	f *os.File
}

// LockDir takes the exclusive lock on dir (creating the directory if
// needed), so that a second instance of the app cannot open the same data.
// It returns a *LockedError when another process holds the lock. The lock
// file records the holder's PID for that message.
func LockDir(dir string) (*DirLock, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create data dir: %w", err)
	}
	path := filepath.Join(dir, LockFileName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock file: %w", err)
	}
	held, err := lockFile(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("lock data dir: %w", err)
	}
	if held {
		pid := readPID(f)
		f.Close()
		return nil, &LockedError{Dir: dir, PID: pid}
	}
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return &DirLock{f: f}, nil
}

// Unlock releases the lock. It is safe to call more than once.
func (l *DirLock) Unlock() error {
	if l == nil || l.f == nil {
		return nil
	}
	f := l.f
	l.f = nil
	f.Truncate(0)
	unlockFile(f)
	return f.Close()
}

func readPID(f *os.File) int {
	buf := make([]byte, 32)
	n, _ := f.ReadAt(buf, 0)
	pid, err := strconv.Atoi(strings.TrimSpace(string(buf[:n])))
	if err != nil {
		return 0
	}
	return pid
}
