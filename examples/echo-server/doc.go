// Command echo-server serves an echo service over TCP or UDP, to try the
// project or to benchmark it:
//
//	go run ./examples/echo-server                          # reactor mode, TCP, 127.0.0.1:7007
//	go run ./examples/echo-server -mode multi -addr 127.0.0.1:0
//	go run ./examples/echo-server -mode single -proto udp
//
// Modes:
//
//	reactor  callbacks on the event loops, no goroutine per client
//	         (TCP: handler.Serve with handler.Echo; UDP: -loops SO_REUSEPORT
//	         sockets, each read and answered on its loop)
//	single   usocket's default socket-server: one client at a time
//	         (TCP: handler.StreamServer, Sequential, handler.EchoStream);
//	         for UDP, one datagram at a time in arrival order
//	multi    usocket's :multi-threading t: a goroutine per client
//	         (TCP: PerConnection); for UDP, a goroutine per datagram
//	         (handler.DatagramServer, PerConnection)
//
// It prints "echo-server (MODE, PROTO) listening on HOST:PORT" once it
// serves, and stops cleanly on SIGINT or SIGTERM. Exit status: 0 after a
// clean stop, 1 on a runtime error, 2 on bad flags, 3 for a mode/protocol
// pair that is not supported.
package main
