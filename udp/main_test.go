package udp

import (
	"fmt"
	"os"
	"testing"

	"go.uber.org/goleak"

	"github.com/usocket-go/usocket/reactor"
)

// TestMain is goleak.VerifyTestMain with one step first: the shared
// reactor, started lazily by Dial and Listen, is stopped after the tests,
// so that its loop goroutines do not count as leaks. (goleak.Cleanup runs
// only after the leak check, too late for this.)
func TestMain(m *testing.M) {
	code := m.Run()
	if err := reactor.CloseDefault(); err != nil {
		fmt.Fprintf(os.Stderr, "reactor.CloseDefault: %v\n", err)
		code = 1
	}
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintf(os.Stderr, "goleak: errors on successful test run: %v\n", err)
			code = 1
		}
	}
	os.Exit(code)
}
