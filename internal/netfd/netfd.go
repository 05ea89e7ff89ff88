//go:build windows || usocket_netstd

package netfd

import (
	"errors"
	"io"
	"net"
	"net/netip"
	"sync"
	"syscall"
	"time"

	"github.com/usocket-go/usocket/internal/handles"
	"github.com/usocket-go/usocket/internal/stepper"
	"github.com/usocket-go/usocket/internal/unix"
)

// bufSize bounds the bytes a handle holds in each direction: one read
// buffer received and not yet taken, one write buffer being sent.
const bufSize = 64 << 10

// sock is a handle's socket: a connection (nc) or a listener (ln).
type sock struct {
	nc net.Conn
	ln net.Listener
	pc *net.UDPConn    // a datagram socket (packet.go)
	st stepper.Stepper // kicked when the reader or acceptor may go on; stopped by Close

	mu       sync.Mutex
	rd, wr   func()         // edge callbacks; nil until Watch and after Release
	rbuf     []byte         // the reader's buffer; rbuf[roff:rn] is waiting
	rn, roff int            // (the reader writes rbuf only while it is empty)
	rerr     error          // the read's error after the data, sticky (io.EOF at FIN)
	rready   bool           // a datagram (or its error) waits: rbuf[:rn] from from
	from     netip.AddrPort // its sender
	pend     net.Conn       // a connection accepted and not yet taken
	perr     error          // the acceptor's error, not yet taken
	retry    bool           // an error was taken: the acceptor waits for the next Accept
	wbuf     []byte         // the copy a writer goroutine sends
	writing  bool
	werr     error         // a write's error, sticky
	shutWr   bool          // the write side is shut down
	wdone    chan struct{} // closed when the write in flight ends; made by a waiter
	closed   bool
	reset    bool // Abort: close at once, in-flight data or not
}

// table maps handles to sockets; freed numbers are reused.
var table handles.Table[sock]

// get returns the socket h names: unix.EBADF if none.
func get(h int) (*sock, error) {
	if s := table.Get(h); s != nil {
		return s, nil
	}
	return nil, unix.EBADF
}

// Conn makes a handle for a connected stream socket and starts reading it.
func Conn(nc net.Conn) int {
	s := &sock{nc: nc, rbuf: make([]byte, bufSize)}
	h := table.Add(s)
	s.start(s.readStep)
	return h
}

// Listener makes a handle for a listener and starts accepting on it.
func Listener(ln net.Listener) int {
	s := &sock{ln: ln}
	h := table.Add(s)
	s.start(s.acceptStep)
	return h
}

// start runs step on the socket's goroutine: the first step at once, each
// next one once what the last got was taken (a kick), until its last step
// or Close.
func (s *sock) start(step func() (last bool)) {
	s.st.Init()
	s.st.Kick()
	go s.st.Run(step)
}

// readStep fills the empty receive buffer; an error is the last step.
func (s *sock) readStep() bool {
	n, err := s.nc.Read(s.rbuf)
	s.mu.Lock()
	s.rn, s.roff, s.rerr = n, 0, err
	cb := s.rd
	s.mu.Unlock()
	if cb != nil {
		cb()
	}
	return err != nil
}

// acceptStep accepts a connection when none is waiting; the listener
// closing is the last step.
func (s *sock) acceptStep() bool {
	c, err := s.ln.Accept()
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		if c != nil {
			_ = c.Close()
		}
		return true
	}
	s.pend, s.perr = c, err
	cb := s.rd
	s.mu.Unlock()
	if cb != nil {
		cb()
	}
	return errors.Is(err, net.ErrClosed)
}

// Watcher is a handle's edge callbacks; Release drops them.
type Watcher struct {
	s    *sock
	rel  chan struct{} // closed by Release
	once sync.Once
}

// OnStop runs f on a goroutine of its own when stop is closed (the
// socket's reactor stopping), unless the watcher is released first.
func (w *Watcher) OnStop(stop <-chan struct{}, f func()) {
	go func() {
		select {
		case <-stop:
			f()
		case <-w.rel:
		}
	}()
}

// Watch sets the callbacks run when the handle may have become readable
// (data, EOF, an error, or a connection to accept) or writable (a write
// finished). They run on the handle's goroutines and must not block.
func Watch(h int, readable, writable func()) (*Watcher, error) {
	s, err := get(h)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.rd, s.wr = readable, writable
	s.mu.Unlock()
	return &Watcher{s: s, rel: make(chan struct{})}, nil
}

// Release drops the callbacks; one already running may still finish.
func (w *Watcher) Release() error {
	w.once.Do(func() { close(w.rel) })
	w.s.mu.Lock()
	w.s.rd, w.s.wr = nil, nil
	w.s.mu.Unlock()
	return nil
}

