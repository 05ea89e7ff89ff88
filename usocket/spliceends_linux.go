//go:build !usocket_netstd

package usocket

import (
	"io/fs"
	"net"
	"reflect"
	"syscall"

	"golang.org/x/sys/unix"
)

// rawConnOf returns the RawConn of an end that a splice may use directly
// (reading: as the source; else as the destination): only types whose
// Read or Write is the descriptor's own, so that no bytes buffered in user
// space are skipped. Those are *net.TCPConn (also inside the wrapper its
// WriteTo hands to io.Copy), a stream *net.UnixConn, and an *os.File (or
// os.File.WriteTo's wrapper) that is a non-blocking pipe or, as a
// destination, a regular file not opened for appending.
func rawConnOf(x any, reading bool) (syscall.RawConn, bool) {
	if t := tcpConnInside(x); reading && t != nil {
		x = t
	}
	var sc syscall.Conn
	switch v := x.(type) {
	case *net.TCPConn:
		sc = v
	case *net.UnixConn:
		return streamRawConn(v)
	case file:
		st, err := v.Stat()
		if err != nil {
			return nil, false
		}
		switch m := st.Mode(); {
		case m.IsRegular() && !reading:
			return fileRawConn(v, unix.O_APPEND, 0)
		case m&fs.ModeNamedPipe != 0:
			return fileRawConn(v, 0, unix.O_NONBLOCK)
		}
		return nil, false
	default:
		return nil, false
	}
	rc, err := sc.SyscallConn()
	return rc, err == nil
}

// fileRawConn returns f's RawConn if its status flags have none of
// without and all of with: a pipe must be non-blocking (the Go runtime's
// poller waits for it), a file written by splice must not append.
func fileRawConn(f file, without, with int) (syscall.RawConn, bool) {
	rc, err := f.SyscallConn()
	if err != nil {
		return nil, false
	}
	ok := false
	cerr := rc.Control(func(fd uintptr) {
		fl, err := unix.FcntlInt(fd, unix.F_GETFL, 0)
		ok = err == nil && fl&without == 0 && fl&with == with
	})
	return rc, cerr == nil && ok
}

// tcpConnInside returns the *net.TCPConn inside the wrapper that
// (*net.TCPConn).WriteTo hands to io.Copy when it cannot splice itself
// (net.tcpConnWithoutWriteTo, which hides its WriteTo), or nil: so that
// io.Copy from a *net.TCPConn to a Conn still splices.
func tcpConnInside(x any) *net.TCPConn {
	v := reflect.ValueOf(x)
	if v.Kind() != reflect.Struct || v.Type().PkgPath() != "net" || v.Type().Name() != "tcpConnWithoutWriteTo" {
		return nil
	}
	t, _ := v.FieldByName("TCPConn").Interface().(*net.TCPConn)
	return t
}

// streamRawConn returns the RawConn of a unix domain socket that is a
// stream (not unixgram or unixpacket, whose message boundaries a splice
// would lose).
func streamRawConn(sc syscall.Conn) (syscall.RawConn, bool) {
	rc, err := sc.SyscallConn()
	if err != nil {
		return nil, false
	}
	typ := -1
	cerr := rc.Control(func(fd uintptr) {
		typ, _ = unix.GetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_TYPE)
	})
	return rc, cerr == nil && typ == unix.SOCK_STREAM
}
