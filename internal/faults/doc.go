// Package faults is the project's fault-injection suite: tests that break
// connections on purpose (peer resets, half-closes, peers that vanish or
// read and write slowly, a crowd of peers that never read, descriptor
// exhaustion, connection churn, a proxy that delays, trickles and cuts) and
// check that the reactor, the blocking facade and the servers report a
// typed error, leak no goroutine or descriptor, and never hang. Its only
// non-test code is Proxy, the fault-injecting TCP proxy the tests put
// between two ends. It is for tests only.
package faults
