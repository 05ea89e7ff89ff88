package reactortls

import (
	"crypto/tls"
	"io"
	"sync"
	"sync/atomic"

	"github.com/usocket-go/usocket/internal/connlayer"
	"github.com/usocket-go/usocket/internal/ilist"
	"github.com/usocket-go/usocket/reactor"
)

// phase of a connection, owned by its loop.
type phase uint8

const (
	phaseWaiting   phase = iota // waiting for a handshake slot, or not yet opened
	phaseHandshake              // the handshake goroutine runs
	phaseOpen                   // handshaken: the loop reads and decrypts
	phaseDone                   // closed
)

// tlsConn is the TLS layer of one connection: the connlayer.Layer its
// Conn's writes and closes go through, and the state its handler keeps.
type tlsConn struct {
	c  *reactor.Conn
	s  *settings
	h  reactor.Handler
	tc *tls.Conn // set before the handshake goroutine starts
	tr transport

	open atomic.Bool // the handshake finished; tc may be written to

	// Owned by the loop.
	phase    phase
	backlog  []byte // ciphertext received while the handler paused reading
	err      error  // reported to OnClose instead of the socket's reason
	peerFIN  bool   // the peer's TCP FIN came
	notified bool   // the peer's close_notify came, OnEOF was called
	blocked  bool   // OnWriteBlocked was passed on
	timer    *reactor.Timer

	startFn, establishedFn, resumeFn func()

	// Guarded by s.lim.mu.
	slot int
	link ilist.Links[tlsConn] // in the limiter's wait list
}

// ListLinks gives t's place in its limiter's wait list.
func (t *tlsConn) ListLinks() *ilist.Links[tlsConn] { return &t.link }

func newTLSConn(c *reactor.Conn, s *settings, h reactor.Handler) *tlsConn {
	t := &tlsConn{c: c, s: s, h: h}
	t.tr.t = t
	t.tr.cond.L = &t.tr.mu
	t.startFn, t.establishedFn, t.resumeFn = t.start, t.established, t.resume
	return t
}

// Write encrypts b and queues the records.
func (t *tlsConn) Write(b []byte) (int, error) {
	if !t.open.Load() {
		if err := connlayer.WriteErr(t.c); err != nil {
			return 0, err
		}
		return 0, ErrHandshaking
	}
	if len(b) == 0 {
		if err := connlayer.WriteErr(t.c); err != nil {
			return 0, err
		}
		return 0, nil
	}
	n := 0
	for n < len(b) {
		m, err := t.tc.Write(b[n:min(len(b), n+maxChunk)])
		n += m
		if err != nil {
			if werr := connlayer.WriteErr(t.c); werr != nil {
				return n, werr
			}
			return n, err
		}
	}
	return n, nil
}

// maxChunk is the plaintext handed to tls.Conn.Write at once: a record of
// it, with any cipher suite's overhead, is at most 16 KiB, the size of a
// pooled outbound buffer (a full 16 KiB record would take the next size,
// 64 KiB, for each record queued).
const maxChunk = 16<<10 - 128

// CloseWrite sends close_notify, then shuts down the socket's write side
// once everything queued is sent.
func (t *tlsConn) CloseWrite() error {
	if !t.open.Load() {
		if err := connlayer.WriteErr(t.c); err != nil {
			return err
		}
		return ErrHandshaking
	}
	_ = t.tc.CloseWrite() // fails only if the socket is closed, which Request reports
	return connlayer.Request(t.c, connlayer.CloseWrite)
}

// Close sends close_notify, then closes the socket gracefully. Before the
// handshake finished (a server's Shutdown) there is nothing of the
// handler's to flush, and a peer stalled in its handshake would hold the
// close for the linger time: the connection is reset instead.
func (t *tlsConn) Close() error {
	if !t.open.Load() {
		return t.c.Abort()
	}
	if connlayer.WriteErr(t.c) == nil {
		_ = t.tc.CloseWrite()
	}
	return connlayer.Request(t.c, connlayer.Close)
}

// Resumed delivers, on the loop, what was held back while paused.
func (t *tlsConn) Resumed() { _ = t.c.Execute(t.resumeFn) }

func (t *tlsConn) resume() {
	if t.phase == phaseOpen {
		t.pump(nil)
	}
}

// bufPool holds the plaintext buffers pump reads records into.
var bufPool = sync.Pool{New: func() any { b := make([]byte, 16<<10); return &b }}

// pump decrypts the ciphertext received (data, behind any backlog) and
// hands the plaintext to the handler, record by record, until it runs out
// of input, the handler pauses or closes, or the stream ends. What was not
// decrypted is kept for the next round.
func (t *tlsConn) pump(data []byte) {
	if t.notified || t.err != nil {
		return // after close_notify, or a failure, nothing more is read
	}
	if len(t.backlog) > 0 {
		t.backlog = append(t.backlog, data...)
		data = t.backlog
	}
	t.tr.src = data
	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	for t.phase == phaseOpen && t.err == nil && !connlayer.Hold(t.c) {
		n, err := t.tc.Read(*bp)
		if n > 0 {
			t.h.OnData(t.c, (*bp)[:n])
		}
		if err == nil {
			continue
		}
		if err != errAgain {
			t.endStream(err)
		}
		break
	}
	t.keep()
	if t.peerFIN && !t.notified && t.phase == phaseOpen && t.err == nil && len(t.backlog) == 0 && !connlayer.Hold(t.c) {
		t.endStream(ErrTruncated)
	}
}

// keep saves the ciphertext tls did not take in the backlog.
func (t *tlsConn) keep() {
	rest := t.tr.src
	t.tr.src = nil
	if len(rest) == 0 {
		t.backlog = nil
		return
	}
	t.backlog = append(t.backlog[:0], rest...)
}

// endStream handles the end of the TLS stream: io.EOF is the peer's
// close_notify (OnEOF); any other error (a bad record, an alert from the
// peer, ErrTruncated) ends the connection with that error in OnClose.
func (t *tlsConn) endStream(err error) {
	if err == io.EOF {
		t.notified = true
		t.h.OnEOF(t.c)
		return
	}
	if t.err == nil {
		t.err = err
	}
	if err == ErrTruncated {
		_ = connlayer.Request(t.c, connlayer.Close) // the peer's FIN came: this ends at once
		return
	}
	// The session is broken: reset rather than wait for the peer's FIN for
	// the linger time (the alert crypto/tls queued is dropped).
	_ = t.c.Abort()
}
