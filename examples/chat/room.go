package main

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/usocket-go/usocket/reactor"
)

// Room is a line-based chat room served by reactor callbacks: every line a
// member sends goes to every other member. It runs on the event loops, with
// no goroutine per client.
//
// Memory is bounded both ways:
//   - inbound, a client's unfinished line is kept up to MaxLine bytes; a
//     longer line disconnects it;
//   - outbound, before a message is queued for a member the room checks
//     reactor.Conn.Buffered: if the member's queue would go over MaxQueue,
//     the member is too slow to keep up, so it is disconnected at once
//     (Abort, its queue is dropped) and the others are told. A slow client
//     therefore costs at most MaxQueue bytes of server memory, plus its
//     kernel socket buffer, and never slows the others down.
type Room struct {
	reactor.BaseHandler

	// MaxQueue bounds each member's outbound queue in bytes; 0 means 256 KiB.
	MaxQueue int
	// MaxLine bounds one input line in bytes; 0 means 4 KiB.
	MaxLine int

	mu      sync.Mutex
	members map[*reactor.Conn]*member
}

// member is one client. name is guarded by Room.mu; partial is touched
// only by the client's own callbacks, which never overlap.
type member struct {
	name    string
	partial []byte
}

var _ reactor.Handler = (*Room)(nil)

func (r *Room) maxQueue() int {
	if r.MaxQueue > 0 {
		return r.MaxQueue
	}
	return 256 << 10
}

func (r *Room) maxLine() int {
	if r.MaxLine > 0 {
		return r.MaxLine
	}
	return 4 << 10
}

// OnOpen greets the client and asks for its name.
func (r *Room) OnOpen(c *reactor.Conn) {
	c.SetContext(&member{})
	_, _ = c.Write([]byte("* welcome; send your name\n"))
}

// OnData splits the input into lines and acts on each.
func (r *Room) OnData(c *reactor.Conn, data []byte) {
	m, ok := c.Context().(*member)
	if !ok {
		return
	}
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			if len(m.partial)+len(data) > r.maxLine() {
				r.reject(c, "line too long")
				return
			}
			m.partial = append(m.partial, data...)
			return
		}
		line := data[:i]
		if len(m.partial) > 0 {
			m.partial = append(m.partial, line...)
			line = m.partial
		}
		if len(line) > r.maxLine() {
			r.reject(c, "line too long")
			return
		}
		r.handleLine(c, m, strings.TrimRight(string(line), "\r"))
		m.partial = m.partial[:0]
		data = data[i+1:]
	}
}

// OnClose removes the member, if it is still in the room, and tells the
// others.
func (r *Room) OnClose(c *reactor.Conn, _ error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.leaveLocked(c, "left")
}

// leaveLocked takes c out of the room and tells the others why.
func (r *Room) leaveLocked(c *reactor.Conn, why string) {
	m, ok := r.members[c]
	if !ok {
		return
	}
	delete(r.members, c)
	r.broadcastLocked(nil, fmt.Sprintf("* %s %s\n", m.name, why))
}

func (r *Room) reject(c *reactor.Conn, why string) {
	r.mu.Lock()
	r.leaveLocked(c, "left")
	r.mu.Unlock()
	_, _ = c.Write([]byte("* " + why + "\n"))
	_ = c.Close()
}

// handleLine runs one complete input line.
func (r *Room) handleLine(c *reactor.Conn, m *member, line string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	cmd, arg, _ := strings.Cut(line, " ")
	switch {
	case m.name == "":
		r.join(c, m, line)
	case cmd == "/nick":
		r.rename(c, m, arg)
	case cmd == "/who":
		_, _ = c.Write([]byte("* here: " + strings.Join(r.namesLocked(), ", ") + "\n"))
	case cmd == "/quit":
		r.leaveLocked(c, "left")
		_ = c.Close()
	default:
		r.broadcastLocked(c, m.name+": "+line+"\n")
	}
}

func (r *Room) join(c *reactor.Conn, m *member, name string) {
	name, ok := cleanName(name)
	if !ok {
		_, _ = c.Write([]byte("* a name is 1 to 32 characters without spaces; send your name\n"))
		return
	}
	if r.members == nil {
		r.members = make(map[*reactor.Conn]*member)
	}
	m.name = name
	r.members[c] = m
	_, _ = c.Write([]byte(fmt.Sprintf("* hello %s, %d here\n", name, len(r.members))))
	r.broadcastLocked(c, "* "+name+" joined\n")
}

func (r *Room) rename(c *reactor.Conn, m *member, name string) {
	name, ok := cleanName(name)
	if !ok {
		_, _ = c.Write([]byte("* usage: /nick NAME\n"))
		return
	}
	old := m.name
	m.name = name
	r.broadcastLocked(nil, fmt.Sprintf("* %s is now %s\n", old, name))
}

// cleanName accepts 1 to 32 printable characters without spaces.
func cleanName(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 32 || strings.ContainsAny(s, " \t/") {
		return "", false
	}
	return s, true
}

// broadcastLocked queues msg for every member except from. A member whose
// queue would exceed MaxQueue is disconnected instead, and the others are
// told (which may in turn find more slow members). r.mu is held.
func (r *Room) broadcastLocked(from *reactor.Conn, msg string) {
	b := []byte(msg)
	var slow []*reactor.Conn
	for c := range r.members {
		if c == from {
			continue
		}
		if c.Buffered()+len(b) > r.maxQueue() {
			slow = append(slow, c)
			continue
		}
		_, _ = c.Write(b)
	}
	for _, c := range slow {
		_ = c.Abort()
		r.leaveLocked(c, "was disconnected (too slow)")
	}
}

// Notice sends msg to every member (used on shutdown).
func (r *Room) Notice(msg string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.broadcastLocked(nil, msg)
}

func (r *Room) namesLocked() []string {
	names := make([]string, 0, len(r.members))
	for _, m := range r.members {
		names = append(names, m.name)
	}
	sort.Strings(names)
	return names
}
