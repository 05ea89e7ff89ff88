package reactorexpvar

import (
	"errors"
	"expvar"
	"fmt"
	"sync"

	"github.com/usocket-go/usocket/reactor"
)

// ErrNameTaken is returned by Publish for a name expvar already has.
var ErrNameTaken = errors.New("reactorexpvar: name already published")

var mu sync.Mutex // makes the check and expvar.Publish one step

// Publish makes expvar report r.Stats() under name, computed afresh at each
// read of /debug/vars (a snapshot of atomics: it never waits for a loop).
// expvar cannot unpublish, so a name is taken for the life of the process;
// Publish refuses a taken name with ErrNameTaken instead of panicking as
// expvar.Publish does.
func Publish(name string, r *reactor.Reactor) error {
	if r == nil {
		return fmt.Errorf("reactorexpvar: nil reactor for %q", name)
	}
	mu.Lock()
	defer mu.Unlock()
	if expvar.Get(name) != nil {
		return fmt.Errorf("%w: %q", ErrNameTaken, name)
	}
	expvar.Publish(name, expvar.Func(func() any { return r.Stats() }))
	return nil
}
