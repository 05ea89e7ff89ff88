package room

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/usocket-go/usocket/reactor"
)

// Defaults of the Room's limits.
const (
	DefaultMaxQueue  = 256 << 10
	DefaultMaxLine   = 4 << 10
	DefaultLineRate  = 10 // lines per second per client
	DefaultLineBurst = 20
)

// maxWho bounds the names one /who answer lists.
const maxWho = 50

// Room is a reactor.Handler: a line-based chat room served by reactor callbacks: every line a
// member sends goes to every other member. It runs on the event loops, with
// no goroutine per client, and is built to face untrusted clients:
//
//   - Output is bounded. Every byte the room writes to a client (the
//     prompt, answers to commands, other members' lines, notices) goes
//     through one path that checks reactor.Conn.Buffered: a client whose
//     queue would pass MaxQueue is too slow to keep up and is disconnected
//     at once (Abort drops its queue), and the others are told.
//   - Input waits for output. While a client's own queue holds more than
//     a quarter of MaxQueue, the room stops handling its lines and pauses
//     reading from it (PauseRead), so that a client that never reads
//     cannot make the room queue replies without end; TCP flow control
//     then holds it back. Reading resumes once the queue has drained.
//   - Senders are rate-limited: each client may send LineRate lines per
//     second (bursts of LineBurst); past that its reading is paused until
//     its budget refills. One flooder therefore cannot fill the queues of
//     honest members and get them disconnected as too slow.
//   - An unfinished line is kept up to MaxLine bytes; a longer line
//     disconnects the client.
//   - Names are unique (ignoring case) and made of printable characters;
//     control characters (ANSI escape sequences), bidirectional controls
//     and invalid UTF-8 in lines are shown escaped (\x1b), never sent raw
//     to other members' terminals.
type Room struct {
	reactor.BaseHandler

	// MaxQueue bounds each client's outbound queue in bytes; 0 means
	// DefaultMaxQueue.
	MaxQueue int
	// MaxLine bounds one input line in bytes; 0 means DefaultMaxLine.
	MaxLine int
	// LineRate is how many lines per second each client may send, and
	// LineBurst how many at once; 0 means DefaultLineRate and
	// DefaultLineBurst. A negative LineRate turns the limit off.
	LineRate  float64
	LineBurst int

	// Clock is the rate limiter's clock; nil means time.Now. Tests and
	// simulations set it.
	Clock func() time.Time
	// OnPause, if set, is called on the client's event loop each time the
	// room pauses reading from a client: why is "output" (its own queue is
	// backed up) or "rate" (it sends too fast). It must not block.
	OnPause func(c *reactor.Conn, why string)

	peak atomic.Int64 // the largest outbound queue seen, for PeakQueued

	mu      sync.Mutex
	members map[*reactor.Conn]*member // clients that have a name
	names   map[string]*reactor.Conn  // foldName(name) → its member
}

var _ reactor.Handler = (*Room)(nil)

func (r *Room) maxQueue() int { return orDefault(r.MaxQueue, DefaultMaxQueue) }
func (r *Room) maxLine() int  { return orDefault(r.MaxLine, DefaultMaxLine) }

// pauseAt is the queue size past which a client's input waits.
func (r *Room) pauseAt() int { return r.maxQueue() / 4 }

func orDefault(v, def int) int {
	if v > 0 {
		return v
	}
	return def
}

func (r *Room) clock() time.Time {
	if r.Clock != nil {
		return r.Clock()
	}
	return time.Now()
}

// OnOpen greets the client and asks for its name.
func (r *Room) OnOpen(c *reactor.Conn) {
	c.SetContext(&member{})
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sendLocked(c, "* welcome; send your name\n")
}

// OnData handles the complete lines it may and keeps the rest.
func (r *Room) OnData(c *reactor.Conn, data []byte) {
	m, ok := c.Context().(*member)
	if !ok {
		return
	}
	r.drain(c, m, data)
}

// OnClose removes the member, if it is still in the room, and tells the
// others.
func (r *Room) OnClose(c *reactor.Conn, _ error) {
	if m, ok := c.Context().(*member); ok {
		m.closed = true
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.leaveLocked(c, "left")
}

// Notice sends msg to every member (used on shutdown).
func (r *Room) Notice(msg string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.broadcastLocked(nil, msg)
}

// handleLine runs one complete input line; it reports false when c is
// being closed.
func (r *Room) handleLine(c *reactor.Conn, m *member, line string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	cmd, arg, _ := strings.Cut(line, " ")
	switch {
	case m.name == "":
		return r.join(c, m, line)
	case cmd == "/nick":
		return r.rename(c, m, arg)
	case cmd == "/who":
		return r.sendLocked(c, "* here: "+r.whoLocked()+"\n")
	case cmd == "/quit":
		r.leaveLocked(c, "left")
		_ = c.Close()
		return false
	case line == "":
		return true
	}
	r.broadcastLocked(c, m.name+": "+escapeText(line)+"\n")
	return true
}

func (r *Room) join(c *reactor.Conn, m *member, name string) bool {
	name, ok := cleanName(name)
	switch {
	case !ok:
		return r.sendLocked(c, "* a name is 1 to 32 printable characters without spaces or '/'; send your name\n")
	case r.takenLocked(name, c):
		return r.sendLocked(c, "* the name "+name+" is taken; send another\n")
	}
	if r.members == nil {
		r.members = make(map[*reactor.Conn]*member)
		r.names = make(map[string]*reactor.Conn)
	}
	m.name = name
	r.members[c] = m
	r.names[foldName(name)] = c
	if !r.sendLocked(c, fmt.Sprintf("* hello %s, %d here\n", name, len(r.members))) {
		return false
	}
	r.broadcastLocked(c, "* "+name+" joined\n")
	return true
}

func (r *Room) rename(c *reactor.Conn, m *member, name string) bool {
	name, ok := cleanName(name)
	switch {
	case !ok:
		return r.sendLocked(c, "* usage: /nick NAME (1 to 32 printable characters without spaces or '/')\n")
	case r.takenLocked(name, c):
		return r.sendLocked(c, "* the name "+name+" is taken\n")
	}
	old := m.name
	delete(r.names, foldName(old))
	m.name = name
	r.names[foldName(name)] = c
	r.broadcastLocked(nil, fmt.Sprintf("* %s is now %s\n", old, name))
	return true
}

// takenLocked reports whether another member than c has name, ignoring
// case.
func (r *Room) takenLocked(name string, c *reactor.Conn) bool {
	owner, ok := r.names[foldName(name)]
	return ok && owner != c
}

// leaveLocked takes c out of the room and tells the others why.
func (r *Room) leaveLocked(c *reactor.Conn, why string) {
	m, ok := r.members[c]
	if !ok {
		return
	}
	delete(r.members, c)
	delete(r.names, foldName(m.name))
	r.broadcastLocked(nil, fmt.Sprintf("* %s %s\n", m.name, why))
}

// reject tells c why and closes it.
func (r *Room) reject(c *reactor.Conn, why string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.leaveLocked(c, "left")
	r.sendLocked(c, "* "+why+"\n")
	_ = c.Close()
}

// whoLocked lists the members' names, at most maxWho of them.
func (r *Room) whoLocked() string {
	names := make([]string, 0, len(r.members))
	for _, m := range r.members {
		names = append(names, m.name)
	}
	sort.Strings(names)
	if len(names) > maxWho {
		return fmt.Sprintf("%s and %d more", strings.Join(names[:maxWho], ", "), len(names)-maxWho)
	}
	return strings.Join(names, ", ")
}
