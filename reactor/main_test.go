package reactor

import (
	"fmt"
	"os"
	"testing"

	"github.com/usocket-go/usocket/internal/testkit"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	if name := testkit.Child(); name != "" {
		os.Exit(runChild(name))
	}
	goleak.VerifyTestMain(m)
}

// runChild runs the child-process half of a test (see testkit.RunChild).
func runChild(name string) int {
	children := map[string]func() error{
		"emfile": emfileChild,
	}
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
