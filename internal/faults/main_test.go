package faults

import (
	"testing"

	"github.com/usocket-go/usocket/internal/testkit"
	"github.com/usocket-go/usocket/reactor/reactortest"
)

// TestMain runs the child-process halves of tests when asked to (see
// testkit.RunChild), and otherwise the tests under goleak
// (reactortest.VerifyTestMain).
func TestMain(m *testing.M) {
	testkit.DispatchChild(map[string]func() error{
		"emfile-accept":  emfileAcceptChild,
		"emfile-connect": emfileConnectChild,
		"churn-clients":  churnClientsChild,
	})
	reactortest.VerifyTestMain(m)
}
