//go:build !windows && !usocket_netstd

package main

// reactorReusePort: the reactor gives each loop its own SO_REUSEPORT
// socket on the fd backends.
const reactorReusePort = true
