// Package geo lists Argentina's provinces and their municipalities, cleaned from georef-ar, for place pickers.
package geo

//go:generate go run ./internal/gen -src ../../../shared/data/georef

import (
	_ "embed"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/puntos-ar/puntos/storage/domain"
	"github.com/puntos-ar/puntos/storage/geo/internal/georef"
)

// Attribution is the credit the georef-ar licence asks for wherever these lists are shown or shipped.
const Attribution = "Fuente: georef-ar, datos.gob.ar (CC BY 4.0)"

//go:embed places.tsv
var placesTSV string

// Province is an Argentine province (or the Autonomous City of Buenos Aires) with its INDEC code.
type Province struct {
	ID   string // INDEC code, two digits: "02", "06" … "94"
	Name string // official name: "Córdoba", "Tierra del Fuego, Antártida e Islas del Atlántico Sur"
}

// aliases are the other ways people write a province, besides its name with or without
// accents, its INDEC code and its ISO 3166-2 code.
var aliases = map[string][]string{
	"02": {"CABA", "C.A.B.A.", "Capital Federal", "Cap. Fed.", "Ciudad de Buenos Aires", "Ciudad Autónoma", "Ciudad Autónoma de Bs. As."},
	"06": {"BA", "Bs As", "Bs. As.", "PBA"},
	"86": {"Santiago", "Sgo. del Estero"},
	"94": {"Tierra del Fuego", "TDF", "Tierra del Fuego AIAS"},
}

// isoCodes are the ISO 3166-2:AR subdivision letters, keyed by INDEC code.
var isoCodes = map[string]string{
	"02": "C", "06": "B", "10": "K", "14": "X", "18": "W", "22": "H", "26": "U", "30": "E",
	"34": "P", "38": "Y", "42": "L", "46": "F", "50": "M", "54": "N", "58": "Q", "62": "R",
	"66": "A", "70": "J", "74": "D", "78": "Z", "82": "S", "86": "G", "90": "T", "94": "V",
}

// Point is a location in decimal degrees (WGS 84).
type Point = georef.Point

// Place is a municipality (or, where georef-ar has none, a comuna or
// census locality) with its location.
type Place struct {
	ProvinceID string
	Name       string
	Point
}

type province struct {
	Province
	points []Point        // location of each name
	names  []string       // display names, sorted
	folded []string       // domain.Fold of names
	words  [][]string     // folded words of each name
	index  map[string]int // folded name → position in names
}

type catalog struct {
	provinces []Province
	byID      map[string]*province
	lookup    map[string]string // folded name, code or alias → province ID
	abbrev    map[string]string // folded abbreviation → folded word
}

var load = sync.OnceValue(func() *catalog { return parse(placesTSV) })

// parse reads places.tsv. The file is generated and checked by tests, so a malformed
// line is a build mistake and panics.
func parse(tsv string) *catalog {
	c := &catalog{byID: map[string]*province{}, lookup: map[string]string{}, abbrev: map[string]string{}}
	for n, line := range strings.Split(tsv, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 5 || f[2] == "" {
			panic(fmt.Sprintf("geo: places.tsv line %d: want 5 fields", n+1))
		}
		lat, err1 := strconv.ParseFloat(f[3], 64)
		lon, err2 := strconv.ParseFloat(f[4], 64)
		if err1 != nil || err2 != nil {
			panic(fmt.Sprintf("geo: places.tsv line %d: bad coordinates", n+1))
		}
		switch f[0] {
		case "P":
			p := Province{ID: f[1], Name: f[2]}
			c.provinces = append(c.provinces, p)
			c.byID[p.ID] = &province{Province: p, index: map[string]int{}} // its capital's location is for the generator
		case "M":
			p := c.byID[f[1]]
			if p == nil {
				panic(fmt.Sprintf("geo: places.tsv line %d: place before its province %s", n+1, f[1]))
			}
			folded := domain.Fold(f[2])
			p.index[folded] = len(p.names)
			p.names = append(p.names, f[2])
			p.points = append(p.points, Point{Lat: lat, Lon: lon})
			p.folded = append(p.folded, folded)
			p.words = append(p.words, strings.Fields(folded))
		default:
			panic(fmt.Sprintf("geo: places.tsv line %d: unknown kind %q", n+1, f[0]))
		}
	}
	add := func(key, id string) {
		key = domain.Fold(key)
		if other, ok := c.lookup[key]; ok && other != id {
			panic(fmt.Sprintf("geo: %q names both province %s and %s", key, other, id))
		}
		c.lookup[key] = id
	}
	for _, p := range c.provinces {
		add(p.Name, p.ID)
		add(p.ID, p.ID)
		add("AR-"+isoCodes[p.ID], p.ID)
		for _, a := range aliases[p.ID] {
			add(a, p.ID)
		}
	}
	for k, v := range georef.Abbreviations {
		c.abbrev[domain.Fold(k)] = domain.Fold(v)
	}
	return c
}

// Provinces returns the 24 provinces, the Autonomous City of Buenos Aires included, sorted by name.
func Provinces() []Province {
	return slices.Clone(load().provinces)
}

