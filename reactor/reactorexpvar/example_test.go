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
	if err := reactorexpvar.Publish("example_reactor", r); err != nil {
		panic(err)
	}
	// /debug/vars now has "example_reactor"; read it the way it is served.
	var s reactor.Stats
	_ = json.Unmarshal([]byte(expvar.Get("example_reactor").String()), &s)
	fmt.Println("loops:", len(s.Loops), "open:", s.Total.Open)
	// Output: loops: 1 open: 0
}
