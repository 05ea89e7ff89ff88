package bench

import (
	"fmt"
	"io"
	"runtime"
	"strings"
)

// WriteMarkdown writes the report as Markdown: a throughput table (rows are
// scenarios, columns are servers, each value with its ratio to the std
// server), a latency table with p50 / p99 for the ping-pong rows, and notes on
// unavailable servers, errors, losses and mismatches.
func (r *Report) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	cfg := r.Config
	names := make([]string, len(cfg.Servers))
	for i, s := range cfg.Servers {
		names[i] = s.Name
	}
	fmt.Fprintf(&b, "## Echo servers on loopback\n\nMedian of %d repetition(s); %v window after %v warm-up; "+
		"server loops=%d; client GOMAXPROCS=%d on %d CPU(s). Ratios are to `%s` (for KiB/conn lower is better); † marks a value whose repetitions spread by more than 25%%.\n\n",
		cfg.Reps, cfg.Duration, cfg.Warmup, cfg.Loops, runtime.GOMAXPROCS(0), runtime.NumCPU(), BaselineServer)

	tableHeader(&b, append([]string{"scenario", "unit"}, names...))
	for _, c := range r.Cells {
		row := []string{c.Scenario.Name(), unitOf(c)}
		for _, n := range names {
			row = append(row, r.valueCell(c, n))
		}
		tableRow(&b, row)
	}

	if r.hasLatency() {
		b.WriteString("\nRound-trip latency, p50 / p99:\n\n")
		tableHeader(&b, append([]string{"scenario"}, names...))
		for _, c := range r.Cells {
			if c.Scenario.Kind != KindTCPPingPong && c.Scenario.Kind != KindUDPPingPong {
				continue
			}
			row := []string{c.Scenario.Name()}
			for _, n := range names {
				row = append(row, r.latencyCell(c, n))
			}
			tableRow(&b, row)
		}
	}
	r.writeNotes(&b, names)
	_, err := io.WriteString(w, b.String())
	return err
}

func (r *Report) valueCell(c Cell, name string) string {
	if _, gone := r.Unavailable[name]; gone {
		return "n/a"
	}
	s, ok := Summarize(c.Results[name])
	if !ok {
		return "error"
	}
	out := formatValue(s.Value, s.Unit)
	if base, ok := Summarize(c.Results[BaselineServer]); ok && base.Value > 0 {
		out += fmt.Sprintf(" (%.2f×)", s.Value/base.Value)
	}
	if s.Noisy() {
		out += " †"
	}
	if s.Mismatches > 0 {
		out += " ⚠"
	}
	return out
}

func (r *Report) latencyCell(c Cell, name string) string {
	if _, gone := r.Unavailable[name]; gone {
		return "n/a"
	}
	s, ok := Summarize(c.Results[name])
	if !ok {
		return "error"
	}
	return formatLatency(s.P50) + " / " + formatLatency(s.P99)
}

func (r *Report) hasLatency() bool {
	for _, c := range r.Cells {
		if c.Scenario.Kind == KindTCPPingPong || c.Scenario.Kind == KindUDPPingPong {
			return true
		}
	}
	return false
}

func (r *Report) writeNotes(b *strings.Builder, names []string) {
	var notes []string
	for _, n := range names {
		if err, gone := r.Unavailable[n]; gone {
			notes = append(notes, fmt.Sprintf("`%s` unavailable: %v", n, err))
		}
	}
	for _, c := range r.Cells {
		for _, n := range names {
			if errs := c.Errors[n]; len(errs) > 0 {
				notes = append(notes, fmt.Sprintf("`%s` %s: %d failed repetition(s), first: %v", n, c.Scenario.Name(), len(errs), errs[0]))
			}
			s, ok := Summarize(c.Results[n])
			if ok && s.Noisy() {
				notes = append(notes, fmt.Sprintf("† `%s` %s: repetitions ranged %s–%s %s", n, c.Scenario.Name(),
					formatValue(s.Min, s.Unit), formatValue(s.Max, s.Unit), s.Unit))
			}
			if ok && s.Losses > 0 {
				notes = append(notes, fmt.Sprintf("`%s` %s: %d datagram(s) lost over %d repetition(s)", n, c.Scenario.Name(), s.Losses, s.Reps))
			}
			if ok && s.Mismatches > 0 {
				notes = append(notes, fmt.Sprintf("⚠ `%s` %s: %d echo mismatch(es): the server corrupted data", n, c.Scenario.Name(), s.Mismatches))
			}
		}
	}
	if len(notes) == 0 {
		return
	}
	b.WriteString("\nNotes:\n\n")
	for _, n := range notes {
		fmt.Fprintf(b, "- %s\n", n)
	}
}

// unitOf returns the unit of a scenario's headline value.
func unitOf(c Cell) string {
	switch c.Scenario.Kind {
	case KindBulk:
		return UnitMBps
	case KindIdle:
		return UnitKiBPerConn
	}
	return UnitRoundTrips
}

func tableHeader(b *strings.Builder, cols []string) {
	tableRow(b, cols)
	seps := make([]string, len(cols))
	for i := range seps {
		seps[i] = "---"
		if i > 0 {
			seps[i] = "--:"
		}
	}
	tableRow(b, seps)
}

func tableRow(b *strings.Builder, cols []string) {
	b.WriteString("| " + strings.Join(cols, " | ") + " |\n")
}
