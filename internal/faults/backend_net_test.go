//go:build windows || usocket_netstd

package faults

import "github.com/usocket-go/usocket/reactor"

// facadeDupsDescriptor: on the net backend a facade socket keeps the
// standard library's socket, no duplicate.
const facadeDupsDescriptor = false

// bigBacklog is empty: the net backend takes the standard library's
// backlog (WithBacklog is refused; see reactor's tests).
var bigBacklog []reactor.ListenOption

// churnConns: the net backend (for development) runs a goroutine and a
// read buffer per connection; under -race on 2 cores it did not close
// 19,000 of them within Shutdown's bound (7,367 were still open after
// 20 s), so its churn runs at a development scale.
const churnConns = 4_000
