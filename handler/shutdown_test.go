package handler_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/usocket-go/usocket/handler"
)

// TestSecondShutdown: Shutdown on a service already stopped (by Shutdown or
// Close) returns ErrServerClosed, as its doc and ErrServerClosed's say, and
// so does Close; the first Close of a running service returns nil, even
// when the stop it begins ends at once (tried several times, as that is a
// race).
func TestSecondShutdown(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	for _, first := range []string{"Shutdown", "Close"} {
		t.Run(first, func(t *testing.T) {
			for range 20 {
				s := startStream(t, &handler.StreamServer{Handler: handler.EchoStream})
				if first == "Shutdown" {
					if err := s.Shutdown(ctx); err != nil {
						t.Fatalf("first Shutdown: %v", err)
					}
				} else if err := s.Close(); err != nil {
					t.Fatalf("first Close: %v", err)
				}
				select {
				case <-s.Done():
				case <-time.After(wait):
					t.Fatal("service did not end")
				}
				if err := s.Shutdown(ctx); !errors.Is(err, handler.ErrServerClosed) {
					t.Fatalf("second Shutdown = %v, want ErrServerClosed", err)
				}
				if err := s.Close(); !errors.Is(err, handler.ErrServerClosed) {
					t.Fatalf("Close after %s = %v, want ErrServerClosed", first, err)
				}
			}
		})
	}
}
