//go:build linux && !usocket_portable && !usocket_netstd

package udp

import (
	"testing"
)

// TestReceiveRunsTheLoop: a Receive that must wait runs its socket's idle
// loop itself (the loop is lent to it), so the runtime wakes it directly
// when a datagram comes, instead of the loop goroutine handing each
// datagram off (LoopStats.Borrows counts such waits; before UDP sockets
// were lendable it stayed 0). A wait may still find the loop busy and be
// handed off, so datagrams go until one wait has borrowed the loop.
func TestReceiveRunsTheLoop(t *testing.T) {
	r, c := listenOwnLoop(t)
	peer := listen(t, "127.0.0.1")
	const most = 1000
	for i := 0; r.Stats().Total.Borrows == 0; i++ {
		if i == most {
			t.Fatalf("no Receive of %d borrowed the loop", most)
		}
		errc := blockedReceive(c)
		if _, err := peer.Send([]byte("ping"), c.LocalAddrPort()); err != nil {
			t.Fatal(err)
		}
		if err := waitErr(t, errc, "datagram"); err != nil {
			t.Fatalf("Receive: %v", err)
		}
	}
}
