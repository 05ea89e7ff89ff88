package bench

// lowerIsBetter reports whether a smaller value of unit is the better one.
func lowerIsBetter(unit string) bool {
	return unit == UnitKiBPerConn || unit == UnitMiBGrowth || unit == UnitNsPerWait
}

// hasRatio reports whether values of unit are compared with the baseline.
// Slow-reader growth is not: a bounded server grows by about nothing, so a
// ratio to it would only amplify noise; the absolute MiB are what matter.
func hasRatio(unit string) bool {
	return unit != UnitMiBGrowth && unit != UnitNsPerWait
}

// ratio returns the median of name in c relative to the baseline server's,
// and false when either is missing, is zero, or the row has no ratios.
func (r *Report) ratio(c Cell, name string) (float64, bool) {
	if c.Scenario.InProcess() || !hasRatio(unitOf(c)) {
		return 0, false
	}
	s, ok := Summarize(c.Results[name])
	if !ok {
		return 0, false
	}
	base, ok := Summarize(c.Results[BaselineServer])
	if !ok || base.Value <= 0 {
		return 0, false
	}
	return s.Value / base.Value, true
}
