package testkit

import (
	"context"
	"fmt"
	"os"
	"os/exec"
)

// childEnv names the child to run in a re-executed test binary.
const childEnv = "USOCKET_TESTKIT_CHILD"

// Child returns the name passed to RunChild when this process is such a
// child, and "" otherwise. Call it first in TestMain:
//
//	func TestMain(m *testing.M) {
//		if name := testkit.Child(); name != "" {
//			os.Exit(runChild(name))
//		}
//		goleak.VerifyTestMain(m)
//	}
func Child() string { return os.Getenv(childEnv) }

// RunChild re-executes the running test binary with Child() returning
// name, and returns its combined output. err is non-nil when the child
// could not start, exited non-zero (an *exec.ExitError) or ctx ended (the
// child is then killed). The child runs no tests of its own
// (-test.run=^$), so TestMain must dispatch on Child.
func RunChild(ctx context.Context, name string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$", "-test.count=1")
	cmd.Env = append(os.Environ(), childEnv+"="+name)
	return cmd.CombinedOutput()
}

// DispatchChild is the first line of a TestMain whose tests use RunChild:
// in a child process it runs children[Child()] and exits (status 0 when it
// returns nil, 1 with its error on stderr otherwise, 2 for an unknown
// name); in the test process itself it returns at once.
func DispatchChild(children map[string]func() error) {
	name := Child()
	if name == "" {
		return
	}
	f, ok := children[name]
	if !ok {
		fmt.Fprintf(os.Stderr, "testkit: unknown child %q\n", name)
		os.Exit(2)
	}
	if err := f(); err != nil {
		fmt.Fprintf(os.Stderr, "child %s: %v\n", name, err)
		os.Exit(1)
	}
	os.Exit(0)
}
