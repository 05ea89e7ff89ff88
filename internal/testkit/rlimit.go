//go:build unix

package testkit

import (
	"errors"
	"fmt"

	"golang.org/x/sys/unix"
)

// Exhaustion holds a process at its open-file limit: ExhaustFDs lowers the
// soft RLIMIT_NOFILE a little above the highest open descriptor and opens
// /dev/null until the next open fails with EMFILE. Meant for child
// processes (RunChild), since the limit is process-wide.
type Exhaustion struct {
	fillers []int
	old     unix.Rlimit
	done    bool
}

// ExhaustFDs uses up every descriptor the process may open. Call Restore
// (or Free) to give them back.
func ExhaustFDs() (*Exhaustion, error) {
	e := &Exhaustion{}
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &e.old); err != nil {
		return nil, fmt.Errorf("testkit: getrlimit: %w", err)
	}
	fds, err := OpenFDs()
	if err != nil {
		return nil, err
	}
	highest := 0
	for fd := range fds {
		highest = max(highest, fd)
	}
	lim := e.old
	setLimit(&lim.Cur, highest+16)
	if err := unix.Setrlimit(unix.RLIMIT_NOFILE, &lim); err != nil {
		return nil, fmt.Errorf("testkit: setrlimit: %w", err)
	}
	for {
		fd, err := unix.Open("/dev/null", unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if errors.Is(err, unix.EMFILE) {
			return e, nil
		}
		if err != nil {
			_ = e.Restore()
			return nil, fmt.Errorf("testkit: open /dev/null: %w", err)
		}
		e.fillers = append(e.fillers, fd)
	}
}

// Len reports how many filler descriptors are still open.
func (e *Exhaustion) Len() int { return len(e.fillers) }

// Free closes n filler descriptors (all of them if n exceeds their
// number), so that exactly n more descriptors can be opened; the limit
// stays lowered.
func (e *Exhaustion) Free(n int) {
	for ; n > 0 && len(e.fillers) > 0; n-- {
		last := len(e.fillers) - 1
		_ = unix.Close(e.fillers[last])
		e.fillers = e.fillers[:last]
	}
}

// Restore closes every filler and puts the old limit back. A second call
// does nothing.
func (e *Exhaustion) Restore() error {
	if e.done {
		return nil
	}
	e.done = true
	e.Free(len(e.fillers))
	if err := unix.Setrlimit(unix.RLIMIT_NOFILE, &e.old); err != nil {
		return fmt.Errorf("testkit: setrlimit: %w", err)
	}
	return nil
}

// setLimit stores v in an rlimit field, which is uint64 on most systems
// and int64 on the BSDs.
func setLimit[T int64 | uint64](field *T, v int) { *field = T(v) }
