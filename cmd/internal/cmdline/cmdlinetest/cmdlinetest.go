// Package cmdlinetest has what the tests of the puntos and puntos-registry
// command lines share.
package cmdlinetest

import "strings"

// CommandNames returns the names of the commands a usage text (as
// cmdline.PrintUsage writes it) lists: the lower-case words that begin
// each command's line.
func CommandNames(usage string) []string {
	var names []string
	for _, line := range strings.Split(usage, "\n") {
		if !strings.HasPrefix(line, "  ") || strings.HasPrefix(line, "   ") {
			continue
		}
		var words []string
		for _, w := range strings.Fields(line) {
			if strings.Trim(w, "abcdefghijklmnopqrstuvwxyz") != "" {
				break
			}
			words = append(words, w)
		}
		names = append(names, strings.Join(words, " "))
	}
	return names
}
