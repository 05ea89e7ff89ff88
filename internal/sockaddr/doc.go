// Package sockaddr is the one conversion between socket addresses in
// kernel form and net/netip, for the blocking facade (packages usocket and
// udp): decoding what accept, getsockname and recvmmsg return, and
// encoding a destination for sendto and sendmmsg. IPv4-mapped IPv6
// addresses always come back as plain IPv4 addresses.
package sockaddr
