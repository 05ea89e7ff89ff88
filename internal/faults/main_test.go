package faults

import (
	"testing"

	"github.com/usocket-go/usocket/internal/testkit"
	"github.com/usocket-go/usocket/reactor/reactortest"
)

// children are the child-process halves of tests, by name; the unix-only
// test files add theirs from init.
var children = map[string]func() error{"churn-clients": churnClientsChild}

// TestMain runs the child-process halves of tests when asked to (see
// testkit.RunChild), and otherwise the tests under goleak
// (reactortest.VerifyTestMain).
func TestMain(m *testing.M) {
	testkit.DispatchChild(children)
	reactortest.VerifyTestMain(m)
}
