// Package reactortest holds test helpers for packages built on the reactor.
package reactortest
