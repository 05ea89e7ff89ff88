package room_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"time"

	"github.com/usocket-go/usocket/examples/chat/room"
	"github.com/usocket-go/usocket/handler"
)

func ExampleRoom() {
	ctx := context.Background()
	srv, err := handler.Serve(ctx, "tcp", "127.0.0.1:0", &room.Room{}, nil)
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	c, err := net.Dial("tcp", srv.Addr().String())
	if err != nil {
		panic(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	r := bufio.NewReader(c)
	prompt, _ := r.ReadString('\n')
	fmt.Print(prompt)
	_, _ = c.Write([]byte("ada\n"))
	hello, _ := r.ReadString('\n')
	fmt.Print(hello)
	// Output:
	// * welcome; send your name
	// * hello ada, 1 here
}
