package usocket_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/usocket-go/usocket/usocket"
)

// An echo server and a client on 127.0.0.1 with a port chosen by the
// system: Listen, Accept, Connect, a half-close and a read to EOF.
func Example() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	ln, err := usocket.Listen(ctx, "127.0.0.1", usocket.AutoPort)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer ln.Close()

	go func() { // the server: echo one connection until EOF
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		_, _ = io.Copy(c, c)
	}()

	c, err := usocket.Connect(ctx, "127.0.0.1", int(ln.AddrPort().Port()))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))

	fmt.Fprintln(c, "hello")
	fmt.Fprintln(c, "usocket")
	_ = c.Shutdown(usocket.ShutdownWrite) // the server sees EOF and finishes
	reply, err := io.ReadAll(c)
	fmt.Printf("%q %v\n", reply, err)
	// Output: "hello\nusocket\n" <nil>
}

// Errors carry usocket's condition classes and still match the errno.
func ExampleConnect_refused() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	// A port with nothing listening on it.
	ln, _ := usocket.Listen(ctx, "127.0.0.1", usocket.AutoPort)
	port := int(ln.AddrPort().Port())
	_ = ln.Close()

	_, err := usocket.Connect(ctx, "127.0.0.1", port)
	var oe *net.OpError
	fmt.Println(errors.Is(err, usocket.ErrConnectionRefused), errors.Is(err, syscall.ECONNREFUSED),
		errors.As(err, &oe), usocket.ConditionName(err))
	// Output: true true true connection-refused-error
}

// A line-oriented server with a read timeout (usocket's :receive-timeout).
func ExampleListener_AcceptConn() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	ln, err := usocket.Listen(ctx, "127.0.0.1", usocket.AutoPort)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer ln.Close()

	done := make(chan struct{})
	go func() {
		defer close(done)
		c, err := ln.AcceptConn(ctx)
		if err != nil {
			return
		}
		defer c.Close()
		_ = c.SetReadTimeout(5 * time.Second)
		line, _ := bufio.NewReader(c).ReadString('\n')
		fmt.Fprintf(c, "%s\n", strings.ToUpper(strings.TrimSpace(line)))
	}()

	var d usocket.Dialer
	d.Timeout = 5 * time.Second
	c, err := d.Connect(ctx, "127.0.0.1", int(ln.AddrPort().Port()))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprintln(c, "shout")
	answer, _ := bufio.NewReader(c).ReadString('\n')
	fmt.Print(answer)
	<-done
	// Output: SHOUT
}

// net/http served on a unix domain socket, and fetched through a Dialer
// whose DialContext the http.Transport calls with network "unix".
func ExampleListenUnix() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	dir, err := os.MkdirTemp("", "usocket-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer func() { _ = os.RemoveAll(dir) }()
	path := filepath.Join(dir, "http.sock")

	ln, err := usocket.ListenUnix(ctx, path)
	if err != nil {
		fmt.Println(err)
		return
	}
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = fmt.Fprintf(w, "hello from %s", r.URL.Path)
	})}
	go func() { _ = srv.Serve(ln) }()
	defer func() { _ = srv.Close() }() // closes ln too, which removes the socket file

	var d usocket.Dialer
	tr := &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		return d.DialContext(ctx, "unix", path)
	}}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	resp, err := client.Get("http://unix/socket")
	if err != nil {
		fmt.Println(err)
		return
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	fmt.Printf("%s %v\n", body, err)
	// Output: hello from /socket <nil>
}
