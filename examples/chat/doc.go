// Command chat runs a line-based chat room on reactor callbacks (no
// goroutine per client):
//
//	go run ./examples/chat -addr 127.0.0.1:7070
//	nc 127.0.0.1 7070      # first line: your name; then chat; /nick NAME, /who, /quit
//
// Every line a client sends goes to every other client. The room is meant
// to face untrusted clients (see Room): everything it sends a client is
// bounded by -max-queue bytes (a client too slow to read it is
// disconnected), a client's input waits while its own output is backed up,
// each client may send -rate lines per second (bursts of -burst), names
// are unique, and control characters (ANSI escapes) in lines are shown
// escaped. The room itself is package room (examples/chat/room). It prints
// "chat listening on HOST:PORT" and stops cleanly on
// SIGINT/SIGTERM. Exit status: 0 after a clean stop, 1 on a runtime error,
// 2 on a usage error.
package main
