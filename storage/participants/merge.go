package participants

import (
	"slices"
	"time"
)

// merge groups rows by person in first-appearance order. A person's
// connected time is the union of their intervals when every row has a
// join and a leave (overlapping rejoins count once), else the sum of the
// rows' durations.
func merge(rows []row) []Participant {
	index := map[string]int{}
	var out []Participant
	timed := map[int]bool{}
	summed := map[int]int{}
	for _, r := range rows {
		k := r.key()
		i, ok := index[k]
		if !ok {
			i = len(out)
			index[k] = i
			out = append(out, Participant{Name: r.name, OriginalName: r.original, Email: r.email, Masked: r.masked, DNI: r.dni})
			timed[i] = true
		}
		p := &out[i]
		p.Joins++
		p.Host = p.Host || r.host
		if !r.span && !r.join.IsZero() && !r.leave.IsZero() && !r.leave.Before(r.join) {
			p.Intervals = append(p.Intervals, Interval{r.join, r.leave})
		} else {
			timed[i] = false
		}
		if r.seconds > 0 {
			summed[i] += r.seconds
		}
	}
	for i := range out {
		p := &out[i]
		p.Intervals = union(p.Intervals)
		if timed[i] && len(p.Intervals) > 0 {
			p.Seconds = Connected(p.Intervals)
		} else {
			p.Seconds = summed[i]
		}
	}
	return out
}

// union sorts intervals and merges those that overlap or touch.
func union(ivs []Interval) []Interval {
	if len(ivs) < 2 {
		return ivs
	}
	slices.SortFunc(ivs, func(a, b Interval) int { return a.From.Compare(b.From) })
	out := ivs[:1]
	for _, iv := range ivs[1:] {
		last := &out[len(out)-1]
		if !iv.From.After(last.To) {
			if iv.To.After(last.To) {
				last.To = iv.To
			}
			continue
		}
		out = append(out, iv)
	}
	return out
}

// Connected returns the seconds the intervals cover, overlaps counted once.
func Connected(ivs []Interval) int {
	total := time.Duration(0)
	for _, iv := range union(slices.Clone(ivs)) {
		total += iv.To.Sub(iv.From)
	}
	return int(total / time.Second)
}
