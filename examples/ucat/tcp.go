package main

import (
	"context"
	"fmt"
	"io"

	"github.com/usocket-go/usocket/usocket"
)

// runTCP connects or accepts one connection, then copies both ways.
func runTCP(ctx context.Context, cfg config, stdin io.Reader, stdout, stderr io.Writer) error {
	var c *usocket.Conn
	var err error
	if cfg.listen {
		c, err = acceptOne(ctx, cfg, stderr)
	} else {
		c, err = usocket.Connect(ctx, cfg.host, cfg.port)
	}
	if err != nil {
		return err
	}
	defer func() { _ = c.Close() }()
	stop := context.AfterFunc(ctx, func() { _ = c.Abort() })
	defer stop()

	// stdin → socket, then half-close so the peer sees EOF.
	sent := make(chan error, 1)
	go func() {
		_, err := io.Copy(c, stdin)
		if cerr := c.CloseWrite(); err == nil {
			err = cerr
		}
		sent <- err
	}()
	// socket → stdout until the peer closes.
	_, err = io.Copy(stdout, c)
	if err != nil {
		return err
	}
	// The peer has shut down its side; what stdin still holds goes out
	// (the connection is half-open), unless ctx ends first.
	select {
	case err := <-sent:
		return err
	case <-ctx.Done():
		return nil
	}
}

// acceptOne listens, announces the address on stderr, and accepts one
// client; the listener is closed once it has.
func acceptOne(ctx context.Context, cfg config, stderr io.Writer) (*usocket.Conn, error) {
	ln, err := usocket.Listen(ctx, cfg.host, cfg.port)
	if err != nil {
		return nil, err
	}
	defer func() { _ = ln.Close() }()
	fmt.Fprintf(stderr, "ucat listening on %s\n", ln.Addr())
	return ln.AcceptConn(ctx)
}
