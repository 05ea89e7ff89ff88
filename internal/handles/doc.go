// Package handles numbers the sockets of the net backends (internal/netfd
// and the reactor's netSource): each gets a small integer, its stand-in
// for a descriptor, and a freed number is given out again, as the kernel
// reuses descriptors.
package handles
