package usocket

import (
	"context"
	"net"
	"testing"

	"golang.org/x/net/nettest"
)

// TestNetTestConn runs the x/net conformance suite on pairs of our
// connections, with the dialled side first and then the accepted side
// first.
func TestNetTestConn(t *testing.T) {
	pipe := func(reverse bool) nettest.MakePipe {
		return func() (c1, c2 net.Conn, stop func(), err error) {
			ln, err := Listen(context.Background(), "127.0.0.1", AutoPort)
			if err != nil {
				return nil, nil, nil, err
			}
			ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
			defer cancel()
			d, a, err := makeConnPair(ctx, ln)
			if err != nil {
				_ = ln.Close()
				return nil, nil, nil, err
			}
			stop = func() { _ = d.Close(); _ = a.Close(); _ = ln.Close() }
			if reverse {
				return a, d, stop, nil
			}
			return d, a, stop, nil
		}
	}
	t.Run("Dialled", func(t *testing.T) { nettest.TestConn(t, pipe(false)) })
	t.Run("Accepted", func(t *testing.T) { nettest.TestConn(t, pipe(true)) })
}
