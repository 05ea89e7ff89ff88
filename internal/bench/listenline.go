package bench

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
)

// listenMarker is the text a server prints once it accepts traffic.
const listenMarker = "listening on"

// ErrBadListenLine reports a "listening on" line whose address is unusable.
var ErrBadListenLine = errors.New("bench: bad listening line")

// ParseListeningLine extracts the address from a server's stdout line. It
// reports ok == false when the line does not contain "listening on". When it
// does, the address is the last whitespace-separated token, which must be a
// HOST:PORT with a non-zero numeric port; otherwise the error wraps
// ErrBadListenLine.
func ParseListeningLine(line string) (addr string, ok bool, err error) {
	if !strings.Contains(line, listenMarker) {
		return "", false, nil
	}
	fields := strings.Fields(line)
	last := fields[len(fields)-1]
	host, port, err := net.SplitHostPort(last)
	if err != nil {
		return "", true, fmt.Errorf("%w: %q: %w", ErrBadListenLine, line, err)
	}
	p, err := strconv.ParseUint(port, 10, 16)
	if err != nil || p == 0 {
		return "", true, fmt.Errorf("%w: %q: port %q is not a non-zero number", ErrBadListenLine, line, port)
	}
	return net.JoinHostPort(host, port), true, nil
}
