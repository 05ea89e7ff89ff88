package deadline_test

import (
	"fmt"
	"time"

	"github.com/usocket-go/usocket/internal/deadline"
)

// A blocked call waits on a Deadline's channel and on its own timeout's;
// here the timeout passes first.
func Example() {
	var dl deadline.Deadline
	dl.Set(time.Now().Add(time.Hour))
	defer dl.Stop()

	var reads deadline.Clock // the read timeouts of one connection
	defer reads.Stop()
	call := reads.Call(10 * time.Millisecond)
	defer call.Done()
	for {
		select {
		case <-dl.Wait():
			fmt.Println("deadline passed")
			return
		case <-call.Wait():
			if call.Expired() { // else the shared timer fired for another call
				fmt.Println("read timed out")
				return
			}
		}
	}
	// Output: read timed out
}
