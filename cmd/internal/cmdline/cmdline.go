// Package cmdline holds what the puntos and puntos-registry command lines share.
package cmdline

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/puntos-ar/puntos/storage/domain"
)

// UsageError is a mistake in the command line itself (exit code 2).
type UsageError struct{ Msg string }

// Error returns the message as written, for a person.
func (e UsageError) Error() string { return e.Msg }

// Usagef returns a UsageError with a formatted message.
func Usagef(format string, args ...any) error {
	return UsageError{fmt.Sprintf(format, args...)}
}

// Command is a subcommand as Find and PrintUsage see it: Usage returns
// its name (one or two words, "sync export"), its arguments and its help.
type Command interface {
	Usage() (name, args, help string)
}

// Find returns the first command of cmds whose name's words begin args,
// and the arguments after them; ok is false when none matches.
func Find[C Command](cmds []C, args []string) (cmd C, rest []string, ok bool) {
	for _, c := range cmds {
		name, _, _ := c.Usage()
		words := strings.Fields(name)
		if len(args) >= len(words) && strings.Join(args[:len(words)], " ") == name {
			return c, args[len(words):], true
		}
	}
	return cmd, nil, false
}

// PrintUsage writes head and then every command with its arguments and
// help.
func PrintUsage[C Command](w io.Writer, head string, cmds []C) {
	fmt.Fprint(w, head)
	for _, c := range cmds {
		name, args, help := c.Usage()
		fmt.Fprintf(w, "  %s %s\n      %s\n", name, args, help)
	}
}

// IsHelp reports whether args ask for the usage text: no command, "help",
// -h or --help.
func IsHelp(args []string) bool {
	return len(args) == 0 || args[0] == "help" || isHelpFlag(args[0])
}

// WantsHelp reports whether a command's arguments ask for its usage: a -h
// or --help before any "--" (after it every argument is positional).
func WantsHelp(args []string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		if isHelpFlag(a) {
			return true
		}
	}
	return false
}

func isHelpFlag(a string) bool { return a == "-h" || a == "--help" || a == "-help" }

// PrintCommandUsage writes the usage of one command: "Uso:", the program
// with its global options (prog, "puntos [--data DIR]"), the command with
// its arguments, and its help.
func PrintCommandUsage(w io.Writer, prog string, c Command) {
	name, args, help := c.Usage()
	fmt.Fprintf(w, "Uso: %s %s %s\n\n%s\n", prog, name, args, help)
}

// UnknownCommand returns the usage error for args that name no command of
// the program prog.
func UnknownCommand(prog string, args []string) error {
	return Usagef("comando desconocido %q: ver «%s help»", strings.Join(args[:min(2, len(args))], " "), prog)
}

// DataDir takes a leading --data DIR (or --data=DIR) off args; without
// one, the directory is def's.
func DataDir(args []string, def func() (string, error)) (dir string, rest []string, err error) {
	dir, rest, found, err := Leading(args, "data", "falta la carpeta después de --data")
	if found || err != nil {
		return dir, rest, err
	}
	dir, err = def()
	return dir, args, err
}

// Leading takes a leading --name VALUE (or --name=VALUE, -name VALUE)
// off args and reports whether there was one; missing is the usage error
// of a --name with no value after it.
func Leading(args []string, name, missing string) (value string, rest []string, found bool, err error) {
	if len(args) == 0 {
		return "", args, false, nil
	}
	switch a := args[0]; {
	case a == "--"+name || a == "-"+name:
		if len(args) < 2 || args[1] == "" {
			return "", nil, true, Usagef("%s", missing)
		}
		return args[1], args[2:], true, nil
	case strings.HasPrefix(a, "--"+name+"="):
		return strings.TrimPrefix(a, "--"+name+"="), args[1:], true, nil
	}
	return "", args, false, nil
}

// Message is what a command line shows for err: the text of a domain rule
// in lang ("es" or "en"), else the error's own sentence (the stores and
// the commands write them for people, in Spanish).
func Message(err error, lang string) string {
	if _, ok := errors.AsType[*domain.Error](err); ok {
		return domain.Message(err, lang)
	}
	return err.Error()
}

// Fail writes err on w as one line "prog: message" and returns the exit
// code: 2 for a UsageError, else 1.
func Fail(w io.Writer, prog string, err error, lang string) int {
	fmt.Fprintf(w, "%s: %s\n", prog, Message(err, lang))
	if _, ok := errors.AsType[UsageError](err); ok {
		return 2
	}
	return 1
}

