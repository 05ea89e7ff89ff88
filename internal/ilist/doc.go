// Package ilist is an intrusive doubly linked list: each element carries
// its own links, so adding and removing one allocates nothing and removal
// is O(1) given the element. The wait lists of reactortls's handshake
// limiter and of package waitlist are such lists.
package ilist
