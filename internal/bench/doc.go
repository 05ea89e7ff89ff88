// Package bench is a benchmark harness that compares echo servers running as
// separate processes on the loopback interface.
//
// It has three parts:
//
//   - an in-process load generator (TCPPingPong, Bulk, UDPPingPong, IdleMemory)
//     that drives any echo server at an address and verifies every echoed byte;
//   - a process runner (StartServer, BuildServers) that builds server binaries,
//     starts a fresh server per measurement, waits for its "listening on
//     HOST:PORT" line and stops it again;
//   - a matrix runner (Run, WriteMarkdown) that repeats every scenario for
//     every server, rotating the server order, and reports medians as a
//     Markdown table relative to the standard-library server.
//
// The peer servers live in cmd/gnet-echo (raw gnet v2) and cmd/std-echo
// (goroutine per connection); cmd/benchmatrix is the command-line front end.
// Nothing here is a pass/fail timing test: numbers are reported, not judged.
package bench
