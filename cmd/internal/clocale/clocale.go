// Package clocale makes a C or POSIX locale (a server's LANG=C.UTF-8) mean
// Spanish to Fyne, silently. Import it for its side effect, first thing
// in a main package that links Fyne.
//
// Fyne's lang package reads the locale in its init, before main runs,
// and logs "Fyne error: Error parsing user locale C" on stderr when the
// locale is C.UTF-8: "C" is no language tag. This package's init sets
// LANGUAGE=es in that case (gettext's list of languages, which the C
// locale itself ignores), so Fyne reads Spanish.
//
// It runs before Fyne's init by the spec's order of package
// initialization (packages sorted by import path; the first whose imports
// are initialized goes next): it imports only syscall, and Fyne's lang
// imports log and so os, which import syscall and sort after
// "github.com/puntos-ar/…". Once syscall is initialized this package is
// ready and comes before os, so before lang. Importing anything else here
// would break that.
package clocale

import "syscall"

func init() { Apply(syscall.Getenv, syscall.Setenv) }

// Apply sets LANGUAGE to "es" through setenv when the locale that getenv
// gives (LC_ALL, else LC_MESSAGES, else LANG, as gettext reads them) is C
// or POSIX with an encoding ("C.UTF-8") and LANGUAGE is not set. A plain
// "C" or "POSIX" is left alone: Fyne already reads it silently.
func Apply(getenv func(string) (string, bool), setenv func(k, v string) error) {
	if v, _ := getenv("LANGUAGE"); v != "" {
		return
	}
	locale := ""
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v, _ := getenv(k); v != "" {
			locale = v
			break
		}
	}
	if IsC(locale) && locale != "C" && locale != "POSIX" {
		_ = setenv("LANGUAGE", "es") // nothing to do if it fails: Fyne then logs its line
	}
}

// IsC reports whether locale is the C or POSIX locale, with or without an
// encoding or modifier ("C.UTF-8", "POSIX", "C.utf8@euro").
func IsC(locale string) bool {
	for i := 0; i < len(locale); i++ {
		if locale[i] == '.' || locale[i] == '@' {
			locale = locale[:i]
			break
		}
	}
	return locale == "C" || locale == "POSIX"
}
