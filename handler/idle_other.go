//go:build !linux

package handler

import (
	"time"

	"github.com/usocket-go/usocket/usocket"
)

// idleTimeoutSupported: without Linux's TCP_INFO the kernel does not say
// when data last moved, so StreamServer refuses IdleTimeout (use
// ReadTimeout and WriteTimeout there).
const idleTimeoutSupported = false

// quietFor is never called where idleTimeoutSupported is false.
func quietFor(*usocket.Conn) (time.Duration, bool) { return 0, false }
