package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	chatroom "github.com/usocket-go/usocket/examples/chat/room"
	"github.com/usocket-go/usocket/examples/internal/cli"
	"github.com/usocket-go/usocket/handler"
)

func main() { cli.Main(run) }

// usage is chat's usage line.
const usage = "usage: chat [-addr host:port] [-max-queue bytes] [-max-line bytes] [-rate lines/s] [-burst lines]"

// Bounds of the size flags.
const (
	maxQueueLimit = 1 << 30
	maxLineLimit  = 1 << 20
)

// parseFlags reads the command line into the room's settings.
// addrs are where chat listens: the room, and the debug endpoints.
type addrs struct{ room, debug string }

func parseFlags(args []string, stderr io.Writer) (at addrs, room *chatroom.Room, cmd *cli.Command, err error) {
	cmd = cli.NewCommand("chat", usage, stderr)
	room = &chatroom.Room{}
	debug := cmd.DebugAddrFlag()
	cmd.StringVar(&at.room, "addr", "127.0.0.1:7070", "`host:port` to listen on (port 0 picks a free port)")
	cmd.IntVar(&room.MaxQueue, "max-queue", chatroom.DefaultMaxQueue, "disconnect a client whose unsent output would exceed this many `bytes`")
	cmd.IntVar(&room.MaxLine, "max-line", chatroom.DefaultMaxLine, "longest accepted input line in `bytes`")
	cmd.Float64Var(&room.LineRate, "rate", chatroom.DefaultLineRate, "lines per second each client may send (negative: no limit)")
	cmd.IntVar(&room.LineBurst, "burst", chatroom.DefaultLineBurst, "lines a client may send at once")
	if err = cmd.Parse(args, 0); err != nil {
		return at, room, cmd, err
	}
	at.debug = *debug
	_, _, err = cli.HostPort("-addr", at.room)
	err = cli.First(err,
		cli.IntRange("-max-queue", room.MaxQueue, 1, maxQueueLimit),
		cli.IntRange("-max-line", room.MaxLine, 1, maxLineLimit),
		cli.IntRange("-burst", room.LineBurst, 1, 1<<20))
	if err == nil && room.LineRate == 0 {
		err = cli.Usagef("-rate 0: want a positive rate, or a negative one for no limit")
	}
	return at, room, cmd, err
}

// run is the whole program; it returns the exit status: 0 after a clean
// stop (ctx ended), 1 on a runtime error, 2 on a usage error.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	at, room, cmd, err := parseFlags(args, stderr)
	if code, exit := cmd.Exit(err); exit {
		return code
	}
	srv, err := handler.Serve(ctx, "tcp", at.room, room, nil)
	if err != nil {
		fmt.Fprintf(stderr, "chat: %v\n", err)
		return cli.ExitError
	}
	stopDebug, err := cli.StartDebug(at.debug, srv.Reactor(), stdout)
	if err != nil {
		_ = srv.Close()
		fmt.Fprintf(stderr, "chat: %v\n", err)
		return cli.ExitError
	}
	defer stopDebug()
	fmt.Fprintf(stdout, "chat listening on %s\n", srv.Addr())
	<-ctx.Done()
	room.Notice("* server shutting down\n")
	sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		fmt.Fprintf(stderr, "chat: shutdown: %v\n", err)
		return cli.ExitError
	}
	return cli.ExitOK
}
