// Command benchmatrix compares echo servers run as separate processes on
// loopback and prints (or writes) a Markdown report of medians.
//
//	go run ./internal/bench/cmd/benchmatrix                       # the whole matrix, tables on stdout
//	go run ./internal/bench/cmd/benchmatrix -out BENCHMARKS.md -overwrite   # the committed page and its chart (-chart)
//	go run ./internal/bench/cmd/benchmatrix -quick -out /tmp/B.md # smoke test of everything
//	go run ./internal/bench/cmd/benchmatrix -servers gnet,std -scenarios bulk,loopback
//
// Progress, one line per run, goes to stderr. See package bench.
package main
