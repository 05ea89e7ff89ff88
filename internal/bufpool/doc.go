// Package bufpool keeps size-classed byte buffers for reuse, so that the event
// loops and the blocking facade do not allocate per event in steady state.
//
// Buffers travel as *[]byte so that Get and Put never allocate. A buffer that
// grew past the largest class is dropped on Put and left to the GC, and so
// is one of a large class (16 KiB and up) the pool already holds enough of,
// so that what a burst of traffic queued is not kept once it is over.
package bufpool