// Read takes received bytes: EAGAIN if none wait, (0, nil) once the peer
// shut down its side, the read's error after the data before it.
func Read(h int, b []byte) (int, error) {
	s, err := get(h)
	if err != nil {
		return 0, err
	}
	if s.nc == nil {
		return 0, unix.EINVAL
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.roff < s.rn {
		k := copy(b, s.rbuf[s.roff:s.rn])
		s.roff += k
		if s.roff == s.rn && s.rerr == nil {
			s.rn, s.roff = 0, 0
			s.st.Kick() // the reader waits for just this
		}
		return k, nil
	}
	switch {
	case s.rerr == io.EOF && s.werr != nil:
		// A reset met by a write is reported once, as the kernel does, to
		// whichever call comes first; Write already returned, so Read.
		return 0, s.werr
	case s.rerr == io.EOF:
		return 0, nil
	case s.rerr != nil:
		return 0, s.rerr
	}
	return 0, unix.EAGAIN
}

// ReadReady reports whether Read (or Accept) would not block.
func ReadReady(h int) bool {
	s, err := get(h)
	if err != nil {
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.roff < s.rn || s.rerr != nil || s.pend != nil || s.perr != nil || s.rready
}

// Write hands up to bufSize bytes of b to the writer: EAGAIN while a
// write is in flight, the last write's error once one failed.
func Write(h int, b []byte) (int, error) {
	s, err := get(h)
	if err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.werr != nil:
		return 0, s.werr
	case s.rerr != nil && s.rerr != io.EOF: // the reader met a reset: so does Write
		return 0, s.rerr
	case s.shutWr || s.closed:
		return 0, unix.EPIPE
	case s.writing:
		return 0, unix.EAGAIN
	}
	k := min(len(b), bufSize)
	s.wbuf = append(s.wbuf[:0], b[:k]...)
	s.writing = true
	go s.writer()
	return k, nil
}

// writer sends the write buffer, then does what waited for it.
func (s *sock) writer() {
	_, err := s.nc.Write(s.wbuf)
	s.mu.Lock()
	s.writing = false
	if err != nil && s.werr == nil {
		s.werr = err
	}
	done := s.wdone
	s.wdone = nil
	cb := s.wr
	s.mu.Unlock()
	if done != nil {
		close(done)
	}
	if cb != nil {
		cb()
	}
}

// Shutdown shuts down the write side (write) or the read side. The write
// side is shut down once a write in flight is sent (waiting at most
// closeGrace), and the error that write met, a reset say, is returned,
// since the Write that queued it had returned already.
func Shutdown(h int, write bool) error {
	s, err := get(h)
	if err != nil {
		return err
	}
	if !write {
		if cr, ok := s.nc.(interface{ CloseRead() error }); ok {
			return cr.CloseRead()
		}
		return unix.EINVAL
	}
	s.waitWrite()
	s.mu.Lock()
	s.shutWr = true
	werr := s.werr
	s.mu.Unlock()
	if werr != nil {
		return werr
	}
	closeWrite(s.nc)
	return nil
}

// waitWrite waits until no write is in flight, for at most closeGrace.
func (s *sock) waitWrite() {
	s.mu.Lock()
	if !s.writing {
		s.mu.Unlock()
		return
	}
	if s.wdone == nil {
		s.wdone = make(chan struct{})
	}
	done := s.wdone
	s.mu.Unlock()
	t := time.NewTimer(closeGrace)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
	}
}

func closeWrite(nc net.Conn) {
	if cw, ok := nc.(interface{ CloseWrite() error }); ok {
		_ = cw.CloseWrite()
	}
}

// Reset makes Close send an RST and drop what is in flight.
func Reset(h int) {
	s, err := get(h)
	if err != nil {
		return
	}
	if tc, ok := s.nc.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	s.mu.Lock()
	s.reset = true
	s.mu.Unlock()
}

// Close frees the handle and closes the socket. A write in flight (at
// most bufSize bytes the kernel has not taken yet) is let finish first,
// as close(2) leaves the send queue to the kernel, but for at most
// closeGrace: then it is cut short. A connection accepted and not taken
// is closed too.
func Close(h int) error {
	s, err := get(h)
	if err != nil {
		return err
	}
	table.Remove(h)
	s.mu.Lock()
	s.closed = true
	s.rd, s.wr = nil, nil
	wait := s.writing && !s.reset
	pend := s.pend
	s.pend = nil
	s.mu.Unlock()
	s.st.Stop()
	if pend != nil {
		_ = pend.Close()
	}
	if s.ln != nil {
		return s.ln.Close()
	}
	if s.pc != nil {
		return s.pc.Close()
	}
	if wait {
		s.waitWrite()
	}
	return s.nc.Close()
}

// closeGrace bounds how long Close waits for a write in flight.
const closeGrace = time.Second

// Accept takes the connection the acceptor got: EAGAIN if none.
func Accept(h int) (net.Conn, error) {
	s, err := get(h)
	if err != nil {
		return nil, err
	}
	if s.ln == nil {
		return nil, unix.EINVAL
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.pend, s.perr
	if c == nil && err == nil {
		if s.retry { // the last Accept failed: try again now it is asked
			s.retry = false
			s.st.Kick()
		}
		return nil, unix.EAGAIN
	}
	s.pend, s.perr = nil, nil
	if err != nil {
		// Out of descriptors, say: accepting again at once would fail the
		// same way and keep a stale error. The next Accept asks again.
		s.retry = true
		return nil, err
	}
	s.st.Kick()
	return c, nil
}

// Control runs f with the socket's own descriptor (a SOCKET on Windows)
// through its syscall.RawConn.
func Control(h int, f func(fd uintptr)) error {
	s, err := get(h)
	if err != nil {
		return err
	}
	var sc any = s.nc
	switch {
	case s.ln != nil:
		sc = s.ln
	case s.pc != nil:
		sc = s.pc
	}
	c, ok := sc.(syscall.Conn)
	if !ok {
		return unix.EINVAL
	}
	rc, err := c.SyscallConn()
	if err != nil {
		return err
	}
	return rc.Control(f)
}

// Addrs returns the socket's local and remote addresses (remote is nil
// for a listener).
func Addrs(h int) (local, remote net.Addr, err error) {
	s, err := get(h)
	if err != nil {
		return nil, nil, err
	}
	if s.ln != nil {
		return s.ln.Addr(), nil, nil
	}
	if s.pc != nil {
		return s.pc.LocalAddr(), s.pc.RemoteAddr(), nil
	}
	return s.nc.LocalAddr(), s.nc.RemoteAddr(), nil
}
