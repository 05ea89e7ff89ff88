//go:build windows || usocket_netstd

package reactor

// On the net backend a connection's bytes go out through its writer
// goroutine (sock_net.go), which has no file regions: SendFile refuses up
// front (errNoSendFile), so no region is ever queued and send never runs.
func (s *fileSeg) send(int) (int, error) { return 0, errNoSendFile }
