//go:build !usocket_netstd

package usocket

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/usocket-go/usocket/internal/testkit"
)

// spliceSizes are the transfer sizes every splice path is checked with.
var spliceSizes = []int{0, 1, 64 << 10, 4<<20 + 7}

// payload returns n deterministic bytes.
func payload(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.NewChaCha8([32]byte{byte(n), byte(n >> 8), byte(n >> 16)}).Read(b)
	return b
}

// countSplices counts ReadFroms and WriteTos that took the splice path
// until the test ends.
func countSplices(t *testing.T) *atomic.Int32 {
	var n atomic.Int32
	hook := func() { n.Add(1) }
	testHookSplice.Store(&hook)
	t.Cleanup(func() { testHookSplice.Store(nil) })
	return &n
}

// netPair returns two connected *net.TCPConn, closed when the test ends.
func netPair(t *testing.T) (*net.TCPConn, *net.TCPConn) {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	d, err := net.DialTimeout("tcp4", ln.Addr().String(), testTimeout)
	if err != nil {
		t.Fatal(err)
	}
	_ = ln.(*net.TCPListener).SetDeadline(time.Now().Add(testTimeout))
	a, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close(); _ = a.Close() })
	return d.(*net.TCPConn), a.(*net.TCPConn)
}

// socketPair returns two connected stream *net.UnixConn (a socketpair).
func socketPair(t *testing.T) (*net.UnixConn, *net.UnixConn) {
	t.Helper()
	fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	var cs [2]*net.UnixConn
	for i, fd := range fds {
		f := os.NewFile(uintptr(fd), "socketpair")
		c, err := net.FileConn(f)
		_ = f.Close()
		if err != nil {
			t.Fatal(err)
		}
		cs[i] = c.(*net.UnixConn)
		t.Cleanup(func() { _ = c.Close() })
	}
	return cs[0], cs[1]
}

// pipePair returns an os.Pipe, closed when the test ends.
func pipePair(t *testing.T) (r, w *os.File) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close(); _ = w.Close() })
	return r, w
}

// source is one kind of splice source: src is read by the transfer, feed
// writes what src yields, and closing feed ends src's stream.
type source struct {
	name string
	make func(t *testing.T) (src io.Reader, feed io.WriteCloser)
}

var spliceSources = []source{
	{"usocket", func(t *testing.T) (io.Reader, io.WriteCloser) { a, b := connPair(t); return b, a }},
	{"tcp", func(t *testing.T) (io.Reader, io.WriteCloser) { a, b := netPair(t); return b, a }},
	{"unix", func(t *testing.T) (io.Reader, io.WriteCloser) { a, b := socketPair(t); return b, a }},
	{"pipe", func(t *testing.T) (io.Reader, io.WriteCloser) { r, w := pipePair(t); return r, w }},
}

// feedAll writes data to w and closes it, in the background.
func feedAll(t *testing.T, w io.WriteCloser, data []byte) <-chan error {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		if d, ok := w.(interface{ SetWriteDeadline(time.Time) error }); ok {
			_ = d.SetWriteDeadline(time.Now().Add(testTimeout))
		}
		_, err := w.Write(data)
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		done <- err
	}()
	return done
}

// readAll reads r to its end (within testTimeout when it has deadlines),
// in the background.
func readAll(r io.Reader) <-chan []byte {
	out := make(chan []byte, 1)
	go func() {
		if d, ok := r.(interface{ SetReadDeadline(time.Time) error }); ok {
			_ = d.SetReadDeadline(time.Now().Add(testTimeout))
		}
		b, _ := io.ReadAll(r)
		out <- b
	}()
	return out
}

func checkSame(t *testing.T, got, want []byte) {
	t.Helper()
	if !bytes.Equal(got, want) {
		t.Fatalf("got %d bytes, want %d (equal prefix: %d)", len(got), len(want), commonPrefix(got, want))
	}
}

