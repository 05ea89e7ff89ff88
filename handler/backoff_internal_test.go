package handler

import (
	"context"
	"errors"
	"os"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// TestAcceptErrorStreakReportedOnce: a streak of EMFILE accept errors is
// reported once, as the reactor's listener does, not once per retry; the
// server goes on accepting after it.
func TestAcceptErrorStreakReportedOnce(t *testing.T) {
	const failures = 6
	var left atomic.Int32
	left.Store(failures)
	over := make(chan struct{})
	testHookAccept = func() error {
		switch n := left.Add(-1); {
		case n >= 0:
			return &os.SyscallError{Syscall: "accept4", Err: syscall.EMFILE}
		case n == -1:
			close(over)
		}
		return nil
	}
	defer func() { testHookAccept = nil }()
	var reports atomic.Int32
	sv := StreamServer{Host: "127.0.0.1", Handler: EchoStream, Mode: PerConnection,
		ErrorHook: func(err error) {
			if !errors.Is(err, syscall.EMFILE) {
				t.Errorf("hooked %v", err)
			}
			reports.Add(1)
		}}
	s, err := sv.Start(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-over: // the loop is past the streak, in a real accept
	case <-time.After(20 * time.Second):
		t.Fatal("accept loop did not get past the error streak")
	}
	_ = s.Close()
	select {
	case <-s.Done():
	case <-time.After(20 * time.Second):
		t.Fatal("service did not end after Close")
	}
	if n := reports.Load(); n != 1 {
		t.Fatalf("%d reports for one streak of %d EMFILE errors, want 1", n, failures)
	}
}
