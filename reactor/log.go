package reactor

import (
	"context"
	"log/slog"
	"net/netip"
)

// WithLogger sets the logger for what the reactor reports when no error
// hook is set (WithErrorHook): panics in callbacks, accept errors, a loop
// that failed. Each record is tagged with "loop" (the loop's index) and,
// for a connection's, "peer" (its remote address). nil means
// slog.Default() at the time of the report.
func WithLogger(l *slog.Logger) Option { return func(o *Options) { o.Logger = l } }

// reportFrom hands err to the error hook, or logs it tagged with the loop
// (l may be nil) and the peer (when valid).
func (r *Reactor) reportFrom(l *loop, peer netip.AddrPort, err error) {
	log := r.opts.Logger
	if log == nil {
		log = slog.Default()
	}
	if h := r.opts.ErrorHook; h != nil {
		// The hook is user code: a panic in it is recovered (it would
		// otherwise kill a loop goroutine, and the process) and logged, as
		// there is nowhere else to report it.
		defer func() {
			if v := recover(); v != nil {
				log.Error("reactor: error hook panicked", "panic", v, "err", err)
			}
		}()
		h(err)
		return
	}
	attrs := make([]slog.Attr, 0, 3)
	if l != nil {
		attrs = append(attrs, slog.Int("loop", l.idx))
	}
	if peer.IsValid() {
		attrs = append(attrs, slog.String("peer", peer.String()))
	}
	attrs = append(attrs, slog.Any("err", err))
	log.LogAttrs(context.Background(), slog.LevelError, "reactor", attrs...)
}
