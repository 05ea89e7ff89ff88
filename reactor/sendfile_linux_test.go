//go:build !usocket_netstd

package reactor

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/usocket-go/usocket/internal/connlayer"
	"github.com/usocket-go/usocket/internal/testkit"
)

// sendFilePaths runs f with the sendfile path and with the portable one.
func sendFilePaths(t *testing.T, f func(t *testing.T)) {
	for _, copyPath := range []bool{false, true} {
		name := "sendfile"
		if copyPath {
			name = "copy"
		}
		t.Run(name, func(t *testing.T) {
			testSendFileCopy = copyPath
			t.Cleanup(func() { testSendFileCopy = false })
			f(t)
		})
	}
}

// tempFile writes n deterministic bytes to a new file and opens it.
func tempFile(t *testing.T, n int) (*os.File, []byte) {
	t.Helper()
	data := make([]byte, n)
	_, _ = rand.NewChaCha8([32]byte{byte(n), byte(n >> 8), byte(n >> 16)}).Read(data)
	p := filepath.Join(t.TempDir(), "region")
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f, data
}

// A file region goes out between the Writes (and WriteDirects) made
// before and after it,
// byte-exact, for every size and with an offset; Close flushes it; the
// caller may close its file at once; no descriptor is left open.
func TestSendFileBetweenWrites(t *testing.T) {
	sendFilePaths(t, func(t *testing.T) {
		for _, size := range []int{0, 1, 64 << 10, 4<<20 + 7} {
			t.Run(strconv.Itoa(size), func(t *testing.T) {
				const off = 3
				f, data := tempFile(t, size+off+5)
				before, _ := testkit.OpenFDs()
				r, _ := newTestReactor(t)
				closed := make(chan error, 1)
				h := &funcs{
					open: func(c *Conn) {
						_, _ = c.Write([]byte("head"))
						if err := c.SendFile(f, off, int64(size)); err != nil {
							t.Errorf("SendFile: %v", err)
						}
						_ = f.Close() // the region has its own descriptor
						if got := c.Buffered(); got != 4+size {
							t.Errorf("Buffered = %d after SendFile, want %d", got, 4+size)
						}
						_, _ = c.WriteDirect([]byte("tail")) // not ahead of the region
						_, _ = c.Write([]byte("end"))
						_ = c.Close()
					},
					close: func(_ *Conn, err error) { closed <- err },
				}
				ln := listen(t, r, h)
				c := dial(t, ln.Addr())
				got, err := io.ReadAll(c)
				if err != nil {
					t.Fatal(err)
				}
				want := append(append([]byte("head"), data[off:off+size]...), "tailend"...)
				if !bytes.Equal(got, want) {
					t.Fatalf("got %d bytes, want %d", len(got), len(want))
				}
				_ = c.Close()
				if err := recv(t, closed, "OnClose"); err != nil {
					t.Fatalf("OnClose(%v)", err)
				}
				_ = ln.Close()
				_ = r.Close()
				after, _ := testkit.OpenFDs()
				if diff := testkit.FDDiff(before, after); len(diff) > 0 {
					t.Errorf("descriptors left open: %v", diff)
				}
			})
		}
	})
}

// A queued region counts toward Buffered and the water marks: the
// handler hears it is blocked, and drained once the peer read it.
func TestSendFileWaterMarks(t *testing.T) {
	const size = 16 << 20
	f, data := tempFile(t, size)
	r, _ := newTestReactor(t, WithWriteWaterMarks(256<<10, 64<<10))
	h := &notifier{events: make(chan string, 16)}
	h.open = func(c *Conn) {
		if err := c.SendFile(f, 0, size); err != nil {
			t.Errorf("SendFile: %v", err)
		}
		_ = c.CloseWrite()
	}
	ln := listen(t, r, h)
	c := dial(t, ln.Addr())
	if ev := recv(t, h.events, "OnWriteBlocked"); ev != "blocked" {
		t.Fatalf("first water-mark event %q, want blocked", ev)
	}
	got, err := io.ReadAll(c)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, data) {
		t.Fatalf("got %d bytes, want %d", len(got), len(data))
	}
	if ev := recv(t, h.events, "OnWriteDrained"); ev != "drained" {
		t.Fatalf("second water-mark event %q, want drained", ev)
	}
}

