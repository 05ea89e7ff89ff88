//go:build unix && !darwin

package reactor

import "golang.org/x/sys/unix"

// dupOnto makes newfd a close-on-exec duplicate of oldfd.
func dupOnto(oldfd, newfd int) error { return unix.Dup3(oldfd, newfd, unix.O_CLOEXEC) }
