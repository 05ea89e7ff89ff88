package waitlist_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"

	"github.com/usocket-go/usocket/waitlist"
)

// pipe is a toy socket: it is read-ready while it holds messages or once
// closed. Real sockets in usocket and udp implement Source the same way.
type pipe struct {
	name   string
	sig    waitlist.Signal
	mu     sync.Mutex
	msgs   []string
	closed bool
}

func (p *pipe) Ready() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.msgs) > 0 || p.closed
}

func (p *pipe) WaitSignal() *waitlist.Signal { return &p.sig }

// deliver is what the event loop does: buffer, then notify.
func (p *pipe) deliver(msg string) {
	p.mu.Lock()
	p.msgs = append(p.msgs, msg)
	p.mu.Unlock()
	p.sig.Notify()
}

func (p *pipe) read() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	m := p.msgs[0]
	p.msgs = p.msgs[1:]
	return m
}

func Example() {
	a, b, c := &pipe{name: "a"}, &pipe{name: "b"}, &pipe{name: "c"}
	l, err := waitlist.New(a, b, c)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer l.RemoveAll()
	ctx := context.Background()

	// Nothing buffered: a poll times out.
	_, err = l.Wait(ctx, 0)
	fmt.Println("poll:", errors.Is(err, os.ErrDeadlineExceeded))

	c.deliver("hello")
	a.deliver("world")
	ready, err := l.Wait(ctx, waitlist.Forever)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range ready {
		p := s.(*pipe)
		fmt.Println(p.name, p.read())
	}

	st, _ := waitlist.Wait(ctx, 0, b)
	fmt.Println("b ready:", len(st))
	// Output:
	// poll: true
	// a world
	// c hello
	// b ready: 0
}