// Bad regions and a closed write side are refused with typed errors.
func TestSendFileRefused(t *testing.T) {
	f, _ := tempFile(t, 100)
	dir, err := os.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer dir.Close()
	r, _ := newTestReactor(t)
	errs := make(chan []error, 1)
	h := &funcs{open: func(c *Conn) {
		var got []error
		for _, bad := range []struct {
			f      *os.File
			off, n int64
		}{{nil, 0, 1}, {f, -1, 1}, {f, 0, -1}, {f, 0, 101}, {f, 99, 2}, {f, 101, 1}, {dir, 0, 1}} {
			got = append(got, c.SendFile(bad.f, bad.off, bad.n))
		}
		_ = c.CloseWrite()
		got = append(got, c.SendFile(f, 0, 1))
		errs <- got
		_ = c.Close()
	}}
	ln := listen(t, r, h)
	dial(t, ln.Addr())
	got := recv(t, errs, "the SendFile results")
	for i, err := range got[:len(got)-1] {
		if !errors.Is(err, ErrFileRegion) {
			t.Errorf("bad region %d: %v, want ErrFileRegion", i, err)
		}
	}
	if err := got[len(got)-1]; !errors.Is(err, ErrWriteClosed) {
		t.Errorf("after CloseWrite: %v, want ErrWriteClosed", err)
	}
}

// A connection that ends with a region still queued (Abort, the peer
// resetting, the file shrinking) closes the region's descriptor; a file
// that shrank ends it with io.ErrUnexpectedEOF.
func TestSendFileEndsMidTransfer(t *testing.T) {
	sendFilePaths(t, func(t *testing.T) {
		for _, how := range []string{"abort", "peer-reset", "shrink"} {
			t.Run(how, func(t *testing.T) {
				const size = 32 << 20
				f, _ := tempFile(t, size)
				before, _ := testkit.OpenFDs()
				r, sink := newTestReactor(t)
				sink.allowed.Store(true)
				closed := make(chan error, 1)
				queued := make(chan *Conn, 1)
				h := &funcs{
					open: func(c *Conn) {
						if err := c.SendFile(f, 0, size); err != nil {
							t.Errorf("SendFile: %v", err)
						}
						queued <- c
					},
					close: func(_ *Conn, err error) { closed <- err },
				}
				ln := listen(t, r, h)
				c := dial(t, ln.Addr())
				sc := recv(t, queued, "SendFile")
				b := make([]byte, 64<<10)
				if _, err := io.ReadFull(c, b); err != nil { // the transfer is under way
					t.Fatal(err)
				}
				switch how {
				case "abort":
					_ = sc.Abort()
				case "peer-reset":
					_ = c.SetLinger(0)
					_ = c.Close()
				case "shrink":
					if err := os.Truncate(f.Name(), 1<<20); err != nil {
						t.Fatal(err)
					}
					go func() { _, _ = io.Copy(io.Discard, c) }()
				}
				err := recv(t, closed, "OnClose")
				switch how {
				case "shrink":
					if !errors.Is(err, io.ErrUnexpectedEOF) {
						t.Fatalf("OnClose(%v), want io.ErrUnexpectedEOF", err)
					}
				case "peer-reset":
					if err == nil {
						t.Fatal("OnClose(nil) after the peer reset")
					}
				}
				_ = c.Close()
				_ = ln.Close()
				_ = r.Close()
				_ = f.Close()
				after, _ := testkit.OpenFDs()
				if diff := testkit.FDDiff(before, after); len(diff) > 0 {
					t.Errorf("descriptors left open: %v", diff)
				}
			})
		}
	})
}

// plainLayer is a connection layer that passes writes through, standing
// in for reactortls.
type plainLayer struct{ c *Conn }

func (l plainLayer) Write(b []byte) (int, error) { return l.c.write(b) }
func (l plainLayer) CloseWrite() error           { return l.c.rawRequest(reqCloseWrite) }
func (l plainLayer) Close() error                { return l.c.rawRequest(reqClose) }
func (l plainLayer) Resumed()                    {}

type layeredFuncs struct{ funcs }

func (h *layeredFuncs) NewLayer(c any) connlayer.Layer { return plainLayer{c.(*Conn)} }

// On a layered connection SendFile is refused: sendfile would bypass the
// layer (TLS would send the file in the clear).
func TestSendFileLayeredRefused(t *testing.T) {
	f, _ := tempFile(t, 100)
	r, _ := newTestReactor(t)
	errs := make(chan error, 1)
	h := &layeredFuncs{funcs{open: func(c *Conn) {
		errs <- c.SendFile(f, 0, 100)
		_ = c.Close()
	}}}
	ln := listen(t, r, h)
	dial(t, ln.Addr())
	if err := recv(t, errs, "SendFile's result"); !errors.Is(err, errors.ErrUnsupported) {
		t.Fatalf("SendFile on a layered connection: %v, want errors.ErrUnsupported", err)
	}
}
