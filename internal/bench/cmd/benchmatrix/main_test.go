package main

import (
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestCommandQuotesShellWords(t *testing.T) {
	got := command([]string{"-quick", "-out", "/tmp/my page.md", "-scenarios", "", "it's"})
	want := `go run ./internal/bench/cmd/benchmatrix -quick -out '/tmp/my page.md' -scenarios '' 'it'\''s'`
	if got != want {
		t.Fatalf("command =\n%s\nwant\n%s", got, want)
	}
}

func TestParseQuickKeepsExplicitFlags(t *testing.T) {
	o, err := parse([]string{"-quick", "-reps", "2", "-out", "x.md"})
	if err != nil {
		t.Fatal(err)
	}
	if o.reps != 2 || o.duration != 300*time.Millisecond || o.idle != 1000 || o.out != "x.md" {
		t.Fatalf("parse = %+v", o)
	}
	o, err = parse(nil)
	if err != nil || o.servers != "reactor,single,multi,gnet,std" || o.reps != 3 || o.duration != 3*time.Second {
		t.Fatalf("defaults = %+v, %v", o, err)
	}
	if _, err := parse([]string{"stray"}); err == nil {
		t.Fatal("stray argument accepted")
	}
}
