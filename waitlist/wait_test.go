package waitlist

import (
	"context"
	"errors"
	"net"
	"os"
	"testing"
	"time"
)

// Each source becomes ready by its own event, while a Wait is blocked, and
// only that source is returned.
func TestWaitEachSourceAlone(t *testing.T) {
	ctx := testCtx(t)
	fs := newFakes(6)
	l := mustNew(t, sources(fs)...)
	for _, f := range fs {
		ch := waitAsync(ctx, l, Forever)
		blocked(ctx, t, l, 1)
		f.put()
		r := recv(ctx, t, ch)
		wantReady(t, r.ready, r.err, f)
		if f.take() != 1 {
			t.Fatalf("%s: lost its item", f.name)
		}
	}
	if _, err := l.Wait(ctx, 0); !errors.Is(err, ErrTimeout) {
		t.Fatalf("after consuming all: err = %v, want ErrTimeout", err)
	}
}

func TestWaitAlreadyReady(t *testing.T) {
	ctx := testCtx(t)
	fs := newFakes(3)
	fs[2].put()
	fs[0].put()
	l := mustNew(t, sources(fs)...)
	got, err := l.Wait(ctx, Forever)
	wantReady(t, got, err, fs[0], fs[2]) // insertion order
	// Level-triggered: still reported until consumed.
	got, err = l.Wait(ctx, 0)
	wantReady(t, got, err, fs[0], fs[2])
	fs[0].take()
	got, err = l.Wait(ctx, 0)
	wantReady(t, got, err, fs[2])

	// The one-shot form, in argument order.
	got, err = Wait(ctx, Forever, fs[2], fs[1], fs[0], fs[2])
	wantReady(t, got, err, fs[2])
	for _, f := range fs {
		if n := f.sig.subscribers(); n != 1 { // only l remains
			t.Fatalf("%s has %d subscribers after one-shot Wait, want 1", f.name, n)
		}
	}
}

func TestWaitManySourcesOneReady(t *testing.T) {
	ctx := testCtx(t)
	fs := newFakes(10000)
	l := mustNew(t, sources(fs)...)
	if _, err := l.Wait(ctx, 0); !errors.Is(err, ErrTimeout) {
		t.Fatalf("initial poll: %v", err)
	}
	for _, i := range []int{0, 4242, 9999} {
		ch := waitAsync(ctx, l, Forever)
		blocked(ctx, t, l, 1)
		fs[i].put()
		r := recv(ctx, t, ch)
		wantReady(t, r.ready, r.err, fs[i])
		fs[i].take()
	}
	fs[7777].put()
	got, err := Wait(ctx, Forever, sources(fs)...)
	wantReady(t, got, err, fs[7777])
}

func TestWaitCloseDuringWait(t *testing.T) {
	ctx := testCtx(t)
	fs := newFakes(2)
	l := mustNew(t, sources(fs)...)
	ch := waitAsync(ctx, l, Forever)
	blocked(ctx, t, l, 1)
	fs[1].close()
	r := recv(ctx, t, ch)
	wantReady(t, r.ready, r.err, fs[1])
	// A closed source stays ready and never hangs a wait.
	for range 3 {
		got, err := l.Wait(ctx, Forever)
		wantReady(t, got, err, fs[1])
	}
	st, err := l.WaitAll(ctx, Forever)
	if err != nil || len(st) != 2 || st[0] != (Status{fs[0], 0}) || st[1] != (Status{fs[1], StateRead}) {
		t.Fatalf("WaitAll = %v, %v", st, err)
	}
}

