// Command chat runs a line-based chat room on reactor callbacks (no
// goroutine per client):
//
//	go run ./examples/chat -addr 127.0.0.1:7070
//	nc 127.0.0.1 7070      # first line: your name; then chat; /nick NAME, /who, /quit
//
// Every line a client sends goes to every other client. A client too slow
// to read what the room sends it is disconnected once its outbound queue
// would pass -max-queue bytes (see Room). It prints "chat listening on
// HOST:PORT" and stops cleanly on SIGINT/SIGTERM.
package main
