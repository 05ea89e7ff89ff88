package bench

import (
	"fmt"
	"strings"
)

// writeUsage writes the server CPU and memory table: for every server-run
// scenario whose window was sampled, CPU as % of one core (and CPU µs per
// round trip for ping-pong, per MB echoed for bulk) and VmRSS at the end of
// the window.
func (r *Report) writeUsage(b *strings.Builder, names []string) {
	r.writeCellTable(b, names,
		"\nServer CPU over the window (% of one core; CPU µs per round trip or per MB echoed, † if its repetitions spread by more than 25%) · server RSS at the end of the window:\n\n",
		func(c Cell) bool { return !c.Scenario.InProcess() && r.sampled(c) },
		r.usageCell)
}

// sampled reports whether any server's window in c was sampled.
func (r *Report) sampled(c Cell) bool {
	for _, rs := range c.Results {
		if s, ok := Summarize(rs); ok && s.CPUSampled {
			return true
		}
	}
	return false
}

func (r *Report) usageCell(c Cell, name string) string {
	if m := r.missing(c, name); m != "" {
		return m
	}
	s, _ := Summarize(c.Results[name])
	if !s.CPUSampled {
		return "—"
	}
	out := fmt.Sprintf("%.0f%%", s.CPUPercent)
	out += cpuPerOp(s)
	return out + fmt.Sprintf(" · %.1f MiB", float64(s.RSSKiB)/1024)
}

// writeWaitlist writes the in-process waitlist scaling table: ns per
// List.Wait with one ready source among N, the poll-every-source baseline,
// and both as ratios to the smallest N.
func (r *Report) writeWaitlist(b *strings.Builder) {
	var cells []Summary
	var ns []int
	for _, c := range r.Cells {
		if c.Scenario.Kind != KindWaitlist {
			continue
		}
		s, ok := Summarize(c.Results[InProcess])
		if !ok {
			continue
		}
		cells = append(cells, s)
		ns = append(ns, c.Scenario.Conns)
	}
	if len(cells) == 0 {
		return
	}
	first := cells[0]
	fmt.Fprintf(b, "\nwaitlist: cost of one wait that finds the single ready source among N "+
		"(in-process, fake sources; ratios to N=%d):\n\n", ns[0])
	tableHeader(b, []string{"N", "List.Wait ns/wait", "× N=" + fmt.Sprint(ns[0]), "poll every source ns/wait", "× N=" + fmt.Sprint(ns[0])})
	for i, s := range cells {
		tableRow(b, []string{
			fmt.Sprint(ns[i]),
			fmt.Sprintf("%.0f", s.Value), fmt.Sprintf("%.2f×", s.Value/first.Value),
			fmt.Sprintf("%.0f", s.Reference), fmt.Sprintf("%.2f×", s.Reference/first.Reference),
		})
	}
}

// cpuPerOp formats the server CPU per operation as "; 4.0µs/rt", with a †
// when its repetitions spread; "" when there is none.
func cpuPerOp(s Summary) string {
	if s.CPUPerOp <= 0 {
		return ""
	}
	out := fmt.Sprintf("; %.1f%s", s.CPUPerOp, s.CPUOpUnit)
	if s.CPUOpNoisy {
		out += " †"
	}
	return out
}
