// Command proxy is a TCP proxy on reactor callbacks (no goroutine per
// connection once it is set up) that shows flow control end to end:
//
//	go run ./examples/echo-server &                           # something to proxy to
//	go run ./examples/proxy -addr 127.0.0.1:7008 -to 127.0.0.1:7007
//	go run ./examples/echo-client -addr 127.0.0.1:7008
//
// Each accepted connection is paused until its upstream connection is
// dialled (a short-lived goroutine per setup, bounded by -dial-timeout),
// then bytes flow both ways through the loops:
//
//   - Backpressure: when one side's outbound queue passes the reactor's
//     high-water mark (OnWriteBlocked), the other side stops reading
//     (PauseRead), so TCP flow control holds back whichever peer produces
//     faster than the other consumes; it reads again once the queue drains
//     below the low-water mark (OnWriteDrained). Memory per connection pair
//     stays near two high-water marks, whatever the peers do.
//   - Half-close: a peer's FIN (OnEOF) becomes a FIN to the other peer
//     (CloseWrite, after what is queued), and the other direction keeps
//     flowing until it closes too.
//   - A reset or error on one side aborts the other.
//   - -idle-timeout closes pairs on which nothing moved for that long.
//
// It prints "proxy to UPSTREAM listening on HOST:PORT" and stops cleanly on SIGINT or
// SIGTERM.
package main
