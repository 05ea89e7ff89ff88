package reactorexpvar_test

import (
	"encoding/json"
	"expvar"
	"fmt"

	"github.com/usocket-go/usocket/reactor"
	"github.com/usocket-go/usocket/reactor/reactorexpvar"
)

func ExamplePublish() {
	r, err := reactor.New(reactor.WithLoops(1))
	if err != nil {
		panic(err)
	}
	defer r.Close()
	// A name is taken for the life of the process (an expvar cannot be
	// unpublished): a second Publish of it fails with ErrNameTaken.
	name := "example_reactor"
	for i := 2; expvar.Get(name) != nil; i++ { // the example ran before in this process
		name = fmt.Sprintf("example_reactor_%d", i)
	}
	if err := reactorexpvar.Publish(name, r); err != nil {
		panic(err)
	}
	// /debug/vars now has it; read it the way it is served.
	var s reactor.Stats
	_ = json.Unmarshal([]byte(expvar.Get(name).String()), &s)
	fmt.Println("loops:", len(s.Loops), "open:", s.Total.Open)
	// Output: loops: 1 open: 0
}
