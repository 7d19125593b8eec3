// Command puntos is the Puntos desktop app for regional training offices;
// with a command it runs headless (see "puntos help").
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"

	// First: a C.UTF-8 locale must read as Spanish before Fyne's init.
	_ "github.com/puntos-ar/puntos/cmd/internal/clocale"

	"github.com/puntos-ar/puntos/cmd/internal/cli"
	"github.com/puntos-ar/puntos/cmd/internal/version"
)

func main() {
	args := os.Args[1:]
	if isDesktop(args) {
		os.Exit(runDesktop(args))
	}
	attachConsole()
	if len(args) == 1 && (args[0] == "--version" || args[0] == "version") {
		fmt.Println("puntos", version.String())
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	lang := "es"
	if l := os.Getenv("PUNTOS_LANG"); l == "en" {
		lang = l
	}
	os.Exit(cli.Run(&cli.Env{Ctx: ctx, Stdout: os.Stdout, Stderr: os.Stderr, Lang: lang}, args))
}

// isDesktop reports whether args name no command (only --data DIR), which
// opens the window.
func isDesktop(args []string) bool {
	_, rest, err := cli.DataDir(args)
	return err == nil && len(rest) == 0
}