func commonPrefix(a, b []byte) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// io.Copy to a Conn from a Conn, a *net.TCPConn (through its WriteTo's
// wrapper), a stream *net.UnixConn and a pipe splices, byte-exact, for
// every size; and the transfer's pipe is closed.
func TestSpliceReadFrom(t *testing.T) {
	for _, s := range spliceSources {
		for _, size := range spliceSizes {
			t.Run(s.name+"/"+strconv.Itoa(size), func(t *testing.T) {
				used := countSplices(t)
				src, feed := s.make(t)
				d, a := connPair(t)
				data := payload(size)
				fed := feedAll(t, feed, data)
				got := readAll(a)
				before, _ := testkit.OpenFDs()
				_ = d.SetWriteDeadline(time.Now().Add(testTimeout))
				n, err := io.Copy(d, src)
				if err != nil || n != int64(size) {
					t.Fatalf("io.Copy = %d, %v; want %d", n, err, size)
				}
				after, _ := testkit.OpenFDs()
				if diff := testkit.FDDiff(before, after); len(diff) > 0 {
					t.Errorf("descriptors left open: %v", diff)
				}
				if err := <-fed; err != nil {
					t.Fatal(err)
				}
				_ = d.CloseWrite()
				checkSame(t, <-got, data)
				if used.Load() != 1 {
					t.Fatalf("splice path taken %d times, want 1", used.Load())
				}
			})
		}
	}
}

// ReadFrom an *io.LimitedReader around a source moves exactly N bytes and
// leaves the rest in the source.
func TestSpliceReadFromLimited(t *testing.T) {
	for _, s := range spliceSources {
		t.Run(s.name, func(t *testing.T) {
			used := countSplices(t)
			src, feed := s.make(t)
			d, a := connPair(t)
			data := payload(1<<20 + 3)
			fed := feedAll(t, feed, data)
			got := readAll(a)
			_ = d.SetWriteDeadline(time.Now().Add(testTimeout))
			const part = 300<<10 + 5
			n, err := d.ReadFrom(io.LimitReader(src, part))
			if err != nil || n != part {
				t.Fatalf("ReadFrom = %d, %v; want %d", n, err, part)
			}
			rest, err := io.ReadAll(src)
			if err != nil {
				t.Fatal(err)
			}
			if err := <-fed; err != nil {
				t.Fatal(err)
			}
			_ = d.CloseWrite()
			checkSame(t, <-got, data[:part])
			checkSame(t, rest, data[part:])
			if used.Load() != 1 {
				t.Fatalf("splice path taken %d times, want 1", used.Load())
			}
		})
	}
}

// dest is one kind of splice destination: dst is written by the
// transfer, finish ends its stream, and result returns what it got.
type dest struct {
	name string
	make func(t *testing.T) (dst io.Writer, finish func(), result <-chan []byte)
}

var spliceDests = []dest{
	{"usocket", func(t *testing.T) (io.Writer, func(), <-chan []byte) {
		d, a := connPair(t)
		_ = d.SetWriteDeadline(time.Now().Add(testTimeout))
		return d, func() { _ = d.CloseWrite() }, readAll(a)
	}},
	{"tcp", func(t *testing.T) (io.Writer, func(), <-chan []byte) {
		d, a := netPair(t)
		_ = d.SetWriteDeadline(time.Now().Add(testTimeout))
		return d, func() { _ = d.CloseWrite() }, readAll(a)
	}},
	{"pipe", func(t *testing.T) (io.Writer, func(), <-chan []byte) {
		r, w := pipePair(t)
		return w, func() { _ = w.Close() }, readAll(r)
	}},
	{"file", func(t *testing.T) (io.Writer, func(), <-chan []byte) {
		f, err := os.Create(filepath.Join(t.TempDir(), "out"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = f.Close() })
		out := make(chan []byte, 1)
		return f, func() { b, _ := os.ReadFile(f.Name()); out <- b }, out
	}},
}

// io.Copy from a Conn to a Conn, a *net.TCPConn, a pipe and a regular
// file splices (WriteTo), byte-exact, for every size.
func TestSpliceWriteTo(t *testing.T) {
	for _, ds := range spliceDests {
		for _, size := range spliceSizes {
			t.Run(ds.name+"/"+strconv.Itoa(size), func(t *testing.T) {
				used := countSplices(t)
				feed, src := connPair(t)
				dst, finish, got := ds.make(t)
				data := payload(size)
				fed := feedAll(t, feed, data)
				_ = src.SetReadDeadline(time.Now().Add(testTimeout))
				before, _ := testkit.OpenFDs()
				n, err := io.Copy(dst, src)
				if err != nil || n != int64(size) {
					t.Fatalf("io.Copy = %d, %v; want %d", n, err, size)
				}
				after, _ := testkit.OpenFDs()
				if diff := testkit.FDDiff(before, after); len(diff) > 0 {
					t.Errorf("descriptors left open: %v", diff)
				}
				if err := <-fed; err != nil {
					t.Fatal(err)
				}
				finish()
				checkSame(t, <-got, data)
				if used.Load() != 1 {
					t.Fatalf("splice path taken %d times, want 1", used.Load())
				}
			})
		}
	}
}

