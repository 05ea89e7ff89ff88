package bufpool

import "sync"

// classes are the capacities handed out, smallest first.
var classes = [...]int{512, 4 << 10, 16 << 10, 64 << 10, 256 << 10}

var pools [len(classes)]sync.Pool

// Get returns a buffer of length 0 and capacity at least n.
func Get(n int) *[]byte {
	for i, c := range classes {
		if n <= c {
			if p, ok := pools[i].Get().(*[]byte); ok {
				return p
			}
			b := make([]byte, 0, c)
			return &b
		}
	}
	b := make([]byte, 0, n)
	return &b
}

// Put returns p for reuse. p must not be used afterwards.
func Put(p *[]byte) {
	if p == nil {
		return
	}
	c := cap(*p)
	for i := len(classes) - 1; i >= 0; i-- {
		if c == classes[i] {
			*p = (*p)[:0]
			pools[i].Put(p)
			return
		}
	}
}
