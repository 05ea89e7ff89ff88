package testkit

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"
)

func TestOpenFDsSeesNewFile(t *testing.T) {
	before, err := OpenFDs()
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	during, err := OpenFDs()
	if err != nil {
		t.Fatal(err)
	}
	if diff := FDDiff(before, during); len(diff) != 1 || !strings.HasSuffix(diff[0], os.DevNull) {
		t.Fatalf("after opening %s, new fds = %q; want exactly that file", os.DevNull, diff)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	after, err := OpenFDs()
	if err != nil {
		t.Fatal(err)
	}
	if diff := FDDiff(before, after); len(diff) != 0 {
		t.Fatalf("after closing, fds still new: %q", diff)
	}
}

func TestRunChild(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := RunChild(ctx, "hello")
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "child hello ran") {
		t.Fatalf("child output %q lacks its greeting", out)
	}
	out, err = RunChild(ctx, "fail")
	if err == nil {
		t.Fatalf("failing child reported success; output %q", out)
	}
}
