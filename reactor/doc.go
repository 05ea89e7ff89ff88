// Package reactor is the event-driven core of usocket: a set of event loops
// that drive non-blocking sockets and call handlers, with the flow control,
// half-close and graceful close that a plain callback engine lacks. The
// blocking facade (packages usocket and udp) is built on it; servers that
// want no goroutine per connection use it directly.
//
// # Loops
//
// A Reactor (New, or the lazily started shared Default) runs N event loops,
// one goroutine each (runtime.NumCPU() by default, WithLoops to change).
// Each loop owns one epoll instance, used level-triggered, and one of
// gnet's lock-free task queues (pkg/queue) woken by an eventfd: other
// goroutines hand work to a loop by queueing a task. A loop runs at most
// 256 queued tasks, and none after 1 ms, between two looks for I/O and
// due timers, so a task that queues another (an Execute chain, even one
// whose steps each take long), or a goroutine writing in a tight loop,
// cannot starve the other connections or the timers. Every registration of a descriptor with a loop gets a new
// generation, carried in the epoll event's data along with the descriptor:
// an event queued for a descriptor that has since been closed, its number
// reused, is dropped instead of reaching the new owner. A loop serving
// callback handlers waits in epoll_wait, as gnet's does (looking once more
// without blocking, and yielding, before it blocks); a loop that has
// just handed readiness to a Watcher (the usocket and udp facades' sockets)
// instead parks in the Go runtime's poller, so that the goroutine it woke,
// a blocked Read say, runs at once rather than after the scheduler retakes
// the processor from a blocked syscall (about 27 µs per hand-off, measured
// on the udp facade). A loop whose registrations are all lendable edge
// watchers (the usocket facade's sockets and the udp facade's, see
// Lendable) goes one step further when idle: it lends itself, and the next
// blocked facade call runs the loop on its own goroutine
// (Watcher.PollUntil), parked in the Go poller on the loop's epoll
// descriptor, so the runtime wakes that call directly, with no hand-off
// through the loop goroutine (Linux backend only; LoopStats.Borrows counts
// such waits). A call that brings its system call (Watcher.PollTry, the
// usocket facade's Read) makes it first after each wake-up, as net does,
// and looks at the loop's events only when something else may need them. A timerfd on every loop drives its timers (a heap,
// no goroutine per timer). Connections from a Listener, Dial or Attach are
// spread over the loops round robin; WithReusePort gives every loop its own
// SO_REUSEPORT listening socket instead.
//
// Listen and Dial take TCP ("tcp", "tcp4", "tcp6") and unix domain stream
// sockets ("unix", a path, or an abstract "@name" on Linux); a unix
// connection's addresses are *net.UnixAddr and its AddrPorts zero, and a
// unix Listener removes the socket file it made when it closes.
//
// # Platforms
//
// The loops above are the Linux backend, the default there. On macOS and the BSDs the
// loops run the portable backend instead: the same loop over kqueue, woken
// through a pipe, its timers driven by the wait's timeout, every IdleWait
// mode blocking in the kernel wait. Building with -tags usocket_portable
// selects that backend on Linux too (over epoll), which is how CI runs it.
// Everything above the poller, and so every guarantee (backpressure,
// half-close, flushing close, timers, watchers, panic isolation, EMFILE
// back-off, events routed by registration), is the same code on both.
//
// # Callbacks
//
// A Handler sees one connection's life as
//
//	OnOpen ─▶ OnData* ─▶ OnEOF ─▶ OnData?... ─▶ OnClose
//	   │         │                                  ▲
//	   └─────────┴── Close, Abort, error, panic ────┘
//
// OnOpen comes first and OnClose exactly once, last, with the reason (nil
// after Close or Abort; the errno-wrapping error of a failed read or write;
// ErrIdleTimeout, ErrLingerTimeout, net.ErrClosed when the reactor stopped,
// or a *PanicError). OnEOF reports the peer's FIN. A Handler that also
// implements WriteNotifier hears when its outbound queue crosses the
// high-water mark (OnWriteBlocked) and drains below the low-water mark
// (OnWriteDrained).
//
// # Threading rules
//
// Every callback of a connection runs on its loop goroutine, one at a time,
// and must not block: that loop serves many connections. The data passed to
// OnData is the loop's read buffer, valid only until OnData returns; copy
// what must outlive it. One OnData sees at most ReadBufferSize bytes (256
// KiB by default), and no more than the room the connection's queued output
// leaves below the write high-water mark (but at least 16 KiB), so that
// reading cannot carry the queue far past the mark. Timers (Conn.AfterFunc) and Execute also run on the
// loop.
//
// The Conn methods Write, Close, Abort, CloseWrite, PauseRead, ResumeRead,
// Execute, AfterFunc, Buffered and the address getters are safe from any
// goroutine, callbacks included: they record the request and wake the loop,
// or, from inside a callback, leave it to be acted on when the callback
// returns. So are the Listener and Timer methods and Watcher's SetInterest,
// Execute and Close (Watcher.FD is for use on the loop). Reactor.Close,
// Reactor.Shutdown and Listener.Close wait for the loops, so they must not
// be called from a callback.
//
// A panic in a Handler or FDHandler method, or in a function passed to
// Execute, is recovered: it is reported to the error hook (WithErrorHook;
// slog by default) as a *PanicError, the connection or watcher it belongs to
// is closed (its OnClose gets the *PanicError), and the reactor goes on
// serving everything else. A panic in a timer function is reported only, and
// one in the error hook itself is logged with slog.
//
// OnClose is the last call for a connection: its AfterFunc timers are
// stopped then, a function queued by Execute that has not run by then does
// not run, and Execute and AfterFunc return ErrClosed once Close or Abort
// was called.
//
// # Writing, backpressure, closing
//
// Write copies its bytes into the connection's queue and returns at once;
// writes are sent in order and each is atomic. Buffered reports what is
// queued; bound it yourself, or with a WriteNotifier. The reactor bounds the
// total over all connections (WithMemoryLimit, 256 MiB by default): past it,
// connections whose output is not draining stop reading until it drains or
// the total falls below half the limit, so peers that never read cannot
// exhaust the process.
//
// PauseRead turns the descriptor's read interest off: the kernel buffers
// fill and TCP flow control holds the peer back, so a slow consumer costs no
// memory beyond the socket buffers. ResumeRead turns it back on.
//
// Half-close works both ways. A peer's FIN is delivered as OnEOF and the
// connection stays writable until the handler closes it. CloseWrite shuts
// down our side once the queue has drained (the peer reads EOF) while
// reading goes on; after both FINs the connection closes by itself.
//
// Close is graceful: further writes are refused, the queue is flushed, the
// write side is shut down and the descriptor closed once the peer closes its
// side, all bounded by the linger time (WithLinger; OnClose then gets
// ErrLingerTimeout if output was left). Abort closes at once and sends an
// RST (SO_LINGER 0), dropping the queue; after Close it cuts the graceful
// close short. WithIdleTimeout closes connections that see no traffic for a
// while.
//
// # Accepting
//
// Listeners keep the kernel backlog as their queue and accept a bounded
// batch per wakeup. When accept fails with EMFILE, ENFILE or the like, the
// error is reported once as an *AcceptError and the listener backs off
// (5 ms doubling to 1 s) and tries again, rather than stopping.
//
// # Stopping
//
// Reactor.Close stops at once: connections and watchers get OnClose with
// net.ErrClosed, every loop goroutine exits and every descriptor is closed
// before it returns. Reactor.Shutdown(ctx) first closes listeners and closes
// every connection gracefully (one accepted or attached but not yet
// registered with its loop included), waiting until they are gone or ctx
// ends.
// Afterwards every call (Write, Close, Listen, Dial, Attach, Watch,
// AfterFunc, ...) returns an error matching net.ErrClosed instead of
// blocking.
//
// # Raw descriptors
//
// Watch hands any non-blocking descriptor (a UDP socket, a pipe) to a loop
// and reports readable and writable readiness to an FDHandler; packages
// built on the reactor use it for what is not a TCP stream.
package reactor
