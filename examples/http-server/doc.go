// Command http-server serves net/http over a usocket listener, and fetches
// over usocket's Dialer: the blocking facade is a real net.Listener and
// net.Conn, so the standard library's HTTP server and client run on it
// unchanged.
//
//	go run ./examples/http-server                              # serves on 127.0.0.1:8080
//	go run ./examples/http-server -get http://127.0.0.1:8080/  # a client through usocket.Dialer
//	curl -d 'hello' http://127.0.0.1:8080/echo
//
// Routes: "/" says hello and who is asking; "/echo" sends back the body of
// a POST (at most -max-body bytes). The server has the timeouts an
// internet-facing net/http server needs (-read-timeout bounds reading a
// request, headers included; -write-timeout writing the reply;
// -idle-timeout a kept-alive connection between requests), so a slow or
// silent client cannot hold a connection for ever. It prints
// "http-server listening on HOST:PORT" and stops gracefully on SIGINT or
// SIGTERM.
package main
