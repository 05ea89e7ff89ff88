package reactor

import (
	"log/slog"
	"runtime"
	"time"
)

// Options holds a reactor's settings. The zero value of each field means its
// default; New validates and fills them.
type Options struct {
	// Loops is the number of event loops; 0 means runtime.NumCPU().
	Loops int
	// ReadBufferSize is the per-loop read buffer, the most one OnData call
	// sees at once; 0 means 256 KiB. A connection reads at most the room its
	// queued output leaves below WriteHighWater (but at least 16 KiB).
	ReadBufferSize int
	// WriteHighWater is the outbound queue size at which a connection counts
	// as blocked (OnWriteBlocked); 0 means 256 KiB.
	WriteHighWater int
	// WriteLowWater is the size the queue must drain to before
	// OnWriteDrained; 0 means WriteHighWater/4.
	WriteLowWater int
	// Linger bounds a graceful Close: queued output not flushed by then is
	// dropped and the connection reset. 0 means 30 s.
	Linger time.Duration
	// IdleTimeout closes connections without traffic for that long; 0 means
	// never.
	IdleTimeout time.Duration
	// ErrorHook receives errors nobody else can be told of: panics in
	// callbacks, accept failures. nil means log them with Logger.
	// It runs on a loop and must not block; a panic in it is recovered and
	// logged with Logger.
	ErrorHook func(error)
	// Logger logs what the reactor reports when ErrorHook is nil, tagged
	// with the loop and the peer; nil means slog.Default().
	Logger *slog.Logger
	// IdleWait is how a loop with nothing to do waits; see IdleWait.
	IdleWait IdleWait
	// MemoryLimit bounds the output queued by all connections together, in
	// bytes. Past it, connections holding unsent output stop reading (those
	// that read while the limit is passed get small reads) until their own
	// queue drains or the total falls below half the limit; the error hook
	// hears ErrMemoryLimit, MemoryStats counts the pauses. The pause is
	// separate from PauseRead. 0 means DefaultMemoryLimit (lower under a
	// GOMEMLIMIT), NoMemoryLimit none.
	MemoryLimit int64

	stallEvery time.Duration // the stall watchdog's interval; 0: its default (tests shorten it)
}

// IdleWait chooses how an idle loop waits for its next event. It applies
// to the Linux backend; on the portable one (macOS, the BSDs, -tags
// usocket_portable) every mode blocks in the kernel wait (kevent or
// epoll_wait).
type IdleWait int

const (
	// IdleWaitAuto (the default) blocks in epoll_wait, except right after
	// the loop handed readiness to a Watcher (the usocket and udp facades'
	// sockets), when it parks in the Go runtime poller so the goroutine it
	// woke runs at once. A loop that serves only the blocking facade's
	// sockets (usocket.Conn, usocket.Listener, udp.Conn) and has no timer
	// armed lends itself, when idle, to the next Read or Write that must
	// wait, which then runs the loop's wait itself and is woken by the Go
	// poller directly, without a hand-off through the loop goroutine (see
	// Lendable).
	IdleWaitAuto IdleWait = iota
	// IdleWaitBlock always blocks the loop's thread in epoll_wait, as gnet
	// does: the fastest wake-up for a server whose clients are other
	// processes.
	IdleWaitBlock
	// IdleWaitPark always parks in the Go runtime poller: best when the
	// loop's handlers hand work to goroutines of the same process. It
	// never lends the loop.
	IdleWaitPark
	// IdleWaitLend is IdleWaitAuto.
	//
	// Deprecated: lending is part of IdleWaitAuto, the default, since it
	// was measured faster than the hand-off in every facade benchmark
	// cell; IdleWaitPark waits as IdleWaitAuto did before.
	IdleWaitLend
)

// WithIdleWait sets how idle loops wait.
func WithIdleWait(w IdleWait) Option { return func(o *Options) { o.IdleWait = w } }

// Option changes Options; pass them to New.
type Option func(*Options)

// WithOptions sets every field of o that is not its zero value, over what
// the options before it set; zero fields leave earlier settings alone, so
// it composes with the other options in order (a later WithLoops wins over
// o.Loops, and o.Loops over an earlier one).
func WithOptions(o Options) Option {
	return func(p *Options) {
		setIf(&p.Loops, o.Loops)
		setIf(&p.ReadBufferSize, o.ReadBufferSize)
		setIf(&p.WriteHighWater, o.WriteHighWater)
		setIf(&p.WriteLowWater, o.WriteLowWater)
		setIf(&p.Linger, o.Linger)
		setIf(&p.IdleTimeout, o.IdleTimeout)
		setIf(&p.IdleWait, o.IdleWait)
		setIf(&p.MemoryLimit, o.MemoryLimit)
		if o.ErrorHook != nil {
			p.ErrorHook = o.ErrorHook
		}
		if o.Logger != nil {
			p.Logger = o.Logger
		}
	}
}

// setIf sets *p to v unless v is the zero value.
func setIf[T comparable](p *T, v T) {
	var zero T
	if v != zero {
		*p = v
	}
}

// WithLoops sets the number of event loops (0: one per CPU).
func WithLoops(n int) Option { return func(o *Options) { o.Loops = n } }

// WithReadBufferSize sets the per-loop read buffer size.
func WithReadBufferSize(n int) Option { return func(o *Options) { o.ReadBufferSize = n } }

// WithWriteWaterMarks sets the outbound high- and low-water marks.
func WithWriteWaterMarks(high, low int) Option {
	return func(o *Options) { o.WriteHighWater, o.WriteLowWater = high, low }
}

// WithLinger bounds how long a graceful Close may take to flush.
func WithLinger(d time.Duration) Option { return func(o *Options) { o.Linger = d } }

// WithIdleTimeout closes connections idle for longer than d.
func WithIdleTimeout(d time.Duration) Option { return func(o *Options) { o.IdleTimeout = d } }

// WithErrorHook sets where panics and accept errors are reported.
func WithErrorHook(f func(error)) Option { return func(o *Options) { o.ErrorHook = f } }

// normalize fills defaults and rejects nonsense.
func (o *Options) normalize() error {
	switch {
	case o.Loops < 0 || o.Loops > 1024:
		return optionError("Loops", o.Loops)
	case o.ReadBufferSize < 0:
		return optionError("ReadBufferSize", o.ReadBufferSize)
	case o.WriteHighWater < 0 || o.WriteLowWater < 0:
		return optionError("WriteHighWater/WriteLowWater", o.WriteHighWater)
	case o.IdleWait < IdleWaitAuto || o.IdleWait > IdleWaitLend:
		return optionError("IdleWait", o.IdleWait)
	case o.Linger < 0 || o.IdleTimeout < 0:
		return optionError("Linger/IdleTimeout", o.Linger)
	}
	if o.Loops == 0 {
		o.Loops = runtime.NumCPU()
	}
	if o.ReadBufferSize == 0 {
		o.ReadBufferSize = 256 << 10
	}
	if o.WriteHighWater == 0 {
		o.WriteHighWater = 256 << 10
	}
	if o.WriteLowWater == 0 || o.WriteLowWater > o.WriteHighWater {
		o.WriteLowWater = o.WriteHighWater / 4
	}
	if o.MemoryLimit == 0 {
		o.MemoryLimit = defaultMemoryLimit()
	}
	if o.Linger == 0 {
		o.Linger = 30 * time.Second
	}
	return nil
}
