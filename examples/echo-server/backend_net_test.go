//go:build windows || usocket_netstd

package main

// reactorReusePort: the net backend refuses WithReusePort (an error
// matching errors.ErrUnsupported), so -mode reactor -reuseport fails.
const reactorReusePort = false
