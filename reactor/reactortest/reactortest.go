package reactortest

import (
	"fmt"
	"os"
	"testing"

	"github.com/usocket-go/usocket/reactor"
	"go.uber.org/goleak"
)

// VerifyTestMain runs the tests, stops the shared default reactor (whose
// loops the facades start lazily and which would otherwise count as
// leaked goroutines), then checks with goleak that nothing else is left,
// failing the run if anything is. Use it as a package's TestMain.
//
// (goleak.Cleanup cannot do this: goleak v1.3.0 runs it after the leak
// check, and it replaces the exit.)
func VerifyTestMain(m *testing.M, opts ...goleak.Option) {
	goleak.VerifyTestMain(closingDefault{m}, opts...)
}

// closingDefault is a goleak.TestingM whose Run also stops the default
// reactor.
type closingDefault struct{ m *testing.M }

func (c closingDefault) Run() int {
	code := c.m.Run()
	if err := reactor.CloseDefault(); err != nil {
		fmt.Fprintf(os.Stderr, "reactortest: stopping the default reactor: %v\n", err)
		if code == 0 {
			code = 1
		}
	}
	return code
}
