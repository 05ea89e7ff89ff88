package reactor

import (
	"testing"

	"github.com/usocket-go/usocket/internal/testkit"
	"go.uber.org/goleak"
)

// children are the test's child-process entry points, by name; the
// unix-only test files add theirs from init.
var children = map[string]func() error{}

func TestMain(m *testing.M) {
	testkit.DispatchChild(children)
	goleak.VerifyTestMain(m)
}
