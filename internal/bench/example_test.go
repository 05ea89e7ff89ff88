package bench_test

import (
	"fmt"

	"github.com/usocket-go/usocket/internal/bench"
)

func ExampleParseListeningLine() {
	addr, ok, err := bench.ParseListeningLine("echo-server (reactor) listening on 127.0.0.1:4242")
	fmt.Println(addr, ok, err)
	_, ok, _ = bench.ParseListeningLine("loading configuration")
	fmt.Println(ok)
	// Output:
	// 127.0.0.1:4242 true <nil>
	// false
}

func ExampleScenario_Name() {
	for _, s := range bench.DefaultScenarios(10000)[:2] {
		fmt.Println(s.Name(), s.Proto())
	}
	// Output:
	// tcp-pingpong c1 64B tcp
	// tcp-pingpong c1 4KiB tcp
}
