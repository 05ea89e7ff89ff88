//go:build !usocket_netstd

package usocket

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/usocket-go/usocket/internal/testkit"
)

// TestTortureSplice (issue 15): rounds of ReadFrom and WriteTo through
// the splice paths, each with a random source or destination kind, size
// and limit, and a random disruption once the far end has read a random
// part: none, the Conn closed, or its deadline moved to the past.
// Invariants: every call returns (the far end reads within testTimeout);
// the far end gets exactly the count the call returned, in order and
// intact, and everything when nothing was disrupted; a disrupted call
// fails with net.ErrClosed or a timeout; no descriptor is left.
func TestTortureSplice(t *testing.T) {
	dur, seed := testkit.Torture(t, 2*time.Second, time.Second)
	rng := rand.New(rand.NewPCG(seed, 15))
	t.Run("warm-up", func(t *testing.T) { // the shared reactor and the runtime's poller start
		connPair(t)
		netPair(t)
	})
	before, err := testkit.OpenFDs()
	if err != nil {
		t.Fatal(err)
	}
	end := time.Now().Add(dur)
	for i := 0; time.Now().Before(end); i++ {
		size := rng.IntN(2 << 20)
		if rng.IntN(4) == 0 { // past the socket buffers: the paths park on the write edge
			size = rng.IntN(12 << 20)
		}
		limit := int64(-1)
		if rng.IntN(3) == 0 {
			limit = int64(rng.IntN(size + 1))
		}
		cut := rng.IntN(size + 1)
		how := []string{"none", "close", "deadline"}[rng.IntN(3)]
		if rng.IntN(2) == 0 {
			s := spliceSources[rng.IntN(len(spliceSources))]
			t.Run(strconv.Itoa(i)+"/readfrom/"+s.name+"/"+how, func(t *testing.T) {
				tortureReadFrom(t, s, size, limit, cut, how)
			})
		} else {
			t.Run(strconv.Itoa(i)+"/writeto/"+how, func(t *testing.T) {
				tortureWriteTo(t, size, cut, how)
			})
		}
		if t.Failed() {
			return
		}
	}
	after, err := testkit.OpenFDs()
	if err != nil {
		t.Fatal(err)
	}
	if diff := testkit.FDDiff(before, after); len(diff) > 0 {
		t.Errorf("descriptors left open: %v", diff)
	}
}

// disrupt closes c or moves its deadline to the past.
func disrupt(c *Conn, how string) {
	switch how {
	case "close":
		_ = c.Close()
	case "deadline":
		_ = c.SetDeadline(time.Now().Add(-time.Second))
	}
}

// readDisrupting reads r to its end, disrupting c once it has read cut
// bytes. The disruption runs beside the reading: Close waits, as
// *net.TCPConn's does, for a transfer in flight to leave, and a transfer
// blocked writing to r's peer leaves only once r is read further.
func readDisrupting(r io.Reader, c *Conn, cut int, how string) <-chan []byte {
	out := make(chan []byte, 1)
	go func() {
		if d, ok := r.(interface{ SetReadDeadline(time.Time) error }); ok {
			_ = d.SetReadDeadline(time.Now().Add(testTimeout))
		}
		head := make([]byte, cut)
		k, _ := io.ReadFull(r, head)
		disrupted := make(chan struct{})
		go func() {
			defer close(disrupted)
			disrupt(c, how)
		}()
		rest, _ := io.ReadAll(r)
		<-disrupted
		out <- append(head[:k], rest...)
	}()
	return out
}

// checkOutcome checks a disrupted or undisrupted transfer's invariants.
func checkOutcome(t *testing.T, how string, n int64, err error, got, want []byte) {
	t.Helper()
	if how == "none" && (err != nil || n != int64(len(want))) {
		t.Fatalf("transfer = %d, %v; want %d", n, err, len(want))
	}
	if err != nil && !errors.Is(err, net.ErrClosed) && !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("transfer failed with %v, want net.ErrClosed or a timeout", err)
	}
	if int64(len(got)) != n || !bytes.Equal(got, want[:n]) {
		t.Fatalf("far end got %d bytes (intact prefix %d), transfer said %d", len(got), commonPrefix(got, want), n)
	}
}

func tortureReadFrom(t *testing.T, s source, size int, limit int64, cut int, how string) {
	src, feed := s.make(t)
	d, a := connPair(t)
	data := payload(size)
	fed := feedAll(t, feed, data)
	want := data
	r := src
	if limit >= 0 {
		r, want = io.LimitReader(src, limit), data[:limit]
		cut = min(cut, int(limit))
	}
	got := readDisrupting(a, d, cut, how)
	_ = d.SetWriteDeadline(time.Now().Add(testTimeout))
	n, err := boundedCopy(t, "ReadFrom", func() (int64, error) { return d.ReadFrom(r) }, feed, d)
	_ = d.CloseWrite()
	_ = feed.Close() // a limited or disrupted transfer leaves the feeder writing
	if c, ok := src.(io.Closer); ok {
		_ = c.Close()
	}
	<-fed
	checkOutcome(t, how, n, err, <-got, want)
}

func tortureWriteTo(t *testing.T, size, cut int, how string) {
	feed, src := connPair(t)
	d, a := netPair(t)
	data := payload(size)
	fed := feedAll(t, feed, data)
	got := readDisrupting(a, src, cut, how)
	_ = src.SetReadDeadline(time.Now().Add(testTimeout))
	n, err := boundedCopy(t, "WriteTo", func() (int64, error) { return src.WriteTo(d) }, feed, src)
	_ = d.CloseWrite()
	_ = feed.Close()
	<-fed
	checkOutcome(t, how, n, err, <-got, data)
}

// boundedCopy runs a ReadFrom or WriteTo and waits for it within
// testTimeout; if it does not return, closing feed and c frees it.
func boundedCopy(t *testing.T, what string, call func() (int64, error), feed io.Closer, c *Conn) (int64, error) {
	t.Helper()
	type result struct {
		n   int64
		err error
	}
	res := make(chan result, 1)
	go func() {
		n, err := call()
		res <- result{n, err}
	}()
	select {
	case r := <-res:
		return r.n, r.err
	case <-time.After(testTimeout):
		_ = feed.Close()
		_ = c.Close()
		t.Fatalf("%s did not return", what)
		return 0, nil
	}
}
