package handler_test

import (
	"testing"

	"github.com/usocket-go/usocket/reactor"
	"go.uber.org/goleak"
)

// TestMain checks for leaks once the shared reactor, started lazily by the
// usocket and udp facades, is stopped. (goleak.Cleanup would not do: it
// runs after the leak check and replaces os.Exit, losing the exit code.)
func TestMain(m *testing.M) { goleak.VerifyTestMain(closingDefault{m}) }

// closingDefault runs the tests, then stops the shared reactor.
type closingDefault struct{ m *testing.M }

func (c closingDefault) Run() int {
	code := c.m.Run()
	if err := reactor.CloseDefault(); err != nil && code == 0 {
		code = 1
	}
	return code
}
