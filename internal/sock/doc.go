// Package sock holds the socket system calls whose form differs between
// the Unix systems (accept4 where the kernel has it, accept under ForkLock
// elsewhere), so that the packages above call one function.
package sock
