package reactor

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"sync"
	"time"
)

// The torture test's peers: standard-library clients that read and check
// what their reactor connection sends, send their own stream, and may
// half-close or reset.

// Every connection carries two byte streams, each a function of the
// connection's id and the byte's offset, so a byte that reaches the wrong
// connection, arrives twice or out of order does not match.
func downByte(id uint64, k int64) byte { return byte(uint64(k)*7 + id*131 + uint64(k)>>9) }
func upByte(id uint64, k int64) byte   { return byte(uint64(k)*11 + id*29 + uint64(k)>>10 + 1) }

func fillStream(b []byte, id uint64, off int64, f func(uint64, int64) byte) {
	for i := range b {
		b[i] = f(id, off+int64(i))
	}
}

// The header a server connection sends first: its id.
const headerLen = 8

type peerMode int

const (
	peerNormal    peerMode = iota // read to EOF, then close
	peerHalfClose                 // shut down its write side after sending, read to EOF
	peerReset                     // reset the connection after reading some bytes
)

func (m peerMode) String() string {
	return [...]string{"normal", "half-close", "reset"}[m]
}

// peerResult is what a peer saw, for the final checks.
type peerResult struct {
	id       uint64 // 0: the header never came
	mode     peerMode
	received int64 // stream bytes read, each checked
	eof      bool  // read ended with EOF
	readErr  error // read ended with this error instead
	upSent   int64 // stream bytes the kernel took from the peer's writes
	bad      string
	reset    bool // the peer did reset the connection
}

// runPeer dials addr and plays one peer with its own random choices.
func runPeer(addr string, rng *rand.Rand, deadline time.Time) peerResult {
	res := peerResult{mode: peerMode(rng.IntN(3))}
	nc, err := net.DialTimeout("tcp4", addr, time.Until(deadline))
	if err != nil {
		res.readErr = err
		return res
	}
	c := nc.(*net.TCPConn)
	defer c.Close()
	_ = c.SetDeadline(deadline)
	var hdr [headerLen]byte
	if _, err := io.ReadFull(c, hdr[:]); err != nil {
		res.readErr = err
		return res
	}
	res.id = binary.BigEndian.Uint64(hdr[:])

	upTotal := int64(rng.IntN(512 << 10))
	chunk := 1 + rng.IntN(32<<10)
	resetAt := int64(-1)
	if res.mode == peerReset { // after some bytes, or some time
		resetAt = int64(rng.IntN(256 << 10))
		_ = c.SetReadDeadline(time.Now().Add(time.Duration(rng.IntN(600)) * time.Millisecond))
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // the writer
		defer wg.Done()
		buf := make([]byte, chunk)
		for res.upSent < upTotal {
			b := buf[:min(int64(len(buf)), upTotal-res.upSent)]
			fillStream(b, res.id, res.upSent, upByte)
			n, err := c.Write(b)
			res.upSent += int64(n)
			if err != nil {
				return
			}
		}
		if res.mode == peerHalfClose {
			_ = c.CloseWrite()
		}
	}()

	buf := make([]byte, 64<<10)
	for {
		n, err := c.Read(buf)
		for i := 0; i < n && res.bad == ""; i++ {
			if buf[i] != downByte(res.id, res.received+int64(i)) {
				res.bad = fmt.Sprintf("byte %d differs from what the server wrote", res.received+int64(i))
			}
		}
		res.received += int64(n)
		if errors.Is(err, io.EOF) {
			res.eof = true
			break
		}
		if resetAt >= 0 && errors.Is(err, os.ErrDeadlineExceeded) {
			err = nil
			resetAt = res.received
		}
		if err != nil {
			res.readErr = err
			break
		}
		if resetAt >= 0 && res.received >= resetAt {
			_ = c.SetLinger(0)
			res.reset = true
			break
		}
	}
	_ = c.Close() // unblocks the writer
	wg.Wait()
	return res
}
