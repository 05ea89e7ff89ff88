// Command std-echo is a standard-library echo server used as the baseline
// benchmark peer: one goroutine per TCP connection copying through a 32 KiB
// buffer, or for UDP -loops SO_REUSEPORT sockets each served by one
// ReadFrom/WriteTo goroutine.
//
//	std-echo -addr 127.0.0.1:0 -proto tcp|udp -loops N
//
// It prints exactly one line, "listening on HOST:PORT", once it is bound, and
// exits with status 0 on SIGINT or SIGTERM.
package main
