// Command echo-client drives an echo server (examples/echo-server, or any
// other) over TCP or UDP through the blocking facade (packages usocket and
// udp), checks every echo byte for byte, and reports throughput and
// latency percentiles:
//
//	go run ./examples/echo-client -addr 127.0.0.1:7007 -c 10 -n 1000 -size 64
//	go run ./examples/echo-client -proto udp -n 100
//
// Each of -c connections sends -n messages of -size bytes, one at a time,
// waiting for each echo. Over UDP a lost datagram is sent again after
// -retry. Exit status: 0 if every echo matched, 1 otherwise, 2 on bad flags.
package main
