package bench

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strconv"
	"time"
)

// ErrBadStat reports a /proc/PID/stat file that could not be parsed.
var ErrBadStat = errors.New("bench: unparsable process stat")

// clockTick is the unit of utime and stime in /proc/PID/stat (USER_HZ,
// 100 on every Linux this harness targets).
const clockTick = 10 * time.Millisecond

// ReadCPUTime returns the CPU time (user plus system) process pid has used so
// far, read from /proc/PID/stat with a resolution of one clock tick (10 ms).
func ReadCPUTime(pid int) (time.Duration, error) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, fmt.Errorf("read cpu time: %w", err)
	}
	return parseCPUTime(raw)
}

// parseCPUTime extracts utime+stime (fields 14 and 15) from a stat line. The
// command name (field 2) is in parentheses and may hold spaces, so fields
// are counted after its closing parenthesis.
func parseCPUTime(stat []byte) (time.Duration, error) {
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, fmt.Errorf("%w: no command name", ErrBadStat)
	}
	fields := bytes.Fields(stat[i+1:]) // starts at field 3, state
	const utime, stime = 14 - 3, 15 - 3
	if len(fields) <= stime {
		return 0, fmt.Errorf("%w: %d fields after the command name", ErrBadStat, len(fields))
	}
	var total int64
	for _, f := range [][]byte{fields[utime], fields[stime]} {
		n, err := strconv.ParseInt(string(f), 10, 64)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("%w: tick count %q", ErrBadStat, f)
		}
		total += n
	}
	return time.Duration(total) * clockTick, nil
}
