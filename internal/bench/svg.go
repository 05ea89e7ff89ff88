package bench

import (
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strings"
)

// chartBar is one server's ratio in one scenario.
type chartBar struct {
	server string
	ratio  float64
}

// chartGroup is one scenario of the chart.
type chartGroup struct {
	label string
	bars  []chartBar
}

// chartGroups collects every cell that has a ratio to the baseline, grouped
// by scenario in table order, servers in configuration order.
func (r *Report) chartGroups() []chartGroup {
	var groups []chartGroup
	for _, c := range r.Cells {
		g := chartGroup{label: c.Scenario.Name()}
		if lowerIsBetter(unitOf(c)) {
			g.label += " (" + unitOf(c) + ", lower is better)"
		}
		for _, n := range r.names() {
			if ratio, ok := r.ratio(c, n); ok {
				g.bars = append(g.bars, chartBar{server: n, ratio: ratio})
			}
		}
		if len(g.bars) > 0 {
			groups = append(groups, g)
		}
	}
	return groups
}

// Chart geometry, in SVG user units.
const (
	chartWidth   = 760
	chartLabelW  = 250 // scenario and server labels on the left
	chartPlotW   = 440
	chartBarH    = 11
	chartBarGap  = 2
	chartGroupH  = 18 // group title line
	chartGroupSp = 8
	chartTop     = 46
	chartMaxCap  = 4.0 // longer bars are clipped at this ratio
)

// serverColors is the palette, by server position in the configuration.
var serverColors = []string{"#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#7f7f7f", "#d62728", "#8c564b"}

// WriteChart writes the ratios as a hand-drawn SVG: one group of horizontal
// bars per scenario, one bar per server that has a ratio, a vertical line
// at 1.0× and the ratio printed at the end of each bar.
func (r *Report) WriteChart(w io.Writer) error {
	groups := r.chartGroups()
	scale := chartScale(groups)
	x := func(ratio float64) float64 { return chartLabelW + chartPlotW*math.Min(ratio, scale)/scale }
	height := chartTop + 20
	for _, g := range groups {
		height += chartGroupH + len(g.bars)*(chartBarH+chartBarGap) + chartGroupSp
	}
	color := map[string]string{}
	for i, n := range r.names() {
		color[n] = serverColors[i%len(serverColors)]
	}

	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="11">`+"\n",
		chartWidth, height, chartWidth, height)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="white"/>`+"\n", chartWidth, height)
	fmt.Fprintf(&b, `<text x="8" y="16" font-size="13" font-weight="bold">Ratio to %s (same row), median of repetitions</text>`+"\n", esc(BaselineServer))
	lx := 8
	for _, n := range r.names() {
		fmt.Fprintf(&b, `<rect x="%d" y="26" width="10" height="10" fill="%s"/><text x="%d" y="35">%s</text>`+"\n", lx, color[n], lx+14, esc(n))
		lx += 24 + 7*len(n)
	}
	y := chartTop
	for _, g := range groups {
		fmt.Fprintf(&b, `<text x="8" y="%d" font-weight="bold">%s</text>`+"\n", y+13, esc(g.label))
		y += chartGroupH
		for _, bar := range g.bars {
			fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%s</text>`+"\n", chartLabelW-6, y+chartBarH-2, esc(bar.server))
			fmt.Fprintf(&b, `<rect class="bar" x="%d" y="%d" width="%.1f" height="%d" fill="%s"><title>%s %s: %.2f×</title></rect>`+"\n",
				chartLabelW, y, x(bar.ratio)-chartLabelW, chartBarH, color[bar.server], esc(bar.server), esc(g.label), bar.ratio)
			clip := ""
			if bar.ratio > scale {
				clip = " ▸"
			}
			fmt.Fprintf(&b, `<text x="%.1f" y="%d">%.2f×%s</text>`+"\n", x(bar.ratio)+4, y+chartBarH-2, bar.ratio, clip)
			y += chartBarH + chartBarGap
		}
		y += chartGroupSp
	}
	for t := 0.0; t <= scale+1e-9; t += 0.5 {
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle" fill="#555">%.1f×</text>`+"\n", x(t), y+12, t)
	}
	fmt.Fprintf(&b, `<line class="one" x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="black" stroke-width="1.5" stroke-dasharray="4 3"/>`+"\n",
		x(1), chartTop-4, x(1), y)
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// chartScale is the ratio at the right edge: the largest ratio rounded up to
// a half, at least 1.5 and at most chartMaxCap.
func chartScale(groups []chartGroup) float64 {
	top := 1.5
	for _, g := range groups {
		for _, bar := range g.bars {
			top = math.Max(top, bar.ratio)
		}
	}
	return math.Min(math.Ceil(top*2)/2, chartMaxCap)
}

// esc escapes s for use in SVG text and attributes.
func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s)) // writing to a Builder cannot fail
	return b.String()
}
