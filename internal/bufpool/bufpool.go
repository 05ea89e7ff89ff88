package bufpool

import (
	"sync"
	"sync/atomic"

	"golang.org/x/sys/cpu"
)

// classes are the capacities handed out, smallest first.
var classes = [...]int{512, 4 << 10, 16 << 10, 64 << 10, 256 << 10}

// keep caps how many buffers of each class the pool holds (0: no cap, for
// the small classes that per-message traffic uses). Without a cap, a crowd
// of connections that queued megabytes each would leave all of it pooled
// when they go, out of the GC's reach until two collections have passed.
// With it the pool holds at most 8 + 16 + 8 MiB of the large classes and
// the rest is garbage at once.
var keep = [len(classes)]int64{0, 0, 512, 256, 32}

var pools [len(classes)]sync.Pool

// pooled approximates how many buffers of a capped class the pool holds.
// The GC empties a sync.Pool without telling, so the count only errs high
// until the next Get that finds the pool empty, which resets it.
var pooled [len(classes)]struct {
	n atomic.Int64
	_ cpu.CacheLinePad
}

// Get returns a buffer of length 0 and capacity at least n.
func Get(n int) *[]byte {
	for i, c := range classes {
		if n <= c {
			if p, ok := pools[i].Get().(*[]byte); ok {
				if keep[i] > 0 {
					pooled[i].n.Add(-1)
				}
				return p
			}
			if keep[i] > 0 {
				pooled[i].n.Store(0) // the pool is empty, whatever the count said
			}
			b := make([]byte, 0, c)
			return &b
		}
	}
	b := make([]byte, 0, n)
	return &b
}

// Put returns p for reuse. p must not be used afterwards. A buffer of no
// class, or of a class the pool holds enough of, is left to the GC.
func Put(p *[]byte) {
	if p == nil {
		return
	}
	c := cap(*p)
	for i := len(classes) - 1; i >= 0; i-- {
		if c == classes[i] {
			if keep[i] > 0 {
				if pooled[i].n.Load() >= keep[i] {
					return
				}
				pooled[i].n.Add(1)
			}
			*p = (*p)[:0]
			pools[i].Put(p)
			return
		}
	}
}
