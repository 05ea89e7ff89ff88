// Package unix is the narrow set of golang.org/x/sys/unix names that the
// portable (OS-independent) files of usocket use. On unix systems every
// name is an alias of, or an inlined call to, x/sys/unix, so behaviour
// there is exactly that of x/sys/unix. On Windows the types and constants
// exist so that every package builds, and every call fails with
// syscall.EWINDOWS, which errors.Is reports as errors.ErrUnsupported.
package unix
