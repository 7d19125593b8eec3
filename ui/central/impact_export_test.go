package central

import (
	"image/color"

	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/widget"
)

// Impact.
func (c *Workspace) ImpactYear() *widget.Entry  { return c.impact.year }
func (c *Workspace) ImpactShow() *widget.Button { return c.impact.showButton }
func (c *Workspace) ImpactSummary() string      { return c.impact.summary.Text }
func (c *Workspace) ImpactSurvey() string       { return c.impact.survey.Text }

// ImpactDots returns the map's dots by colour.
func (c *Workspace) ImpactDots() map[color.Color]int {
	out := map[color.Color]int{}
	for _, o := range c.impact.mapBox.Objects {
		out[o.(*canvas.Circle).FillColor]++
	}
	return out
}

// ImpactMonths returns the height of each month's bar.
func (c *Workspace) ImpactMonths() []float32 {
	var out []float32
	for _, b := range c.impact.bars {
		out = append(out, b.MinSize().Height)
	}
	return out
}
