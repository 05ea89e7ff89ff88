// Package netfd stands in for raw socket descriptors on the net backend
// (Windows, or any OS built with the usocket_netstd tag): a net.Conn or
// net.Listener gets a small integer handle, and the calls on it behave as
// a non-blocking socket's system calls do. Read takes what a reader
// goroutine already received (a one-buffer "receive queue") or returns
// EAGAIN; Write hands a bounded copy to a writer goroutine (a one-buffer
// "send queue") or returns EAGAIN while one is in flight; Accept takes the
// connection an acceptor goroutine got. Each change that can end an
// EAGAIN calls the handle's edge callbacks, as an edge-triggered poller
// would, so the blocking facade (package usocket) runs unchanged on top.
//
// It is for development: a goroutine per socket, and one copy per write.
// On the fd backends the package is empty.
package netfd
