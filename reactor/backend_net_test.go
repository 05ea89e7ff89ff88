//go:build windows || usocket_netstd

package reactor

import (
	"errors"
	"testing"
)

// netUnsupported checks that err is the net backend's refusal of a
// feature that needs raw descriptors (an *UnsupportedError matching
// errors.ErrUnsupported) and reports true: the test has nothing more to
// check on this backend.
func netUnsupported(t *testing.T, err error) bool {
	t.Helper()
	var ue *UnsupportedError
	if !errors.Is(err, errors.ErrUnsupported) || !errors.As(err, &ue) || ue.Backend != "net" {
		t.Fatalf("got %v, want an *UnsupportedError matching errors.ErrUnsupported on the net backend", err)
	}
	return true
}

// reusePortOpts is empty: the net backend has no SO_REUSEPORT per loop
// (TestReusePortListenerPerLoop checks the refusal).
var reusePortOpts []ListenOption

// eventsAreTasks: on the net backend every readiness report is a task
// (netsource.go), so Stats' TasksRun counts them too.
const eventsAreTasks = true
