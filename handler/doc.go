// Package handler turns handlers into servers. It has two families:
//
// Servers of blocking handlers, usocket's socket-server:
//
//   - StreamServer runs a StreamHandler, which gets each TCP client as a
//     blocking *usocket.Conn with the client's address, either one client
//     at a time (Sequential, usocket's default) or a goroutine per client
//     (PerConnection, usocket's :multi-threading t).
//   - DatagramServer runs a DatagramHandler, which maps each request
//     datagram to a reply datagram (nil: no reply) for its sender.
//
// Both bind before serving, so a bind error (address in use, an address
// that is not local, a bad port) is returned to the caller; then they
// serve either in the calling goroutine (ListenAndServe, usocket's default)
// or in the background (Start, usocket's :in-new-thread t), which returns
// a *Server with Addr, a graceful Shutdown(ctx) and Close.
//
// Reactor-native servers: Serve runs a reactor.Handler, callbacks on the
// event loops with no goroutine per connection, for many connections at
// little cost.
//
// Every kind returns the same *Server once serving: Addr, Shutdown(ctx)
// (graceful), Close (now), Done and Err behave alike whatever runs behind.
//
// Stock handlers: EchoStream and DiscardStream (blocking), EchoDatagram and
// DiscardDatagram, and the reactor handlers Echo and Discard.
//
// # From usocket's socket-server
//
//	(socket-server host port fn args ...)      StreamServer{Host, Port, Handler}.ListenAndServe(ctx)
//	  :protocol :datagram                      DatagramServer{...}
//	  (no unix sockets in usocket)             StreamServer{Path: "/run/x.sock", Handler} (unix
//	                                           domain stream socket; "@name" abstract on Linux)
//	  :in-new-thread t                         Start(ctx) → *Server (Addr, Shutdown, Close, Done)
//	  :multi-threading t                       Mode: PerConnection
//	  :reuse-address (default t)               StreamServer.ReuseAddress (nil: on);
//	                                           DatagramServer.ReuseAddress (nil: OFF, see below)
//	  :timeout (UDP wait, default 1)           DatagramServer.ReceiveTimeout (default none)
//	  (none)                                   StreamServer.ReadTimeout, WriteTimeout, IdleTimeout;
//	                                           DatagramServer.HandlerTimeout (default none)
//	  :max-buffer-size                         DatagramServer.MaxBufferSize (default 65507)
//	  :element-type, :name, args               closures; nothing to port
//	*remote-host*, *remote-port*               the handler's peer netip.AddrPort
//	default-udp-handler                        EchoDatagram
//	echo-tcp-handler                           EchoStream
//
// # Failures and stopping: how this differs from usocket
//
// A handler that returns an error or panics is reported to the server's
// ErrorHook as a *HandlerError (holding a *PanicError for a panic); a stream
// client's connection is closed, a datagram gets no reply, and the server
// goes on serving. In usocket, an error in a single-threaded TCP handler
// leaves the accept loop, closes the listening socket and ends the server
// (the error reaches socket-server's caller, or kills its thread); in
// multi-threaded mode it goes to that client thread's debugger; and any
// handler error ends the UDP loop.
//
// A request datagram longer than MaxBufferSize is reported
// (ErrRequestTooLarge) and dropped, where usocket's UDP server dies; a reply
// longer than udp.MaxDatagramSize is reported (ErrReplyTooLarge) and not
// sent, where usocket sends bytes from past the end of its buffer.
//
// usocket has no way to stop a server. Here Shutdown stops taking new
// clients (closing a stream listener, so its port is free at once), lets
// the running handlers finish within its context, then closes what is left;
// Close closes everything at once and cancels the handlers' context.
// Errors that are only the echo of such a close (net.ErrClosed,
// context.Canceled) are not reported to the hook.
//
// # Defaults in front of untrusted peers
//
// A DatagramServer does not set SO_REUSEADDR unless asked: on Linux a UDP
// port bound with it can be bound again by any local user's socket that
// sets it too, which then receives a share of the server's datagrams.
// Several sockets of one program share a port with ReusePort
// (SO_REUSEPORT), which the kernel restricts to one effective user. A
// StreamServer keeps usocket's SO_REUSEADDR default, which for TCP only
// lets a restarted server bind while old connections are in TIME_WAIT.
//
// Timeouts default to none, as in usocket, so that ported code behaves the
// same; but then a client that connects and says nothing holds a
// Sequential StreamServer for good, and a Write to a peer that never reads
// waits until the kernel gives up. A server facing untrusted peers should
// set StreamServer.ReadTimeout or IdleTimeout, and WriteTimeout; a
// DatagramServer whose handlers can be slow, HandlerTimeout (a late reply
// is dropped; the handler's goroutine cannot be stopped, so it must watch
// its ctx).
//
// # Concurrency
//
// Server methods are safe for concurrent use. In PerConnection mode
// handlers, and the ErrorHook, run concurrently. The reactor handlers'
// rules are those of package reactor: callbacks run on the loop and must
// not block.
package handler
