package wake

import (
	"sync/atomic"
	"testing"
)

// BenchmarkEdgeHandoff: two goroutines take turns, each parking on its
// Edge until the other notifies it: the cost of one facade wake-up
// without the system calls around it. Stops are those of a typical Read
// (closing and an unset deadline).
func BenchmarkEdgeHandoff(b *testing.B) {
	var ping, pong Edge
	var turn atomic.Int64 // even: the main goroutine's turn
	done := make(chan struct{})
	dl := make(chan struct{})
	s := Stops{Done: done, Deadline: dl}
	exited := make(chan struct{})
	go func() {
		defer close(exited)
		for i := int64(1); ; i += 2 {
			for {
				seq := pong.Seq()
				if turn.Load() == i {
					break
				}
				if pong.Wait(seq, s) != Ready {
					return
				}
			}
			turn.Add(1)
			ping.Notify()
		}
	}()
	b.ResetTimer()
	for i := int64(0); i < int64(b.N)*2; i += 2 {
		turn.Add(1)
		pong.Notify()
		for {
			seq := ping.Seq()
			if turn.Load() == i+2 {
				break
			}
			if ping.Wait(seq, s) != Ready {
				b.Fatal("wait ended")
			}
		}
	}
	b.StopTimer()
	close(done)
	<-exited
}
