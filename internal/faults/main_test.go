package faults

import (
	"fmt"
	"os"
	"testing"

	"github.com/usocket-go/usocket/internal/testkit"
	"github.com/usocket-go/usocket/reactor/reactortest"
)

func TestMain(m *testing.M) {
	if name := testkit.Child(); name != "" {
		os.Exit(runChild(name))
	}
	reactortest.VerifyTestMain(m)
}

// children are the child-process halves of tests (see testkit.RunChild).
var children = map[string]func() error{
	"emfile-accept":  emfileAcceptChild,
	"emfile-connect": emfileConnectChild,
	"churn-clients":  churnClientsChild,
}

func runChild(name string) int {
	f, ok := children[name]
	if !ok {
		fmt.Fprintf(os.Stderr, "unknown child %q\n", name)
		return 2
	}
	if err := f(); err != nil {
		fmt.Fprintf(os.Stderr, "child %s: %v\n", name, err)
		return 1
	}
	return 0
}
