package reactortls

import (
	"crypto/tls"
	"errors"

	"github.com/usocket-go/usocket/internal/connlayer"
	"github.com/usocket-go/usocket/reactor"
)

// opened starts the handshake timeout, then the handshake, or waits for
// a slot without reading.
func (t *tlsConn) opened() {
	t.timer, _ = t.c.AfterFunc(t.s.timeout, t.timedOut)
	if t.s.lim.acquire(t) {
		t.begin()
		return
	}
	_ = t.c.PauseRead()
}

// start runs on the loop when a waiter was granted a slot.
func (t *tlsConn) start() {
	if !t.s.lim.started(t) {
		return
	}
	_ = t.c.ResumeRead()
	t.begin()
}

// begin starts the handshake goroutine. It blocks on what the loop feeds
// it, and ends with the handshake.
func (t *tlsConn) begin() {
	t.phase = phaseHandshake
	if t.s.client {
		t.tc = tls.Client(&t.tr, t.s.tls)
	} else {
		t.tc = tls.Server(&t.tr, t.s.tls)
	}
	go t.handshake()
}

func (t *tlsConn) handshake() {
	err := t.tc.Handshake()
	t.s.lim.release(t)
	if err == nil {
		_ = t.c.Execute(t.establishedFn) // if the connection closed meanwhile, OnClose cleans up
		return
	}
	if t.tr.isEnded() {
		return // closed or timed out under us: reported there
	}
	t.failHandshake(err)
	_ = connlayer.Request(t.c, connlayer.Close) // flushes the alert tls queued
}

// failHandshake reports a failed handshake: to the error hook on a server,
// to OnClose (through t.err) on a client. Any goroutine; it is called
// before the connection is asked to close, so OnClose sees t.err.
func (t *tlsConn) failHandshake(err error) {
	he := &HandshakeError{Peer: t.c.RemoteAddrPort(), Err: err}
	t.tr.mu.Lock()
	first := t.tr.hsErr == nil
	if first {
		t.tr.hsErr = he
	}
	t.tr.mu.Unlock()
	t.tr.fail(he, true)
	if first && !t.s.client {
		connlayer.Report(t.c, he)
	}
}

// timedOut ends a handshake (or the wait for one) that took too long.
func (t *tlsConn) timedOut() {
	if t.phase != phaseWaiting && t.phase != phaseHandshake {
		return
	}
	if t.tr.isEnded() {
		return
	}
	t.failHandshake(ErrHandshakeTimeout)
	_ = t.c.Abort()
}

// established runs on the loop once the handshake goroutine succeeded:
// the loop takes over reading, and the handler's OnOpen comes.
func (t *tlsConn) established() {
	if t.phase != phaseHandshake {
		return
	}
	if t.timer != nil {
		t.timer.Stop()
	}
	t.phase = phaseOpen
	rest, paused := t.tr.goLive()
	t.backlog = rest
	t.open.Store(true)
	if paused {
		_ = t.c.ResumeRead()
	}
	t.h.OnOpen(t.c)
	t.pump(nil)
}

// closed runs on OnClose: it wakes a handshake goroutine, gives up the
// handshake slot, and tells the handler (if it was opened) why.
func (t *tlsConn) closed(err error) {
	was := t.phase
	t.phase = phaseDone
	t.s.lim.leave(t)
	if was != phaseOpen {
		if err == nil || errors.Is(err, reactor.ErrClosed) {
			t.tr.fail(reactor.ErrClosed, true)
		} else if !t.tr.isEnded() {
			t.failHandshake(err)
		}
		if t.s.client {
			t.h.OnClose(t.c, t.handshakeErr(err))
		}
		return
	}
	if t.err != nil {
		err = t.err
	}
	t.backlog = nil
	t.h.OnClose(t.c, err)
}

// handshakeErr is the error a client's OnClose reports for a connection
// that never opened.
func (t *tlsConn) handshakeErr(err error) error {
	t.tr.mu.Lock()
	defer t.tr.mu.Unlock()
	if t.tr.hsErr != nil {
		return t.tr.hsErr
	}
	if err == nil {
		err = reactor.ErrClosed
	}
	return &HandshakeError{Peer: t.c.RemoteAddrPort(), Err: err}
}
