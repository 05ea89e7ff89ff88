//go:build unix && !usocket_netstd

package reactor

import (
	"bytes"
	"testing"

	"github.com/usocket-go/usocket/internal/bufpool"
	"golang.org/x/sys/unix"
)

// TestOutQueueKeepsOrderAcrossBuffers queues several buffers, sends them
// with writev into a socket pair in pieces, and checks the bytes arrive
// whole and in order.
func TestOutQueueKeepsOrderAcrossBuffers(t *testing.T) {
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fds[0])
	defer unix.Close(fds[1])
	for _, fd := range fds {
		if err := unix.SetNonblock(fd, true); err != nil {
			t.Fatal(err)
		}
	}

	var q outQueue
	var want []byte
	for i := 0; i < 100; i++ { // more buffers than one writev takes
		b := bufpool.Get(300)
		for j := 0; j < 100+i; j++ {
			*b = append(*b, byte(i*7+j))
		}
		want = append(want, *b...)
		q.push(b)
	}
	q.consume(5) // part of the first buffer already sent
	want = want[5:]

	var got []byte
	rbuf := make([]byte, 4096)
	iov := make([][]byte, 0, maxIov)
	for !q.empty() {
		n, _, err := q.send(fds[0], iov)
		if err != nil && err != unix.EAGAIN {
			t.Fatalf("send: %v", err)
		}
		if n <= 0 && err == nil {
			t.Fatalf("send made no progress")
		}
		for {
			m, err := unix.Read(fds[1], rbuf)
			if m <= 0 || err != nil {
				break
			}
			got = append(got, rbuf[:m]...)
		}
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("received %d bytes, want %d, equal=%v", len(got), len(want), bytes.Equal(got, want))
	}
	if q.bufs != nil {
		t.Fatal("an emptied queue still holds a slice")
	}
}
