// Package exampletest runs the example programs in-process for their tests:
// each example's main is a thin wrapper around a run function, which the
// tests start with a cancellable context, a captured stdout and stderr, and
// whose "listening on HOST:PORT" line gives the address to talk to.
package exampletest
