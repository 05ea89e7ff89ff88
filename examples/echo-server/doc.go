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
// Clients that stall are dropped, so that one idle client cannot hold the
// single-mode server for ever: in single and multi mode each TCP read or
// write that waits longer than -read-timeout or -write-timeout (default
// 30 s) fails, and in every TCP mode a connection on which no data moved
// for -idle-timeout (default 2 min) is closed; 0 turns each off. Errors a
// client causes (resets, timeouts) are not logged; a streak of accept
// errors (EMFILE) is logged once.
//
// With -tls the reactor TCP server speaks TLS (reactor/reactortls: the
// standard crypto/tls on the event loops), with the certificate in -cert
// and -key, or else a self-signed one made at start, whose SHA-256
// fingerprint it prints. ALPN offers "echo". Try it with
//
//	go run ./examples/echo-server -tls
//	openssl s_client -connect 127.0.0.1:7007 -quiet
//
// It prints "echo-server (MODE, PROTO) listening on HOST:PORT" (PROTO is
// tcp+tls with -tls) once it
// serves, and stops cleanly on SIGINT or SIGTERM. Exit status: 0 after a
// clean stop, 1 on a runtime error, 2 on a usage error (printed with the
// usage line), 3 for a mode/protocol pair that is not supported.
package main