// Writers that are not splice ends get a plain copy, byte-exact.
func TestWriteToGenericCopy(t *testing.T) {
	used := countSplices(t)
	feed, src := connPair(t)
	data := payload(256<<10 + 1)
	fed := feedAll(t, feed, data)
	_ = src.SetReadDeadline(time.Now().Add(testTimeout))
	var buf bytes.Buffer
	if n, err := src.WriteTo(&buf); err != nil || n != int64(len(data)) {
		t.Fatalf("WriteTo = %d, %v", n, err)
	}
	if err := <-fed; err != nil {
		t.Fatal(err)
	}
	checkSame(t, buf.Bytes(), data)
	if used.Load() != 0 {
		t.Fatal("splice path taken for a bytes.Buffer")
	}
}

// fillUp writes to c until its write deadline passes, so that both
// socket buffers are full, and returns how much went in.
func fillUp(t *testing.T, c *Conn) int64 {
	t.Helper()
	_ = c.SetWriteDeadline(time.Now().Add(100 * time.Millisecond))
	var n int64
	chunk := make([]byte, 64<<10)
	for {
		k, err := c.Write(chunk)
		n += int64(k)
		if err != nil {
			if !errors.Is(err, os.ErrDeadlineExceeded) {
				t.Fatal(err)
			}
			return n
		}
	}
}

// A ReadFrom whose destination stays full fails when the write deadline
// passes, with a timeout error; the Conn stays usable, as a *net.TCPConn
// does: with the deadline moved, the peer gets everything sent.
func TestSpliceReadFromWriteDeadline(t *testing.T) {
	d, a := connPair(t)
	src, feed := spliceSources[0].make(t)
	data := payload(8 << 20)
	fed := feedAll(t, feed, data)
	_ = d.SetWriteDeadline(time.Now().Add(200 * time.Millisecond))
	n, err := io.Copy(d, src) // nobody reads a: d fills up
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("io.Copy = %d, %v; want a deadline error", n, err)
	}
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("%v is not a net.Error with Timeout", err)
	}
	_ = d.SetWriteDeadline(time.Now().Add(testTimeout))
	got := readAll(a)
	if _, err := d.Write([]byte("after")); err != nil {
		t.Fatal(err)
	}
	_ = d.CloseWrite()
	b := <-got
	if len(b) != int(n)+5 || !bytes.Equal(b[:n], data[:n]) || string(b[n:]) != "after" {
		t.Fatalf("peer got %d bytes, want %d sent and then %q", len(b), n, "after")
	}
	_ = feed.Close()
	<-fed
}

// A ReadFrom waiting for an empty Conn source ends with a timeout error
// when the source's read deadline passes.
func TestSpliceReadFromSourceDeadline(t *testing.T) {
	d, _ := connPair(t)
	_, src := connPair(t)
	_ = src.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
	_ = d.SetWriteDeadline(time.Now().Add(testTimeout))
	res := make(chan error, 1)
	go func() { _, err := d.ReadFrom(src); res <- err }()
	select {
	case err := <-res:
		if !errors.Is(err, os.ErrDeadlineExceeded) {
			t.Fatalf("ReadFrom: %v; want a deadline error", err)
		}
	case <-time.After(testTimeout):
		_ = src.Close() // unpark it for goleak
		t.Fatal("ReadFrom still waiting after the source's read deadline")
	}
}

// A WriteTo waiting for its own empty Conn ends with a timeout error when
// its read deadline passes; the Conn stays usable.
func TestSpliceWriteToReadDeadline(t *testing.T) {
	feed, src := connPair(t)
	d, _ := netPair(t)
	_ = src.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
	if _, err := feed.Write([]byte("first")); err != nil {
		t.Fatal(err)
	}
	res := make(chan error, 1)
	go func() { _, err := src.WriteTo(d); res <- err }()
	select {
	case err := <-res:
		if !errors.Is(err, os.ErrDeadlineExceeded) {
			t.Fatalf("WriteTo: %v; want a deadline error", err)
		}
	case <-time.After(testTimeout):
		_ = feed.Close() // unpark it, for goleak
		t.Fatal("WriteTo still waiting after the read deadline")
	}
	_ = src.SetReadDeadline(time.Now().Add(testTimeout))
	if _, err := feed.Write([]byte("second")); err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 6)
	if _, err := io.ReadFull(src, b); err != nil || string(b) != "second" {
		t.Fatalf("Read after the timeout = %q, %v", b, err)
	}
}

