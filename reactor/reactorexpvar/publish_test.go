package reactorexpvar

import (
	"encoding/json"
	"errors"
	"expvar"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/usocket-go/usocket/reactor"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var runs atomic.Int64

func TestPublishServesStatsAndRefusesATakenName(t *testing.T) {
	r, err := reactor.New(reactor.WithLoops(2))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	// expvar names live as long as the process: one per run (-count).
	name := fmt.Sprintf("test_reactor_%d", runs.Add(1))
	if err := Publish(name, r); err != nil {
		t.Fatal(err)
	}
	var s reactor.Stats
	if err := json.Unmarshal([]byte(expvar.Get(name).String()), &s); err != nil {
		t.Fatal(err)
	}
	if len(s.Loops) != 2 {
		t.Fatalf("published stats have %d loops, want 2: %+v", len(s.Loops), s)
	}
	if err := Publish(name, r); !errors.Is(err, ErrNameTaken) {
		t.Fatalf("second Publish = %v, want ErrNameTaken", err)
	}
	if err := Publish("other", nil); err == nil {
		t.Fatal("nil reactor accepted")
	}
}