func TestWaitTimeoutZero(t *testing.T) {
	ctx := testCtx(t)
	fs := newFakes(2)
	l := mustNew(t, sources(fs)...)
	got, err := l.Wait(ctx, 0)
	if got != nil || err != ErrTimeout {
		t.Fatalf("poll = %v, %v; want nil, ErrTimeout", got, err)
	}
	var ne net.Error
	if !errors.Is(err, os.ErrDeadlineExceeded) || !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("timeout error %v is not os.ErrDeadlineExceeded / net.Error Timeout", err)
	}
	if st, err := l.WaitAll(ctx, 0); st != nil || !errors.Is(err, ErrTimeout) {
		t.Fatalf("WaitAll poll = %v, %v", st, err)
	}
	fs[1].put()
	got, err = l.Wait(ctx, 0)
	wantReady(t, got, err, fs[1])
}

func TestWaitTimeoutPositive(t *testing.T) {
	ctx := testCtx(t)
	l := mustNew(t, sources(newFakes(2))...)
	if got, err := l.Wait(ctx, 10*time.Millisecond); got != nil || !errors.Is(err, ErrTimeout) {
		t.Fatalf("Wait = %v, %v; want nil, ErrTimeout", got, err)
	}
	if got, err := Wait(ctx, time.Millisecond); got != nil || !errors.Is(err, ErrTimeout) {
		t.Fatalf("one-shot with no sources = %v, %v; want nil, ErrTimeout", got, err)
	}
}

func TestWaitNegativeTimeout(t *testing.T) {
	ctx := testCtx(t)
	l := mustNew(t, sources(newFakes(1))...)
	check := func(name string, err error) {
		t.Helper()
		var we *Error
		if !errors.Is(err, ErrNegativeTimeout) || !errors.Is(err, ErrInvalidArgument) ||
			!errors.As(err, &we) || we.Op != "wait" {
			t.Fatalf("%s: err = %v, want *Error wrapping ErrNegativeTimeout", name, err)
		}
	}
	_, err := l.Wait(ctx, -1)
	check("List.Wait", err)
	_, err = l.WaitAll(ctx, -time.Second)
	check("List.WaitAll", err)
	_, err = Wait(ctx, -1, &fake{})
	check("Wait", err)
}

func TestWaitForeverWithNothing(t *testing.T) {
	_, err := Wait(context.Background(), Forever)
	if !errors.Is(err, ErrWaitForever) || !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("err = %v, want ErrWaitForever", err)
	}
}