// Closing the destination while ReadFrom waits for an empty source, or
// for room in the destination, unparks it with net.ErrClosed.
func TestSpliceCloseDuringReadFrom(t *testing.T) {
	for _, full := range []bool{false, true} {
		t.Run("full="+strconv.FormatBool(full), func(t *testing.T) {
			d, _ := connPair(t)
			feed, src := connPair(t)
			if full {
				fillUp(t, d)
				go func() { _, _ = feed.Write(payload(1 << 20)) }()
			}
			_ = d.SetWriteDeadline(time.Now().Add(testTimeout))
			closeWhileParked(t, "ReadFrom", []string{"splice", "readfrom"},
				func() error { _, err := d.ReadFrom(src); return err }, d, func() { _ = src.Close() })
			_ = feed.Close()
		})
	}
}

// Closing a Conn while its WriteTo waits for data unparks it with
// net.ErrClosed.
func TestSpliceCloseDuringWriteTo(t *testing.T) {
	feed, src := connPair(t)
	d, _ := netPair(t)
	closeWhileParked(t, "WriteTo", []string{"splice"},
		func() error { _, err := src.WriteTo(d); return err }, src, func() { _ = feed.Close() })
}

// closeWhileParked starts call, waits until it parks (the EAGAIN hook sees
// one of ops), closes c under it and checks that call ends with
// net.ErrClosed; unpark frees it if it does not, for goleak.
func closeWhileParked(t *testing.T, what string, ops []string, call func() error, c *Conn, unpark func()) {
	t.Helper()
	parked := make(chan struct{})
	var once sync.Once
	hook := func(op string) {
		if slices.Contains(ops, op) {
			once.Do(func() { close(parked) })
		}
	}
	testHookAfterEAGAIN.Store(&hook)
	t.Cleanup(func() { testHookAfterEAGAIN.Store(nil) })
	res := make(chan error, 1)
	go func() { res <- call() }()
	testkit.WaitFor(t, parked, what+" to wait", testTimeout)
	closed := closeAsync(c)
	select {
	case err := <-res:
		if !errors.Is(err, net.ErrClosed) {
			t.Fatalf("%s after Close: %v, want net.ErrClosed", what, err)
		}
	case <-time.After(testTimeout):
		unpark()
		t.Fatalf("%s still parked after Close", what)
	}
	<-closed
}

// closeAsync closes c in the background (Close waits for the calls it
// woke) and reports when it returned.
func closeAsync(c *Conn) <-chan struct{} {
	done := make(chan struct{})
	go func() { _ = c.Close(); close(done) }()
	return done
}

// A peer that resets the connection mid-transfer ends ReadFrom with an
// error, not a hang.
func TestSpliceReadFromPeerCloses(t *testing.T) {
	d, a := connPair(t)
	src, feed := spliceSources[0].make(t)
	fed := feedAll(t, feed, payload(16<<20))
	_ = d.SetWriteDeadline(time.Now().Add(testTimeout))
	res := make(chan error, 1)
	go func() { _, err := io.Copy(d, src); res <- err }()
	b := make([]byte, 4096)
	_ = a.SetReadDeadline(time.Now().Add(testTimeout))
	if _, err := io.ReadFull(a, b); err != nil {
		t.Fatal(err)
	}
	_ = a.Abort()
	select {
	case err := <-res:
		if err == nil {
			t.Fatal("io.Copy to a reset peer succeeded")
		}
		if !errors.Is(err, syscall.EPIPE) && !errors.Is(err, syscall.ECONNRESET) {
			t.Fatalf("io.Copy to a reset peer: %v, want EPIPE or ECONNRESET", err)
		}
	case <-time.After(testTimeout):
		t.Fatal("io.Copy still running after the peer reset")
	}
	_ = src.(*Conn).Close()
	<-fed
}
