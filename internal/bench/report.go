package bench

import (
	"fmt"
	"io"
	"runtime"
	"strings"
)

// WriteMarkdown writes the report as Markdown: the main table (rows are
// scenarios, columns are servers, each value with its ratio to the std
// server, plus the in-process loopback reference row), round-trip latency,
// server CPU and memory, the waitlist scaling table, and notes on
// unavailable or unsupported servers, errors, losses and mismatches.
func (r *Report) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	cfg := r.Config
	names := r.names()
	fmt.Fprintf(&b, "## Echo servers on loopback\n\nMedian of %d repetition(s); %v window after %v warm-up; "+
		"server loops=%d; client GOMAXPROCS=%d on %d CPU(s). Ratios are to `%s` (for KiB/conn lower is better; "+
		"slow-reader MiB are absolute); † marks a value whose repetitions spread by more than 25%%; n/a means the server "+
		"could not be built or does not support the scenario.\n\n",
		cfg.Reps, cfg.Duration, cfg.Warmup, cfg.Loops, runtime.GOMAXPROCS(0), runtime.NumCPU(), BaselineServer)
	if cfg.Pin != nil {
		fmt.Fprintf(&b, "Pinned: %s.\n\n", cfg.Pin)
	}

	tableHeader(&b, append([]string{"scenario", "unit"}, names...))
	for _, c := range r.Cells {
		switch {
		case c.Scenario.Kind == KindLoopback:
			tableRow(&b, r.referenceRow(c, len(names)))
		case !c.Scenario.InProcess():
			row := []string{c.Scenario.Name(), unitOf(c)}
			for _, n := range names {
				row = append(row, r.valueCell(c, n))
			}
			tableRow(&b, row)
		}
	}
	r.writeLimitShare(&b, names)
	r.writeLatency(&b, names)
	r.writeUsage(&b, names)
	r.writeWaitlist(&b)
	r.writeNotes(&b, names)
	_, err := io.WriteString(w, b.String())
	return err
}

// names returns the server names in configuration order.
func (r *Report) names() []string {
	names := make([]string, len(r.Config.Servers))
	for i, s := range r.Config.Servers {
		names[i] = s.Name
	}
	return names
}

// missing returns "n/a" or "error" when name has no result in c, else "".
func (r *Report) missing(c Cell, name string) string {
	if _, gone := r.Unavailable[name]; gone {
		return "n/a"
	}
	if _, ok := c.Unsupported[name]; ok {
		return "n/a"
	}
	if len(c.Results[name]) == 0 {
		return "error"
	}
	return ""
}

func (r *Report) valueCell(c Cell, name string) string {
	if m := r.missing(c, name); m != "" {
		return m
	}
	s, _ := Summarize(c.Results[name])
	out := formatValue(s.Value, s.Unit)
	if s.Capped {
		out = "≥" + out
	}
	if ratio, ok := r.ratio(c, name); ok {
		out += fmt.Sprintf(" (%.2f×)", ratio)
	}
	if s.Unit == UnitMiBGrowth {
		out += ", pushed " + formatBytes(s.Count)
	}
	if s.Noisy() {
		out += " †"
	}
	out += cpuPerOp(s) // the steadier figure on a shared machine
	if s.Mismatches > 0 {
		out += " ⚠"
	}
	return out
}

// referenceRow is the loopback row: its value sits in the unit column,
// because no server is involved.
func (r *Report) referenceRow(c Cell, servers int) []string {
	row := []string{c.Scenario.Name() + " (reference: one stream, no server)"}
	if s, ok := Summarize(c.Results[InProcess]); ok {
		row = append(row, formatValue(s.Value, s.Unit)+" "+s.Unit)
	} else {
		row = append(row, "error")
	}
	for range servers {
		row = append(row, "—")
	}
	return row
}

// writeLimitShare says how much of the loopback reference each server's
// single-stream bulk rate reaches.
func (r *Report) writeLimitShare(b *strings.Builder, names []string) {
	var limit float64
	var bulk *Cell
	for i, c := range r.Cells {
		switch {
		case c.Scenario.Kind == KindLoopback:
			if s, ok := Summarize(c.Results[InProcess]); ok {
				limit = s.Value
			}
		case c.Scenario.Kind == KindBulk && c.Scenario.Conns == 1:
			bulk = &r.Cells[i]
		}
	}
	if limit <= 0 || bulk == nil {
		return
	}
	var parts []string
	for _, n := range names {
		if s, ok := Summarize(bulk.Results[n]); ok {
			parts = append(parts, fmt.Sprintf("`%s` %.0f%%", n, 100*s.Value/limit))
		}
	}
	if len(parts) > 0 {
		fmt.Fprintf(b, "\n%s reaches, of the loopback reference: %s.\n", bulk.Scenario.Name(), strings.Join(parts, ", "))
	}
}

func (r *Report) writeLatency(b *strings.Builder, names []string) {
	r.writeCellTable(b, names, "\nRound-trip latency, p50 / p99:\n\n",
		func(c Cell) bool { return c.Scenario.Kind == KindTCPPingPong || c.Scenario.Kind == KindUDPPingPong },
		r.latencyCell)
}

// writeCellTable writes title and a table with a row for every cell that
// keep accepts: the scenario's name, then cell(c, n) for each server n. It
// writes nothing when no cell is kept.
func (r *Report) writeCellTable(b *strings.Builder, names []string, title string, keep func(Cell) bool, cell func(Cell, string) string) {
	var rows [][]string
	for _, c := range r.Cells {
		if !keep(c) {
			continue
		}
		row := []string{c.Scenario.Name()}
		for _, n := range names {
			row = append(row, cell(c, n))
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return
	}
	b.WriteString(title)
	tableHeader(b, append([]string{"scenario"}, names...))
	for _, row := range rows {
		tableRow(b, row)
	}
}

func (r *Report) latencyCell(c Cell, name string) string {
	if m := r.missing(c, name); m != "" {
		return m
	}
	s, _ := Summarize(c.Results[name])
	return formatLatency(s.P50) + " / " + formatLatency(s.P99)
}

// unitOf returns the unit of a scenario's headline value.
func unitOf(c Cell) string {
	switch c.Scenario.Kind {
	case KindBulk, KindLoopback:
		return UnitMBps
	case KindIdle:
		return UnitKiBPerConn
	case KindSlowReader:
		return UnitMiBGrowth
	case KindWaitlist:
		return UnitNsPerWait
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
