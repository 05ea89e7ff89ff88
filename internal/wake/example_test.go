package wake_test

import (
	"fmt"

	"github.com/usocket-go/usocket/internal/wake"
)

// The shape of every blocking call of the facade: read the edge count,
// try the system call, and on "not ready" wait for an edge after that
// count. Here the "event loop" is a goroutine that makes the data ready
// and reports the edge.
func ExampleEdge() {
	var e wake.Edge
	ready := make(chan bool, 1) // the "socket": has data once true is in it
	go func() {
		ready <- true
		e.Notify() // the loop reports the readiness edge
	}()
	for {
		seq := e.Seq()
		select {
		case <-ready: // the system call succeeded
			fmt.Println("read")
			return
		default: // EAGAIN: park until an edge after seq (never lost)
		}
		if e.Wait(seq, wake.Stops{}) != wake.Ready {
			return
		}
	}
	// Output: read
}
