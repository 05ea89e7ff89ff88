package reactor

import "golang.org/x/sys/unix"

// dupOnto makes newfd a duplicate of oldfd (macOS has no dup3).
func dupOnto(oldfd, newfd int) error { return unix.Dup2(oldfd, newfd) }