// FindProvince returns the province that s names, ignoring case and accents: its name
// ("cordoba"), its INDEC code ("06" or "6"), its ISO 3166-2 code ("AR-X") or a common
// alias ("CABA", "Capital Federal", "Bs. As.", "Tierra del Fuego", "Santiago"), optionally
// after "Provincia de". It reports false when s names no province.
func FindProvince(s string) (Province, bool) {
	c := load()
	key := domain.Fold(s)
	if len(key) == 1 && key[0] >= '1' && key[0] <= '9' {
		key = "0" + key // "6" for "06"
	}
	for _, pre := range []string{"provincia", "prov", "pcia"} {
		if rest, ok := strings.CutPrefix(key, pre+" "); ok {
			rest, _ = strings.CutPrefix(rest, "del ")
			rest, _ = strings.CutPrefix(rest, "de ")
			if _, ok := c.lookup[rest]; ok {
				key = rest
			}
			break
		}
	}
	id, ok := c.lookup[key]
	if !ok {
		return Province{}, false
	}
	return c.byID[id].Province, true
}

// Places returns every place of every province with its location, the
// provinces in name order and their places sorted by name.
func Places() []Place {
	c := load()
	var out []Place
	for _, pr := range c.provinces {
		p := c.byID[pr.ID]
		for i, name := range p.names {
			out = append(out, Place{ProvinceID: p.ID, Name: name, Point: p.points[i]})
		}
	}
	return out
}

// Locate returns the location of the place named name (ignoring case and
// accents) in the province with INDEC code provinceID; false when the
// province does not list it.
func Locate(provinceID, name string) (Point, bool) {
	p := load().byID[provinceID]
	if p == nil {
		return Point{}, false
	}
	i, ok := p.index[domain.Fold(name)]
	if !ok {
		return Point{}, false
	}
	return p.points[i], true
}

// Municipalities returns the places listed for the province with INDEC code provinceID,
// sorted by name, or nil for an unknown code. For the provinces georef-ar lists no
// municipalities for, the places are CABA's comunas and the census localities.
func Municipalities(provinceID string) []string {
	p := load().byID[provinceID]
	if p == nil {
		return nil
	}
	return slices.Clone(p.names)
}

// Suggest returns up to limit (all when limit <= 0) places of the province with INDEC code
// provinceID that match what the user has typed, ignoring case and accents: first those
// whose name starts with it, then those with a word starting with it ("belgrano" finds
// "Villa General Belgrano"), then those whose words start with each typed word in order
// ("villa belgrano"). Finished abbreviations are spelled out ("gral roca" finds
// "General Roca"). With nothing typed it returns the first places of the list.
func Suggest(provinceID, typed string, limit int) []string {
	c := load()
	p := c.byID[provinceID]
	if p == nil {
		return nil
	}
	q := c.query(typed, endsWord(typed))
	if limit <= 0 || limit > len(p.names) {
		limit = len(p.names)
	}
	if q == "" {
		return slices.Clone(p.names[:limit])
	}
	qWords, spaced := strings.Fields(q), " "+q
	var prefix, word, words []int
	for i, f := range p.folded {
		switch {
		case strings.HasPrefix(f, q):
			prefix = append(prefix, i)
		case len(word) < limit && strings.Contains(f, spaced):
			word = append(word, i)
		case len(words) < limit && len(qWords) > 1 && wordsInOrder(p.words[i], qWords):
			words = append(words, i)
		}
		if len(prefix) == limit {
			break
		}
	}
	out := make([]string, 0, limit)
	for _, list := range [][]int{prefix, word, words} {
		for _, i := range list {
			if len(out) == limit {
				return out
			}
			out = append(out, p.names[i])
		}
	}
	return out
}

// FindMunicipality returns the listed spelling of the place s in the province with INDEC
// code provinceID, matching the whole name regardless of case, accents and abbreviations
// ("gral roca" → "General Roca"). It reports false when the place is not listed, which
// callers accept as free text: the list is from 2018 and not exhaustive.
func FindMunicipality(provinceID, s string) (string, bool) {
	c := load()
	p := c.byID[provinceID]
	if p == nil {
		return "", false
	}
	i, ok := p.index[c.query(s, true)]
	if !ok {
		return "", false
	}
	return p.names[i], true
}

// query folds s and spells out its abbreviations; the last word is left alone unless
// complete, since the user may still be typing it ("sta" may become "Stábile").
func (c *catalog) query(s string, complete bool) string {
	words := strings.Fields(domain.Fold(s))
	for i, w := range words {
		if i == len(words)-1 && !complete {
			break
		}
		if e, ok := c.abbrev[w]; ok {
			words[i] = e
		}
	}
	return strings.Join(words, " ")
}

// endsWord reports whether the user has finished the last word of s ("gral " or "gral.").
func endsWord(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return unicode.IsSpace(r) || r == '.'
}

// wordsInOrder reports whether each of qWords starts a distinct word of name, in order.
func wordsInOrder(name, qWords []string) bool {
	j := 0
	for _, w := range name {
		if j < len(qWords) && strings.HasPrefix(w, qWords[j]) {
			j++
		}
	}
	return j == len(qWords)
}
