// Command gnet-echo is a raw gnet v2 echo server used as a benchmark peer.
//
//	gnet-echo -addr 127.0.0.1:0 -proto tcp|udp -loops N
//
// It prints exactly one line, "listening on HOST:PORT", once it is bound, and
// exits with status 0 on SIGINT or SIGTERM.
package main
