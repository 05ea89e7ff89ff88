package faults

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/usocket-go/usocket/handler"
	"github.com/usocket-go/usocket/internal/testkit"
	"github.com/usocket-go/usocket/reactor"
)

// Churn: churnConns connections (19,000 on the fd backends; see
// backend_*_test.go) open at once against a reactor Echo server,
// then connections closed and replaced for churnFor, every exchange checked.
// The per-process open-file limit is 20,000, so the clients run in a child
// process and the server here.

const (
	churnFor      = 6 * time.Second
	churnAddrsEnv = "USOCKET_FAULTS_CHURN_ADDRS"
)

// churnLoopbacks are the server's addresses: several destinations let the
// clients' ephemeral ports (and those in TIME_WAIT after a close) be
// shared, so 19,000 open plus the churn fit in the port range.
var churnLoopbacks = []string{"127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4"}

// countingEcho is handler.Echo that counts open connections, the peak, and
// connections that ended with an error.
type countingEcho struct {
	handler.Echo
	open, peak, total, failed *atomic.Int64
}

func (e countingEcho) OnOpen(*reactor.Conn) {
	n := e.open.Add(1)
	e.total.Add(1)
	for p := e.peak.Load(); n > p && !e.peak.CompareAndSwap(p, n); p = e.peak.Load() {
	}
}

func (e countingEcho) OnClose(_ *reactor.Conn, err error) {
	e.open.Add(-1)
	if err != nil {
		e.failed.Add(1)
	}
}

func TestChurnAtScale(t *testing.T) {
	if testing.Short() {
		t.Skip("the heavy test (19,000 connections in a child process) runs without -short")
	}
	before, err := testkit.OpenFDs()
	if err != nil {
		t.Fatal(err)
	}
	sink := newHookSink()
	h := countingEcho{open: new(atomic.Int64), peak: new(atomic.Int64), total: new(atomic.Int64), failed: new(atomic.Int64)}
	ctx := testCtx(t)
	srv, err := handler.Serve(ctx, "tcp4", churnLoopbacks[0]+":0", h, &handler.ServeOptions{
		ReactorOptions: []reactor.Option{reactor.WithLoops(2), reactor.WithErrorHook(sink.hook)},
		ListenOptions:  bigBacklog,
	})
	if err != nil {
		t.Fatal(err)
	}
	stopped := false
	defer func() {
		if !stopped {
			_ = srv.Close()
		}
	}()
	addrs := []string{srv.Addr().String()}
	var extra []*reactor.Listener
	for _, ip := range churnLoopbacks[1:] {
		ln, err := srv.Reactor().Listen(ctx, "tcp4", ip+":0", h, bigBacklog...)
		if err != nil {
			t.Fatalf("listen on %s: %v", ip, err)
		}
		extra = append(extra, ln)
		addrs = append(addrs, ln.Addr().String())
	}
	t.Setenv(churnAddrsEnv, strings.Join(addrs, ","))

	start := time.Now()
	cctx, cancel := context.WithTimeout(context.Background(), 150*time.Second)
	defer cancel()
	out, err := testkit.RunChild(cctx, "churn-clients")
	t.Logf("child (%v):\n%s", time.Since(start).Round(time.Millisecond), out)
	if err != nil {
		t.Fatalf("child failed: %v", err)
	}
	if !strings.Contains(string(out), "churn-clients child: ok") {
		t.Fatal("child exited without its success line")
	}
	if p := h.peak.Load(); p < churnConns {
		t.Errorf("server saw at most %d connections open at once, want %d", p, churnConns)
	}
	if f := h.failed.Load(); f > 0 {
		t.Errorf("%d server connections ended with an error", f)
	}
	for _, ln := range extra {
		_ = ln.Close()
	}
	sctx, scancel := context.WithTimeout(context.Background(), testTimeout)
	defer scancel()
	stopped = true
	if err := srv.Shutdown(sctx); err != nil {
		t.Errorf("Shutdown: %v (%d connections still open)", err, h.open.Load())
	}
	for len(sink.ch) > 0 {
		t.Errorf("reactor reported: %v", <-sink.ch)
	}
	after, err := testkit.OpenFDs()
	if err != nil {
		t.Fatal(err)
	}
	if diff := testkit.FDDiff(before, after); len(diff) > 0 || len(after) > len(before) {
		t.Errorf("server process: %d descriptors before, %d after; new: %q", len(before), len(after), diff)
	}
	t.Logf("server: %d connections served, peak %d open; descriptors %d before, %d after",
		h.total.Load(), h.peak.Load(), len(before), len(after))
}

// churnClientsChild is the client half of TestChurnAtScale.
func churnClientsChild() error {
	addrs := strings.Split(os.Getenv(churnAddrsEnv), ",")
	if len(addrs) == 0 || addrs[0] == "" {
		return errors.New(churnAddrsEnv + " not set")
	}
	before, err := testkit.OpenFDs()
	if err != nil {
		return err
	}
	ch, err := newChurner(addrs)
	if err != nil {
		return err
	}
	err = ch.run()
	_ = ch.r.Close()
	fmt.Printf("churn-clients child: %d connections dialled, %d exchanges, %d mismatches, %d failed closes, peak %d\n",
		ch.dialled.Load(), ch.exchanges.Load(), ch.mismatches.Load(), ch.closeErrs.Load(), ch.peak.Load())
	if err != nil {
		return err
	}
	after, err := testkit.OpenFDs()
	if err != nil {
		return err
	}
	if diff := testkit.FDDiff(before, after); len(diff) > 0 {
		return fmt.Errorf("client descriptors left: %d, such as %q", len(diff), diff[:min(len(diff), 5)])
	}
	fmt.Println("churn-clients child: ok")
	return nil
}
