package bench

import (
	"errors"
	"fmt"
	"strings"
)

// writeNotes lists what the tables cannot show: unavailable and unsupported
// servers, failed repetitions, noisy values, UDP losses, corrupted echoes
// and slow-reader runs stopped at the memory cap.
func (r *Report) writeNotes(b *strings.Builder, names []string) {
	var notes []string
	for _, n := range names {
		if err, gone := r.Unavailable[n]; gone {
			notes = append(notes, fmt.Sprintf("`%s` unavailable: %v", n, err))
		}
	}
	seen := map[string]bool{}
	for _, c := range r.Cells {
		for _, n := range append([]string{InProcess}, names...) {
			var ce *CannotError
			if err, ok := c.Unsupported[n]; ok && errors.As(err, &ce) {
				if !seen[n+"/"+string(ce.Kind)] {
					seen[n+"/"+string(ce.Kind)] = true
					notes = append(notes, fmt.Sprintf("`%s` cannot run %s (n/a in every %s row): %s", n, ce.Kind, ce.Kind, ce.Why))
				}
			} else if ok && !seen[n+"/"+c.Scenario.Proto()] {
				seen[n+"/"+c.Scenario.Proto()] = true
				notes = append(notes, fmt.Sprintf("`%s` does not support %s (n/a in every %s row): %s", n, c.Scenario.Proto(), c.Scenario.Proto(), firstLine(err)))
			}
			notes = append(notes, cellNotes(c, n)...)
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

// cellNotes are the notes about one server (or InProcess) in one cell.
func cellNotes(c Cell, n string) []string {
	var notes []string
	name := c.Scenario.Name()
	if errs := c.Errors[n]; len(errs) > 0 {
		notes = append(notes, fmt.Sprintf("`%s` %s: %d failed repetition(s), first: %s", n, name, len(errs), firstLine(errs[0])))
	}
	s, ok := Summarize(c.Results[n])
	if !ok {
		return notes
	}
	if s.Noisy() {
		notes = append(notes, fmt.Sprintf("† `%s` %s: repetitions ranged %s–%s %s", n, name,
			formatValue(s.Min, s.Unit), formatValue(s.Max, s.Unit), s.Unit))
	}
	if s.Losses > 0 {
		notes = append(notes, fmt.Sprintf("`%s` %s: %d datagram(s) lost over %d repetition(s)", n, name, s.Losses, s.Reps))
	}
	if s.Mismatches > 0 {
		notes = append(notes, fmt.Sprintf("⚠ `%s` %s: %d echo mismatch(es): the server corrupted data", n, name, s.Mismatches))
	}
	if s.Capped {
		notes = append(notes, fmt.Sprintf("`%s` %s: the server grew past the memory cap, so the push was stopped early (≥ means at least)", n, name))
	}
	return notes
}

// firstLine is err's message up to its first line break, so that one note
// stays one list item.
func firstLine(err error) string {
	line, _, cut := strings.Cut(err.Error(), "\n")
	if cut {
		line += " …"
	}
	return line
}
