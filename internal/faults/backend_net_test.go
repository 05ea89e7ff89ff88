//go:build windows || usocket_netstd

package faults

import "github.com/usocket-go/usocket/reactor"

// facadeDupsDescriptor: on the net backend a facade socket keeps the
// standard library's socket, no duplicate.
const facadeDupsDescriptor = false

// bigBacklog is empty: the net backend takes the standard library's
// backlog (WithBacklog is refused; see reactor's tests).
var bigBacklog []reactor.ListenOption
