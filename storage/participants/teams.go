package participants

import (
	"slices"
	"strings"
	"time"

	"github.com/puntos-ar/puntos/storage/domain"
)

// teamsSections returns where the numbered sections of a Teams attendance
// report start ("1. Summary", "2. Participants", "3. In-Meeting
// Activities", localized), by number, or nil when the file has no
// participants section 2.
func teamsSections(recs []record) map[int]int {
	var at map[int]int
	for i, rec := range recs {
		if !isSection(rec.cells) {
			continue
		}
		if m := sectionRE.FindStringSubmatch(rec.cells[0]); m != nil {
			if at == nil {
				at = map[int]int{}
			}
			at[int(m[1][0]-'0')] = i
		}
	}
	if _, ok := at[2]; !ok {
		return nil
	}
	return at
}

// isSection reports whether a row is a section title: one cell "2. …".
func isSection(cells []string) bool {
	return len(cells) > 0 && allEmpty(cells[1:]) && sectionRE.MatchString(cells[0])
}

func allEmpty(cells []string) bool {
	for _, c := range cells {
		if c != "" {
			return false
		}
	}
	return true
}

// Positions of the columns in Teams' sections when a localized header is
// not one headerWords knows.
var (
	teamsParticipantCols = []int{colName, colJoin, colLeave, colDuration, colEmail, colUPN, colRole}
	teamsActivityCols    = []int{colName, colJoin, colLeave, colDuration, colEmail, colRole}
)

// readTeams reads the per-join rows of section 3 when it has any, else
// section 2's first join, last leave and in-meeting duration.
func readTeams(recs []record, day time.Time) []row {
	at := teamsSections(recs)
	if i, ok := at[3]; ok && i+1 < len(recs) {
		if rows := readTable(teamsColumns(recs[i+1].cells, teamsActivityCols), recs[i+2:], day, 0); len(rows) > 0 {
			return rows
		}
	}
	i := at[2]
	if i+1 >= len(recs) {
		return nil
	}
	return readTable(teamsColumns(recs[i+1].cells, teamsParticipantCols), recs[i+2:], day, spanRows)
}

// teamsColumns maps a section's header, filling what the words do not
// name from the known positions.
func teamsColumns(head []string, positions []int) columns {
	c := headerColumns(head)
	for i, role := range positions {
		if i >= len(head) || c.has(role) || slices.Contains(mapValues(c), i) {
			continue
		}
		c[role] = i
	}
	return c
}

func mapValues(c columns) []int {
	out := make([]int, 0, len(c))
	for _, v := range c {
		out = append(out, v)
	}
	return out
}

// readLegacy reads the older Teams list, one row per action: "Joined",
// "Left", "Joined before" (localized). A join without a leave lasts until
// the last time in the file.
func readLegacy(c columns, recs []record, day time.Time) []row {
	type action struct {
		r     row
		at    time.Time
		leave bool
	}
	var acts []action
	var last time.Time
	for _, rec := range recs {
		cells := rec.cells
		name := c.cell(cells, colName)
		if name == "" {
			name = c.cell(cells, colFirst)
		}
		t, ok := parseStamp(c.cell(cells, colStamp), day)
		if name == "" || !ok {
			continue
		}
		if t.After(last) {
			last = t
		}
		r := row{name: name}
		r.email, r.masked = cleanEmail(c.cell(cells, colEmail))
		acts = append(acts, action{r: r, at: t, leave: isLeave(c.cell(cells, colAction))})
	}
	slices.SortStableFunc(acts, func(a, b action) int { return a.at.Compare(b.at) })
	open := map[string]*row{}
	var order []string
	var out []row
	for _, a := range acts {
		k := a.r.key()
		if !a.leave {
			if open[k] == nil {
				r := a.r
				r.join = a.at
				open[k] = &r
				order = append(order, k)
			}
			continue
		}
		if r := open[k]; r != nil {
			r.leave = a.at
			out = append(out, *r)
			open[k] = nil
		}
	}
	for _, k := range order {
		if r := open[k]; r != nil {
			r.leave = last
			out = append(out, *r)
			open[k] = nil
		}
	}
	return out
}

// isLeave reports whether a Teams action is a leave ("Left", "Salió",
// "Abandonó", "Ha salido").
func isLeave(action string) bool {
	a := domain.Fold(action)
	for _, p := range []string{"left", "sal", "abandon", "ha salido", "saiu", "a quitte", "quit"} {
		if strings.HasPrefix(a, p) {
			return true
		}
	}
	return false
}
