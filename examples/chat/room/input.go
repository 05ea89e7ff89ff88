package room

import (
	"bytes"
	"strings"
	"time"

	"github.com/usocket-go/usocket/reactor"
)

// drainPoll is how often a client whose input waits for its output queue
// to drain is looked at again.
const drainPoll = 20 * time.Millisecond

// member is one client. name is guarded by Room.mu; the other fields are
// touched only by the client's own callbacks and timers, which run on its
// event loop one at a time.
type member struct {
	name string

	in     []byte // received, not yet handled; starts at a line boundary
	paused bool   // reading is paused: input waits here and in the kernel
	waking bool   // a timer will call drain again
	closed bool   // OnClose came
	quota  bucket // the sender's rate limit
}

// drain handles the complete lines of the client's input (what m.in
// holds, then data) for as long as its output queue has room and its rate
// limit allows; then it pauses reading and arms a timer to go on, or, with
// every line handled, resumes reading. While reading is paused no OnData
// comes, so m.in holds at most one read plus one unfinished line, and
// nothing once everything is handled.
func (r *Room) drain(c *reactor.Conn, m *member, data []byte) {
	buf := data
	if len(m.in) > 0 {
		m.in = append(m.in, data...)
		buf = m.in
	}
	off := 0
	defer func() { m.keep(buf[off:]) }()
	for !m.closed {
		i := bytes.IndexByte(buf[off:], '\n')
		if i < 0 {
			if len(buf)-off > r.maxLine() {
				r.reject(c, "line too long")
				return
			}
			break
		}
		if i > r.maxLine() {
			r.reject(c, "line too long")
			return
		}
		if c.Buffered() >= r.pauseAt() {
			r.wait(c, m, drainPoll, "output")
			return
		}
		if d := m.quota.take(r.clock(), r.LineRate, r.LineBurst); d > 0 {
			r.wait(c, m, d, "rate")
			return
		}
		line := strings.TrimRight(string(buf[off:off+i]), "\r")
		off += i + 1
		if !r.handleLine(c, m, line) {
			return
		}
	}
	if m.paused && !m.closed {
		m.paused = false
		_ = c.ResumeRead()
	}
}

// keep makes rest (unhandled input, possibly a suffix of m.in) the new
// m.in, freeing the buffer when nothing is left.
func (m *member) keep(rest []byte) {
	if len(rest) == 0 {
		m.in = nil
		return
	}
	m.in = append(m.in[:0], rest...)
}

// wait pauses reading from c and calls drain again after d.
func (r *Room) wait(c *reactor.Conn, m *member, d time.Duration, why string) {
	if !m.paused {
		m.paused = true
		_ = c.PauseRead()
		if r.OnPause != nil {
			r.OnPause(c, why)
		}
	}
	if m.waking {
		return
	}
	m.waking = true
	_, err := c.AfterFunc(d, func() {
		m.waking = false
		if !m.closed { // a timer may outlive its connection
			r.drain(c, m, nil)
		}
	})
	if err != nil { // the reactor is stopping
		m.waking = false
	}
}
