package usocket

import (
	"testing"

	"github.com/usocket-go/usocket/reactor/reactortest"
)

// TestMain runs the package's tests under goleak (goleak.VerifyTestMain),
// after stopping the shared reactor the facade starts lazily.
func TestMain(m *testing.M) { reactortest.VerifyTestMain(m) }