func TestWaitContext(t *testing.T) {
	tctx := testCtx(t)
	l := mustNew(t, sources(newFakes(3))...)

	ctx, cancel := context.WithCancel(tctx)
	ch := waitAsync(ctx, l, Forever)
	blocked(tctx, t, l, 1)
	cancel()
	if r := recv(tctx, t, ch); r.ready != nil || !errors.Is(r.err, context.Canceled) {
		t.Fatalf("cancelled wait = %v, %v", r.ready, r.err)
	}
	// Already cancelled: returns at once, even when polling.
	if _, err := l.Wait(ctx, 0); !errors.Is(err, context.Canceled) {
		t.Fatalf("pre-cancelled = %v", err)
	}
	dctx, dcancel := context.WithTimeout(tctx, 5*time.Millisecond)
	defer dcancel()
	if _, err := Wait(dctx, Forever, &fake{}); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("ctx deadline = %v", err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.waiters != 0 {
		t.Fatalf("waiters = %d after returns", l.waiters)
	}
}

func TestWaitRemoveDuringWait(t *testing.T) {
	ctx := testCtx(t)
	fs := newFakes(3)
	l := mustNew(t, sources(fs)...)
	ch := waitAsync(ctx, l, Forever)
	blocked(ctx, t, l, 1)
	if !l.Remove(fs[0]) {
		t.Fatal("Remove failed")
	}
	fs[0].put() // no longer a member: must not be reported
	fs[2].put()
	r := recv(ctx, t, ch)
	wantReady(t, r.ready, r.err, fs[2])

	// Removing a source that is on the ready set drops it from results.
	fs[1].put()
	if !l.Remove(fs[2]) {
		t.Fatal("Remove failed")
	}
	got, err := l.Wait(ctx, 0)
	wantReady(t, got, err, fs[1])
}

func TestWaitAddDuringWait(t *testing.T) {
	ctx := testCtx(t)
	fs := newFakes(2)
	l := mustNew(t, fs[0])
	ch := waitAsync(ctx, l, Forever)
	blocked(ctx, t, l, 1)
	fs[1].put() // ready before it is added
	if _, err := l.Add(fs[1]); err != nil {
		t.Fatal(err)
	}
	r := recv(ctx, t, ch)
	wantReady(t, r.ready, r.err, fs[1])
}

func TestWaitEmptyListThenAdd(t *testing.T) {
	ctx := testCtx(t)
	var l List
	t.Cleanup(l.RemoveAll)
	ch := waitAsync(ctx, &l, Forever)
	blocked(ctx, t, &l, 1)
	f := &fake{name: "late"}
	if _, err := l.Add(f); err != nil {
		t.Fatal(err)
	}
	f.close()
	r := recv(ctx, t, ch)
	wantReady(t, r.ready, r.err, f)
}

func TestWaitConcurrentSameList(t *testing.T) {
	ctx := testCtx(t)
	fs := newFakes(4)
	l := mustNew(t, sources(fs)...)
	const n = 3
	chs := make([]<-chan result, n)
	for i := range chs {
		chs[i] = waitAsync(ctx, l, Forever)
	}
	blocked(ctx, t, l, n)
	fs[3].put()
	for _, ch := range chs {
		r := recv(ctx, t, ch)
		wantReady(t, r.ready, r.err, fs[3])
	}
}

func TestWaitSourceInSeveralLists(t *testing.T) {
	ctx := testCtx(t)
	fs := newFakes(2)
	l1 := mustNew(t, fs[0], fs[1])
	l2 := mustNew(t, fs[1])
	ch1, ch2 := waitAsync(ctx, l1, Forever), waitAsync(ctx, l2, Forever)
	blocked(ctx, t, l1, 1)
	blocked(ctx, t, l2, 1)
	fs[1].put()
	for _, ch := range []<-chan result{ch1, ch2} {
		r := recv(ctx, t, ch)
		wantReady(t, r.ready, r.err, fs[1])
	}
	l2.RemoveAll()
	if n := fs[1].sig.subscribers(); n != 1 {
		t.Fatalf("subscribers = %d, want 1", n)
	}
}

func TestWaitAllStates(t *testing.T) {
	ctx := testCtx(t)
	fs := newFakes(3)
	l := mustNew(t, sources(fs)...)
	ch := make(chan []Status, 1)
	go func() {
		st, err := l.WaitAll(ctx, Forever)
		if err != nil {
			st = nil
		}
		ch <- st
	}()
	blocked(ctx, t, l, 1)
	fs[1].put()
	var st []Status
	select {
	case st = <-ch:
	case <-ctx.Done():
		t.Fatal("WaitAll did not return")
	}
	want := []Status{{fs[0], 0}, {fs[1], StateRead}, {fs[2], 0}}
	if len(st) != len(want) {
		t.Fatalf("WaitAll = %v, want %v", st, want)
	}
	for i := range want {
		if st[i] != want[i] {
			t.Fatalf("WaitAll[%d] = %v, want %v", i, st[i], want[i])
		}
	}
}

// A spurious notification (Notify with nothing ready) does not end a wait.
func TestWaitSpuriousNotify(t *testing.T) {
	ctx := testCtx(t)
	fs := newFakes(2)
	l := mustNew(t, sources(fs)...)
	ch := waitAsync(ctx, l, Forever)
	blocked(ctx, t, l, 1)
	fs[0].sig.Notify()
	blocked(ctx, t, l, 1) // woke, found nothing, blocked again (or never woke)
	fs[1].put()
	r := recv(ctx, t, ch)
	wantReady(t, r.ready, r.err, fs[1])
}
