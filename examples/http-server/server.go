package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/usocket-go/usocket/usocket"
)

// newMux returns the routes.
func newMux(maxBody int64) *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintf(w, "hello from usocket-go, %s\n", r.RemoteAddr)
	})
	mux.HandleFunc("POST /echo", func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		if err != nil {
			http.Error(w, err.Error(), http.StatusRequestEntityTooLarge)
			return
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		_, _ = w.Write(body)
	})
	return mux
}

// listen binds addr with usocket.Listen: the listener is a net.Listener
// whose connections are *usocket.Conn.
func listen(ctx context.Context, addr string) (net.Listener, error) {
	host, ps, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	port, err := strconv.Atoi(ps)
	if err != nil {
		return nil, fmt.Errorf("port %q: %w", ps, err)
	}
	return usocket.Listen(ctx, host, port)
}

// newServer is net/http's server with the timeouts a server facing the
// internet needs.
func newServer(cfg config) *http.Server {
	return &http.Server{
		Handler:           newMux(cfg.maxBody),
		ReadHeaderTimeout: cfg.readTimeout,
		ReadTimeout:       cfg.readTimeout,
		WriteTimeout:      cfg.writeTimeout,
		IdleTimeout:       cfg.idleTimeout,
		MaxHeaderBytes:    64 << 10,
	}
}

// newClient is net/http's client with connections made by usocket's
// Dialer.
func newClient(timeout time.Duration) *http.Client {
	d := &usocket.Dialer{Timeout: timeout}
	return &http.Client{
		Timeout:   timeout,
		Transport: &http.Transport{DialContext: d.DialContext, ForceAttemptHTTP2: false},
	}
}

// get fetches url through usocket and copies the body to w.
func get(ctx context.Context, url string, timeout time.Duration, w io.Writer) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	c := newClient(timeout)
	defer c.CloseIdleConnections()
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	_, err = io.Copy(w, resp.Body)
	return err
}
