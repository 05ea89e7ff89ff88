package bench

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// Helper-server modes, selected through helperEnv.
const (
	helperEcho     = "echo"     // announce, echo TCP until SIGTERM
	helperSilent   = "silent"   // never announce
	helperExit     = "exit"     // complain on stderr and exit 3
	helperStubborn = "stubborn" // announce, then ignore SIGTERM
)

// helperLifetime bounds every helper process in case its test forgets it.
const helperLifetime = 30 * time.Second

// helperServer is the body of the test binary when it runs as a server.
func helperServer(mode string, args []string) error {
	sf, err := ParseServerFlags("helper", args, os.Stderr)
	if err != nil {
		return err
	}
	term := make(chan os.Signal, 1)
	signal.Notify(term, syscall.SIGTERM)
	switch mode {
	case helperExit:
		return errors.New("boom: cannot start")
	case helperSilent:
		select {
		case <-term:
		case <-time.After(helperLifetime):
		}
		return nil
	case helperEcho, helperStubborn:
	default:
		return fmt.Errorf("unknown helper mode %q", mode)
	}
	ln, err := net.Listen("tcp", sf.Addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	if mode == helperStubborn {
		// Ignore SIGTERM before announcing: signal.Ignore first stops
		// delivering to term and only then installs SIG_IGN, and a SIGTERM
		// that falls between the two kills the process.
		signal.Ignore(syscall.SIGTERM)
	}
	fmt.Println("some startup noise")
	if err := AnnounceListening(os.Stdout, ln.Addr()); err != nil {
		return err
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				buf := make([]byte, 4096)
				for {
					n, err := c.Read(buf)
					if err != nil {
						return
					}
					if _, err := c.Write(buf[:n]); err != nil {
						return
					}
				}
			}()
		}
	}()
	if mode == helperStubborn {
		time.Sleep(helperLifetime)
		return nil
	}
	select {
	case <-term:
	case <-time.After(helperLifetime):
	}
	return nil
}
