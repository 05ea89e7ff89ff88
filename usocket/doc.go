// Package usocket provides a blocking, usocket-style socket API on top of
// the gnet-based event loops of package reactor.
//
// It is the Go form of Common Lisp's usocket 0.8: connect, listen, accept,
// read and write with deadlines, shut down, socket options, condition
// classes for errors, and the address and name utilities.
//
//	c, err := usocket.Connect(ctx, "example.com", 80)
//	if err != nil {
//		return err // errors.Is(err, usocket.ErrConnectionRefused), ...
//	}
//	defer c.Close()
//	_, err = io.WriteString(c, "HEAD / HTTP/1.0\r\n\r\n")
//	reply, err := io.ReadAll(c)
//
//	ln, err := usocket.Listen(ctx, usocket.WildcardHost, 8080)
//	for {
//		c, err := ln.Accept()
//		if err != nil {
//			return err
//		}
//		go serve(c)
//	}
//
// # Relation to net
//
// [*Conn] is a net.Conn and [*Listener] a net.Listener (asserted at compile
// time), so net/http, crypto/tls, bufio and golang.org/x/net/nettest work
// on them unchanged: a [Dialer] can be http.Transport.DialContext, and
// http.Serve accepts a Listener. Conn also has the optional methods that
// consumers look for: CloseRead, CloseWrite and SyscallConn. Addresses are
// *net.TCPAddr, with netip.AddrPort getters beside them.
//
// Unix domain stream sockets, which usocket itself lacks, work where net
// users reach for them: [ListenUnix] (or [ListenConfig.ListenUnix]) listens
// on a path, and on Linux on an abstract "@name"; Close removes the socket
// file it made, as net.UnixListener does. [Dialer.DialContext] takes
// network "unix", so an http.Transport can talk to a unix socket. The Conns
// are the same type, with *net.UnixAddr addresses and zero AddrPorts.
//
// Under the hood a Conn is a non-blocking socket watched by a reactor
// event loop in edge-triggered mode ([reactor.Reactor.WatchEdge]), in the
// design of Go's own poller: Read and Write make their system calls from
// the calling goroutine, and only when the socket is not ready do they
// park, until the loop reports a readiness edge. Nothing is buffered in
// user space: received bytes stay in the kernel until Read takes them, in
// a receive buffer the kernel autotunes (SO_RCVBUF is set only when
// [Dialer.ReadBufferLimit] or [ListenConfig.ReadBufferLimit] asks for a
// size, which turns autotuning off), so TCP flow control holds a fast peer
// back; Write returns
// once the kernel has taken all of its buffer. The peer's FIN is an io.EOF
// to Read while writing goes on (half-close); Close closes the socket, and
// the kernel still sends what was written; Abort resets.
//
// Accept calls accept(2) itself in the same way: connections nobody
// accepts wait in the kernel's backlog. Conns and Listeners are also
// waitlist sources (package waitlist), so many of them can be waited on at
// once.
//
// # Timeouts and deadlines
//
// Deadlines work as for net.Conn: SetDeadline, SetReadDeadline and
// SetWriteDeadline wake calls that are already blocked, and the zero time
// removes them; Listener.SetDeadline does the same for Accept. usocket's
// :receive-timeout and :send-timeout are [Conn.SetReadTimeout] and
// [Conn.SetWriteTimeout]: a per-call limit on waiting, which ends a call
// at whichever comes first, the deadline or the timeout, so it never pushes
// a deadline later. Connect takes a ctx, and [Dialer.Timeout] and
// [Dialer.Deadline] bound it too; once connected, the ctx no longer
// matters. Blocking calls that have no deadline take a ctx
// ([Listener.AcceptConn]); nothing blocks for ever unless asked to.
//
// A deadline or timeout error is a *net.OpError whose Timeout and
// Temporary methods both report true (crypto/tls needs Temporary) and for
// which errors.Is(err, os.ErrDeadlineExceeded) and errors.Is(err,
// ErrTimeout) hold. The connection stays usable after it.
//
// # Errors
//
// Errors keep the standard library's shape, with usocket's condition class
// added one level down:
//
//	*net.OpError{Op: "dial", Err: *usocket.Error{Kind: ErrConnectionRefused,
//		Err: *os.SyscallError{Syscall: "connect", Err: syscall.ECONNREFUSED}}}
//
// so errors.Is(err, ErrConnectionRefused), errors.Is(err, ErrSocket) and
// errors.Is(err, syscall.ECONNREFUSED) all hold, and errors.As reaches the
// *os.SyscallError and the errno. [MapError] adds the class to any error.
// Name-service failures match [ErrNameService] and one of [ErrHostNotFound],
// [ErrTryAgain], [ErrNoRecovery]; bad input (a port out of range, a
// negative timeout, an unknown shutdown direction) gives an [*InputError]
// matching [ErrInvalidArgument]; an unknown option name gives an
// [*ImplementationError] matching [ErrUnimplemented]. Read at the end of
// the stream returns the bare io.EOF. Any use after Close returns a
// *net.OpError wrapping net.ErrClosed ([ErrClosed]); Accept after Close
// does too, with Temporary false, so http.Serve returns.
//
// # Concurrency
//
// Multiple goroutines may invoke methods on a Conn or a Listener
// simultaneously. Writes are atomic with respect to each other; concurrent
// Reads each get some of the data. The connection's callbacks run on a
// reactor loop and never block it; the Default reactor (one loop per CPU)
// is shared by every Conn and Listener that does not name its own in
// [Dialer.Reactor] or [ListenConfig.Reactor]. Tests that want no goroutine
// left at exit call reactor.CloseDefault.
//
// From a reactor callback (code running on an event loop), Close, Abort,
// CloseRead, CloseWrite, the deadline and option setters and Ready are
// safe: none waits for a loop. A call that would park (a Read with no
// data, an Accept with no connection, a Write into a full buffer) must not
// be made there: the edge that would wake it is reported by a loop, maybe
// the one it blocks; it would only end at its deadline or timeout.
//
// # Mapping from Common Lisp usocket
//
//	usocket                                  Go
//	socket-connect host port :protocol       Connect(ctx, host, port);
//	  :stream :timeout :deadline :nodelay      Dialer{Timeout, Deadline, NoDelay, KeepAlive,
//	  :local-host :local-port                  LocalHost, LocalPort, ...}.Connect;
//	                                           (*Dialer).DialContext(ctx, network, addr) for http.Transport
//	socket-connect ... :protocol :datagram   udp.Dial(ctx, host, port); udp.Listen(ctx, host, port)
//	  (host nil = unconnected)                 (udp.Config for the keywords)
//	socket-listen host port :reuse-address   Listen(ctx, host, port);
//	  :backlog                                 ListenConfig{ReuseAddress, Backlog}.Listen
//	socket-accept                            (*Listener).Accept() (net.Conn, error);
//	                                           (*Listener).AcceptConn(ctx) (*Conn, error)
//	(no unix sockets in usocket)             ListenUnix(ctx, path), ListenConfig{...}.ListenUnix;
//	                                           (*Dialer).DialContext(ctx, "unix", path);
//	                                           handler.StreamServer{Path: path}
//	socket-close                             Close (flushes; Abort resets)
//	socket-shutdown :input :output :io       CloseRead, CloseWrite; Shutdown(ShutdownRead,
//	                                           ShutdownWrite or ShutdownBoth)
//	socket-stream, socket                    the *Conn is the stream; SyscallConn() for the fd
//	get-local-name/-address/-port            LocalAddr, LocalAddrPort (and Listener.AddrPort)
//	get-peer-name/-address/-port             RemoteAddr, RemoteAddrPort
//	socket-send buffer length :host :port    (*udp.Conn).Send(b, to); WriteTo; Write when connected
//	socket-receive buffer length             (*udp.Conn).Receive(b) (n, size int,
//	                                           from netip.AddrPort, err error); ReadFrom
//	+max-datagram-packet-size+               udp.MaxDatagramSize (65507)
//	socket-option, (setf socket-option)      typed: SetReadTimeout, SetWriteTimeout, SetNoDelay,
//	  :receive-timeout :send-timeout           NoDelay, SetKeepAlive, KeepAlive,
//	  :reuse-address :broadcast                Listener.ReuseAddress, (*udp.Conn).SetBroadcast;
//	  :tcp-nodelay :tcp-keepalive              by name: Option(name), SetOption(name, v) with
//	                                           OptionName / ParseOptionName; unknown names give
//	                                           ErrUnimplemented
//	wait-for-input sockets :timeout          waitlist.Wait(ctx, timeout, socks...)
//	  :ready-only, socket-state                (Conn, Listener and udp.Conn are waitlist.Source);
//	                                           waitlist.StateOf
//	make-wait-list, add-waiter,              waitlist.New, (*List).Add, Remove, RemoveAll,
//	  remove-waiter, remove-all-waiters        (*List).Wait
//	socket-server host port function args    handler.StreamServer{Mode: Sequential or
//	  :protocol :in-new-thread                 PerConnection} and handler.DatagramServer (the
//	  :multi-threading :reuse-address          handler maps request bytes to reply bytes, nil =
//	  :element-type :timeout                   no reply); Start returns a *handler.Server with
//	  :max-buffer-size                         Addr, Shutdown(ctx), Close; ListenAndServe blocks;
//	                                           handler.Serve for reactor-native callback handlers
//	*remote-host*, *remote-port*             the peer netip.AddrPort passed to the handler
//	get-host-by-name, get-hosts-by-name,     LookupHost, LookupHosts, LookupRandomHost,
//	  get-random-host-by-name,                 LookupAddr (ctx first; Resolver for a custom
//	  get-host-by-address                      net.Resolver)
//	dotted-quad-to-vector-quad,              ParseDottedQuad, DottedQuad,
//	  vector-quad-to-dotted-quad
//	host-byte-order, hbo-to-dotted-quad,     HostByteOrder, DottedQuadFromHostByteOrder,
//	  hbo-to-vector-quad                       QuadFromHostByteOrder (AddrFromHostByteOrder)
//	ipv6-host-to-vector, vector-to-ipv6-host ParseIPv6, IPv6String
//	ip=, ip/=                                IPEqual, !IPEqual (AddrOf for any form)
//	integer-to-octet-buffer,                 PutUint, UintFrom
//	  octet-buffer-to-integer
//	port-to-octet-buffer,                    PutPort, PortFrom
//	  port-from-octet-buffer
//	ip-to-octet-buffer, ip-from-octet-buffer PutIP, IPFrom
//	condition hierarchy (socket-error        one *Error type whose Is matches the kind
//	  subclasses, ns-error, timeout-error,     sentinels (ErrConnectionRefused, ErrAddressInUse,
//	  unimplemented, ...)                      ErrTimeout, ErrHostNotFound, ... and umbrellas
//	                                           ErrSocket, ErrNameService), wrapping the
//	                                           *os.SyscallError, inside a *net.OpError;
//	                                           ConditionName gives the Lisp class name
//	*wildcard-host*, *auto-port*             WildcardHost, AutoPort
//	with-client-socket, with-server-socket,  defer Close(); errors are mapped everywhere
//	  with-connected-socket,                   (nothing to port)
//	  with-mapped-conditions
//
// Differences from usocket worth knowing: a connect with a timeout reports
// a refused connection as refused (SBCL on Linux reports a timeout);
// Dialer.Timeout 0 means no timeout (use Deadline: time.Now() for
// usocket's :timeout 0); Close flushes written output (SBCL drops it); the
// send timeout is separate from the receive timeout and works; accepted
// connections have TCP_NODELAY on, as in the standard library;
// ListenConfig.ReuseAddress defaults to on and Backlog to the system's
// maximum.
package usocket
