// Package deadline implements the settable deadline behind the blocking
// facade's SetDeadline, SetReadDeadline and SetWriteDeadline (packages
// usocket and udp): one point in time whose passing wakes the calls that
// wait on it, including calls that were already blocked when it was set
// or moved. Callers build their own timeout errors.
package deadline
