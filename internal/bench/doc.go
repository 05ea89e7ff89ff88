// Package bench is a benchmark harness that compares echo servers running as
// separate processes on the loopback interface.
//
// It has four parts:
//
//   - an in-process load generator (TCPPingPong, Bulk, UDPPingPong,
//     IdleMemory, SlowReader) that drives any echo server at an address and
//     verifies every echoed byte;
//   - in-process reference scenarios that need no server: LoopbackLimit (one
//     TCP stream into a sink, the ceiling for the bulk rows) and
//     WaitlistScaling (waitlist.List.Wait with one ready source among N,
//     against polling every source);
//   - a process runner (StartServer, BuildServers) that builds server binaries,
//     starts a fresh server per measurement, waits for its "listening on
//     HOST:PORT" line, samples its CPU time (/proc/PID/stat) and RSS over the
//     measurement window, and stops it again; a server that exits with status
//     3 is recorded as not supporting the scenario;
//   - a matrix runner and reports (Run, WriteMarkdown, WritePage, WriteChart)
//     that repeat every scenario for every server, rotating the server order,
//     and report medians as Markdown tables relative to the standard-library
//     server, plus a hand-written SVG chart of the ratios.
//
// The peer servers live in cmd/gnet-echo (raw gnet v2) and cmd/std-echo
// (goroutine per connection); cmd/benchmatrix is the command-line front end
// that writes BENCHMARKS.md. Nothing here is a pass/fail timing test:
// numbers are reported, not judged.
package bench
