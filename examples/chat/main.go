package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/usocket-go/usocket/examples/internal/cli"
	"github.com/usocket-go/usocket/handler"
)

func main() { cli.Main(run) }

// run is the whole program; it returns the exit status: 0 after a clean
// stop (ctx ended), 1 on a runtime error, 2 on bad flags.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("chat", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:7070", "`host:port` to listen on (port 0 picks a free port)")
	room := &Room{}
	fs.IntVar(&room.MaxQueue, "max-queue", 256<<10, "disconnect a client whose unsent output would exceed this many `bytes`")
	fs.IntVar(&room.MaxLine, "max-line", 4<<10, "longest accepted input line in `bytes`")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if room.MaxQueue <= 0 || room.MaxLine <= 0 {
		fmt.Fprintln(stderr, "chat: -max-queue and -max-line must be positive")
		return 2
	}
	srv, err := handler.Serve(ctx, "tcp", *addr, room, nil)
	if err != nil {
		fmt.Fprintf(stderr, "chat: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "chat listening on %s\n", srv.Addr())
	<-ctx.Done()
	room.Notice("* server shutting down\n")
	sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		fmt.Fprintf(stderr, "chat: shutdown: %v\n", err)
		return 1
	}
	return 0
}
