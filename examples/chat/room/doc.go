// Package room is the chat example's room: a line-based chat served by
// reactor callbacks, hardened for untrusted clients (see Room). It is a
// package of its own so that the fault-injection suite can attack it.
package room
