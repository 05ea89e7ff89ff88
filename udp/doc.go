// Package udp provides datagram sockets with the semantics of Common Lisp
// usocket's datagram functions, as blocking Go calls over the event loops
// of package reactor.
//
//	c, err := udp.Dial(ctx, "127.0.0.1", 9000) // connected: one peer
//	if err != nil { ... }
//	defer c.Close()
//	_, err = c.Send([]byte("ping"), netip.AddrPort{}) // to the peer
//	buf := make([]byte, udp.MaxDatagramSize)
//	n, size, from, err := c.Receive(buf) // size > n: datagram was truncated
//
// A *Conn is a net.PacketConn (ReadFrom, WriteTo) and, when connected, a
// net.Conn whose Read and Write move whole datagrams. Datagram boundaries
// are kept: a datagram is never merged with another or split; a receive
// into a short buffer keeps the start and reports the real size;
// zero-length datagrams are delivered.
//
// # Sockets and the event loop
//
// Dial and Listen create the socket with the standard library (so bind and
// connect errors have its shapes), then hand a duplicate of its descriptor
// to a reactor loop, which watches it edge-triggered. The loop reads
// datagrams in batches (recvmmsg) into a bounded per-socket queue and
// stops reading while the queue is full, so
// the kernel's receive buffer holds or drops the excess, as it does for a
// slow reader of a plain socket. Sends go straight from the calling
// goroutine to the kernel and wait for writability only when its buffer is
// full. A server that answers each datagram without blocking can instead
// set Config.Responder, which runs on the loop and sends its replies in
// batches (sendmmsg), with no goroutine hand-off. A *Conn implements
// waitlist.Source, so it can be waited on with
// package waitlist (usocket's WAIT-FOR-INPUT). Waiting callers follow
// the facade's one wake-up protocol (internal/wake) and the descriptor's
// lifetime is the facade's one (internal/fdlife): Close with no call in
// flight has closed the socket when it returns, without waiting for the
// event loop, so it may be called from a reactor callback.
//
// # Deadlines and timeouts
//
// SetDeadline, SetReadDeadline and SetWriteDeadline wake calls already
// blocked. SetReadTimeout is usocket's receive timeout: a limit on each
// receive's wait. A timeout error is a *net.OpError that is a net.Error
// with Timeout() and Temporary() true and matches os.ErrDeadlineExceeded
// and usocket.ErrTimeout.
//
// # Errors
//
// Errors are *net.OpError values whose Err is a *usocket.Error (or, for bad
// input, a *usocket.InputError), so both the errno and usocket's condition
// class are reachable with errors.Is: a bind conflict matches
// usocket.ErrAddressInUse and syscall.EADDRINUSE; an ICMP port-unreachable
// on a connected socket matches usocket.ErrConnectionRefused and
// syscall.ECONNREFUSED; a send over MaxDatagramSize matches
// ErrDatagramTooLarge and usocket.ErrInvalidArgument; use after Close
// matches net.ErrClosed.
//
// # Concurrency
//
// All methods of Conn are safe for concurrent use. Concurrent receivers
// each get whole datagrams, in arrival order; concurrent sends each send
// one whole datagram. From a reactor callback (including a Responder),
// Close, the deadline and option setters and Ready are safe; a Receive or
// Send that would wait must not be made there, since a loop reports what
// would wake it.
//
// # Mapping from Common Lisp usocket
//
//	socket-connect host port :protocol :datagram    Dial(ctx, host, port), (*Config).Dial
//	socket-connect nil nil :protocol :datagram
//	    :local-host h :local-port p                 Listen(ctx, h, p), (*Config).Listen
//	:local-host :local-port (with a host)           Config.LocalHost, Config.LocalPort
//	:timeout, :read-timeout                         Config.ReadTimeout, SetReadTimeout
//	:reuse-address                                  Config.ReuseAddress (ReusePort is extra)
//	socket-send s buf len :host :port               (*Conn).Send(b, to); WriteTo; Write
//	socket-receive s buf len                        (*Conn).Receive(b) (n, size, from, err); ReadFrom; Read
//	+max-datagram-packet-size+                      MaxDatagramSize (65507)
//	socket-option :broadcast                        SetBroadcast, Broadcast, Config.Broadcast
//	socket-option :receive-timeout                  SetReadTimeout
//	socket-close                                    (*Conn).Close
//	get-local-name, get-peer-name                   LocalAddr, RemoteAddr (and ...AddrPort)
//	connected-p                                     (*Conn).Connected
//	wait-for-input                                  waitlist.Wait (a *Conn is a waitlist.Source)
//
// Differences from usocket on SBCL: Send with a peer on a connected socket
// is an error (net.ErrWriteToConnected) instead of a sendto; an unconnected
// send without a peer gives a mapped error (usocket.ErrInvalidArgument)
// instead of a raw one; Receive's first result is the count copied, the
// second the real size (usocket returns the buffer and the real size); and
// Listen's wildcard host binds IPv6 as well as IPv4 (senders' IPv4-mapped
// addresses are reported as IPv4).
package udp
