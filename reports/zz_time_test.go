package reports_test

import (
	"os/exec"
	"testing"
	"time"
)

func TestZZTime(t *testing.T) {
	for _, args := range [][]string{{"pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-singlefile", "-png", "/tmp/look_cert.pdf", "/tmp/zz"}, {"zbarimg", "-q", "--raw", "/tmp/zz.png"}} {
		s := time.Now()
		out, err := exec.Command(args[0], args[1:]...).CombinedOutput()
		t.Log(args[0], time.Since(s), err, string(out))
	}
}
