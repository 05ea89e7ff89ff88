package handler

import (
	"time"

	"golang.org/x/sys/unix"

	"github.com/usocket-go/usocket/usocket"
)

// idleTimeoutSupported: Linux's TCP_INFO says when data last moved.
const idleTimeoutSupported = true

// quietFor returns how long ago data last moved on c in either direction;
// ok is false when the kernel cannot say (the connection is closed).
func quietFor(c *usocket.Conn) (quiet time.Duration, ok bool) {
	rc, err := c.SyscallConn()
	if err != nil {
		return 0, false
	}
	var info *unix.TCPInfo
	cerr := rc.Control(func(fd uintptr) {
		info, err = unix.GetsockoptTCPInfo(int(fd), unix.IPPROTO_TCP, unix.TCP_INFO)
	})
	if cerr != nil || err != nil {
		return 0, false
	}
	ms := min(info.Last_data_recv, info.Last_data_sent)
	return time.Duration(ms) * time.Millisecond, true
}
