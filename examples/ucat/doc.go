// Command ucat is a small netcat on the blocking facade (packages usocket
// and udp): it connects to, or listens for, one peer and copies stdin to
// the socket and the socket to stdout.
//
//	echo hi | ucat 127.0.0.1 7007        # TCP: sends, half-closes, prints the whole reply
//	ucat -l 127.0.0.1 9000               # TCP: waits for one client
//	echo hi | ucat -u 127.0.0.1 7007     # UDP: each stdin read is one datagram
//	ucat -u -l 127.0.0.1 9000            # UDP: talks to whoever sends first
//
// Over TCP, the end of stdin shuts down the write side (a half-close), so
// the peer reads EOF and ucat goes on printing until the peer closes. UDP
// has no end of stream: after stdin ends, ucat waits for replies until none
// came for -w. In listen mode, "ucat listening on HOST:PORT" goes to
// stderr. Exit status: 0 on success, 1 on a network error, 2 on bad usage.
package main
