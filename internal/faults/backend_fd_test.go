//go:build !windows && !usocket_netstd

package faults

import "github.com/usocket-go/usocket/reactor"

// facadeDupsDescriptor: on the fd backends a facade socket takes a
// duplicate of the standard library's descriptor, one more descriptor.
const facadeDupsDescriptor = true

// bigBacklog asks for a deep listen backlog where the backend can.
var bigBacklog = []reactor.ListenOption{reactor.WithBacklog(4096)}

// churnConns: the epoll and portable loops hold 19,000 connections, just
// under the machine's per-process limit of 20,000 open files.
const churnConns = 19_000