// Parse parses the flags of fs anywhere among args (a scanned barcode or
// a name may come before --status) and returns the positional arguments;
// after "--" every argument is positional. Its errors are UsageErrors.
func Parse(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for len(args) > 0 {
		a := args[0]
		if a == "--" {
			pos = append(pos, args[1:]...)
			break
		}
		name := strings.TrimLeft(a, "-")
		if !strings.HasPrefix(a, "-") || name == "" || len(a)-len(name) > 2 {
			pos = append(pos, a)
			args = args[1:]
			continue
		}
		if i := strings.IndexByte(name, '='); i >= 0 {
			name = name[:i]
		}
		f := fs.Lookup(name)
		if f == nil {
			return nil, Usagef("opción desconocida %s", a)
		}
		n := 1
		if bf, ok := f.Value.(interface{ IsBoolFlag() bool }); !(ok && bf.IsBoolFlag()) && !strings.Contains(a, "=") {
			n = 2
		}
		if len(args) < n {
			return nil, Usagef("falta el valor de %s", a)
		}
		if err := fs.Parse(args[:n]); err != nil {
			return nil, Usagef("%s: %v", a, err)
		}
		args = args[n:]
	}
	return pos, nil
}

// ParseJSON parses the arguments of a command whose only flag is --json
// and reports whether it was given; positional arguments are ignored.
func ParseJSON(args []string) (asJSON bool, err error) {
	fs := flag.NewFlagSet("json", flag.ContinueOnError)
	fs.BoolVar(&asJSON, "json", false, "")
	_, err = Parse(fs, args)
	return asJSON, err
}

// NoArgs returns a UsageError naming the positional arguments, if any.
func NoArgs(pos []string) error {
	if len(pos) > 0 {
		return Usagef("sobran argumentos: %s", strings.Join(pos, " "))
	}
	return nil
}

// OneArg returns the only positional argument, named what in messages.
func OneArg(pos []string, what string) (string, error) {
	if len(pos) == 0 {
		return "", Usagef("falta %s", what)
	}
	if err := NoArgs(pos[1:]); err != nil {
		return "", err
	}
	return pos[0], nil
}

// ParseOne parses args with fs (see Parse) and returns the only
// positional argument (see OneArg).
func ParseOne(fs *flag.FlagSet, args []string, what string) (string, error) {
	pos, err := Parse(fs, args)
	if err != nil {
		return "", err
	}
	return OneArg(pos, what)
}

// WriteJSON writes v to w as indented JSON.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// WriteJSONList writes list to w as an indented JSON array, [] when empty.
func WriteJSONList[T any](w io.Writer, list []T) error {
	if list == nil {
		list = []T{}
	}
	return WriteJSON(w, list)
}

// PrintList writes a list command's output on w: items as a JSON array
// when asJSON; else the line empty when there are none and empty is not
// ""; else a table of header and one row per item, written by row with
// its columns separated by tabs.
func PrintList[T any](w io.Writer, asJSON bool, items []T, empty, header string, row func(w io.Writer, item T)) error {
	if asJSON {
		return WriteJSONList(w, items)
	}
	if len(items) == 0 && empty != "" {
		fmt.Fprintln(w, empty)
		return nil
	}
	tw := Table(w)
	fmt.Fprintln(tw, header)
	for _, it := range items {
		row(tw, it)
	}
	return tw.Flush()
}

// Show runs a command that shows one thing and takes only --json: get
// fetches it, then it is written as JSON with --json, else by text.
func Show[T any](w io.Writer, args []string, get func() (T, error), text func(w io.Writer, v T)) error {
	asJSON, err := ParseJSON(args)
	if err != nil {
		return err
	}
	v, err := get()
	if err != nil {
		return err
	}
	if asJSON {
		return WriteJSON(w, v)
	}
	text(w, v)
	return nil
}

// ShowList runs a command that shows a list and takes only --json: get
// fetches it, then PrintList writes it.
func ShowList[T any](w io.Writer, args []string, get func() ([]T, error), empty, header string, row func(w io.Writer, item T)) error {
	asJSON, err := ParseJSON(args)
	if err != nil {
		return err
	}
	items, err := get()
	if err != nil {
		return err
	}
	return PrintList(w, asJSON, items, empty, header, row)
}

// Table returns a writer that aligns tab-separated columns on w; Flush
// writes them.
func Table(w io.Writer) *tabwriter.Writer {
	return tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
}

// OpenFile opens an input file, with a message a person can act on when
// it is missing.
func OpenFile(path string) (*os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("no existe el archivo %s: revisá la ruta", path)
		}
		return nil, fmt.Errorf("no se puede abrir %s: %w", path, err)
	}
	return f, nil
}
