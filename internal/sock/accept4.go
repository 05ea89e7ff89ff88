//go:build dragonfly || freebsd || linux

package sock

import "golang.org/x/sys/unix"

// Accept takes a connection off a listening socket, non-blocking and
// close-on-exec in one call.
func Accept(fd int) (int, unix.Sockaddr, error) {
	return unix.Accept4(fd, unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC)
}
