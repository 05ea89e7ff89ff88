package bench

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"runtime"
)

// ServerFlags are the command-line flags every echo server in the matrix
// accepts: -addr HOST:PORT, -proto tcp|udp and -loops N.
type ServerFlags struct {
	Addr  string // listen address, e.g. "127.0.0.1:0"
	Proto string // "tcp" or "udp"
	Loops int    // event loops or UDP sockets; 0 means runtime.NumCPU()
}

// ErrBadFlag reports an invalid server flag value.
var ErrBadFlag = errors.New("bench: invalid flag")

// ParseServerFlags parses the common echo-server flags from args (without the
// program name). Unknown flags and bad values yield an error wrapping
// ErrBadFlag or the flag package's error; -loops 0 is resolved to NumCPU.
func ParseServerFlags(name string, args []string, stderr io.Writer) (ServerFlags, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var sf ServerFlags
	fs.StringVar(&sf.Addr, "addr", "127.0.0.1:0", "listen address HOST:PORT")
	fs.StringVar(&sf.Proto, "proto", "tcp", "protocol: tcp or udp")
	fs.IntVar(&sf.Loops, "loops", 0, "event loops / UDP sockets (0 = NumCPU)")
	if err := fs.Parse(args); err != nil {
		return ServerFlags{}, fmt.Errorf("%s: %w", name, err)
	}
	if sf.Proto != "tcp" && sf.Proto != "udp" {
		return ServerFlags{}, fmt.Errorf("%w: -proto %q (want tcp or udp)", ErrBadFlag, sf.Proto)
	}
	if sf.Loops < 0 {
		return ServerFlags{}, fmt.Errorf("%w: -loops %d is negative", ErrBadFlag, sf.Loops)
	}
	if sf.Loops == 0 {
		sf.Loops = runtime.NumCPU()
	}
	if _, _, err := net.SplitHostPort(sf.Addr); err != nil {
		return ServerFlags{}, fmt.Errorf("%w: -addr %q: %w", ErrBadFlag, sf.Addr, err)
	}
	return sf, nil
}

// AnnounceListening writes the single "listening on HOST:PORT" line that the
// runner waits for.
func AnnounceListening(w io.Writer, addr net.Addr) error {
	_, err := fmt.Fprintf(w, "listening on %s\n", addr)
	return err
}
