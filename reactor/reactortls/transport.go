package reactortls

import (
	"net"
	"sync"
	"time"

	"github.com/usocket-go/usocket/internal/connlayer"
)

// handshakeInputMax bounds the bytes a connection buffers for its
// handshake goroutine: above it, the connection stops reading until the
// goroutine has taken them.
const handshakeInputMax = 64 << 10

// transport is the net.Conn under a connection's tls.Conn. Writes queue
// ciphertext on the reactor connection. Reads come in two phases: during
// the handshake, the handshake goroutine blocks in Read on bytes the loop
// feeds it (feed); once the loop owns the connection (live), Read takes
// from src, the ciphertext the loop just received, and reports errAgain
// when it is empty; crypto/tls keeps no error that is a temporary
// net.Error, so a later Read goes on where this one stopped.
type transport struct {
	t *tlsConn

	// Loop-owned once live.
	live bool
	src  []byte

	mu       sync.Mutex
	cond     sync.Cond
	hs       []byte          // handshake input not yet read
	err      error           // Reads fail with it once hs is empty
	ended    bool            // the connection ended (closed, timed out): reads fail at once
	pausedHS bool            // the connection stopped reading because hs was full
	hsErr    *HandshakeError // why the handshake failed, once it did
}

// errAgain is Read's "no more input for now".
var errAgain net.Error = wouldBlock{}

type wouldBlock struct{}

func (wouldBlock) Error() string   { return "reactortls: no more input for now" }
func (wouldBlock) Timeout() bool   { return false }
func (wouldBlock) Temporary() bool { return true }

func (tr *transport) Read(p []byte) (int, error) {
	if tr.live {
		if len(tr.src) == 0 {
			return 0, errAgain
		}
		n := copy(p, tr.src)
		tr.src = tr.src[n:]
		return n, nil
	}
	tr.mu.Lock()
	defer tr.mu.Unlock()
	for len(tr.hs) == 0 && tr.err == nil {
		tr.cond.Wait()
	}
	if tr.ended || len(tr.hs) == 0 {
		return 0, tr.err
	}
	n := copy(p, tr.hs)
	tr.hs = tr.hs[n:]
	if len(tr.hs) == 0 {
		tr.hs = nil
	}
	if tr.pausedHS && len(tr.hs) < handshakeInputMax/2 {
		tr.pausedHS = false
		_ = tr.t.c.ResumeRead()
	}
	return n, nil
}

// feed hands the handshake goroutine bytes the loop received; it reports
// whether the connection should stop reading for now.
func (tr *transport) feed(b []byte) (pause bool) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.hs = append(tr.hs, b...)
	tr.cond.Signal()
	if len(tr.hs) >= handshakeInputMax && !tr.pausedHS {
		tr.pausedHS = true
		return true
	}
	return false
}

// fail makes Reads fail with err (the first error wins): after the input
// already fed, or at once if ended.
func (tr *transport) fail(err error, ended bool) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	if tr.err == nil {
		tr.err = err
	}
	if ended {
		tr.ended = true
	}
	tr.cond.Broadcast()
}

// isEnded reports whether the connection ended under the handshake.
func (tr *transport) isEnded() bool {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return tr.ended
}

// goLive hands reading to the loop, and returns the handshake input the
// goroutine did not read (received after the handshake's last message).
func (tr *transport) goLive() (rest []byte, paused bool) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	rest, paused = tr.hs, tr.pausedHS
	tr.hs, tr.pausedHS = nil, false
	tr.live = true
	return rest, paused
}

func (tr *transport) Write(b []byte) (int, error) { return connlayer.Write(tr.t.c, b) }

// Close is never called: the layer closes the reactor connection itself.
func (tr *transport) Close() error                     { return nil }
func (tr *transport) LocalAddr() net.Addr              { return tr.t.c.LocalAddr() }
func (tr *transport) RemoteAddr() net.Addr             { return tr.t.c.RemoteAddr() }
func (tr *transport) SetDeadline(time.Time) error      { return nil }
func (tr *transport) SetReadDeadline(time.Time) error  { return nil }
func (tr *transport) SetWriteDeadline(time.Time) error { return nil }
