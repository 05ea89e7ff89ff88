//go:build linux && !usocket_netstd

package usocket

import "golang.org/x/sys/unix"

// maxSendfile is the most one sendfile(2) call is asked to move (Linux
// moves at most 0x7ffff000 bytes per call anyway).
const maxSendfile = 1 << 30

// sendFile sends remain bytes of f (-1: to its end) from its current
// offset, which it advances, with sendfile(2). handled is false when f's
// descriptor could not be had, and the caller copies instead.
func (c *Conn) sendFile(f file, remain int64) (written int64, handled bool, err error) {
	rc, err := f.SyscallConn()
	if err != nil {
		return 0, false, nil
	}
	cerr := rc.Read(func(src uintptr) bool {
		handled = true
		err = c.writeWith("sendfile", func(dst int) (bool, error) {
			ask := int64(maxSendfile)
			if remain >= 0 && remain-written < ask {
				ask = remain - written
			}
			if ask == 0 {
				return true, nil
			}
			n, serr := unix.Sendfile(dst, int(src), nil, int(ask))
			if n > 0 {
				written += int64(n)
			}
			switch {
			case serr == unix.EINTR:
				return false, nil
			case serr != nil:
				return false, serr
			}
			return n == 0 || (remain >= 0 && written == remain), nil // n == 0: end of file
		})
		return true // one pass: the file is regular, so never EAGAIN on it
	})
	if !handled {
		return 0, false, nil
	}
	if err == nil {
		err = cerr
	}
	return written, true, err
}
