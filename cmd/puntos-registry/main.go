// Command puntos-registry is the central points registry: its HTTP server
// and its staff commands (see "puntos-registry help").
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/puntos-ar/puntos/cmd/puntos-registry/internal/regcli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := regcli.Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
