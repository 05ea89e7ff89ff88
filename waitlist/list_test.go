package waitlist

import (
	"errors"
	"slices"
	"testing"
)

func TestListMembership(t *testing.T) {
	fs := newFakes(3)
	l := mustNew(t, fs[0], fs[1], fs[0])
	if l.Len() != 2 {
		t.Fatalf("Len = %d, want 2 (duplicates dropped)", l.Len())
	}
	if added, err := l.Add(fs[1]); added || err != nil {
		t.Fatalf("Add(dup) = %v, %v; want false, nil", added, err)
	}
	if added, err := l.Add(fs[2]); !added || err != nil {
		t.Fatalf("Add(new) = %v, %v; want true, nil", added, err)
	}
	if got := l.Sources(); !slices.Equal(got, sources(fs)) {
		t.Fatalf("Sources = %v, want insertion order", names(got))
	}
	if !l.Remove(fs[1]) || l.Remove(fs[1]) {
		t.Fatal("Remove: want true then false")
	}
	if got := l.Sources(); !slices.Equal(got, []Source{fs[0], fs[2]}) {
		t.Fatalf("Sources after Remove = %v", names(got))
	}
	if n := fs[1].sig.subscribers(); n != 0 {
		t.Fatalf("removed source still has %d subscribers", n)
	}
	l.RemoveAll()
	if l.Len() != 0 || len(l.Sources()) != 0 {
		t.Fatal("RemoveAll left members")
	}
	for _, f := range fs {
		if n := f.sig.subscribers(); n != 0 {
			t.Fatalf("%s still has %d subscribers after RemoveAll", f.name, n)
		}
	}
	// Still usable, and a re-added source works.
	fs[1].put()
	if _, err := l.Add(fs[1]); err != nil {
		t.Fatal(err)
	}
	got, err := l.Wait(testCtx(t), 0)
	wantReady(t, got, err, fs[1])
}

func TestZeroList(t *testing.T) {
	var l List
	t.Cleanup(l.RemoveAll)
	if _, err := l.Wait(testCtx(t), 0); !errors.Is(err, ErrTimeout) {
		t.Fatalf("empty zero List poll: err = %v, want ErrTimeout", err)
	}
	f := &fake{name: "z"}
	f.put()
	if _, err := l.Add(f); err != nil {
		t.Fatal(err)
	}
	got, err := l.Wait(testCtx(t), Forever)
	wantReady(t, got, err, f)
}

func TestInvalidSources(t *testing.T) {
	var nilSrc Source
	for _, tc := range []struct {
		name string
		call func() error
		op   string
	}{
		{"New nil", func() error { _, err := New(&fake{}, nilSrc); return err }, "new"},
		{"New nil signal", func() error { _, err := New(nilSignal{}); return err }, "new"},
		{"Add nil", func() error { _, err := new(List).Add(nil); return err }, "add"},
		{"Add nil signal", func() error { _, err := new(List).Add(nilSignal{}); return err }, "add"},
		{"Wait nil", func() error { _, err := Wait(t.Context(), 0, nil); return err }, "wait"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			if !errors.Is(err, ErrNilSource) || !errors.Is(err, ErrInvalidArgument) {
				t.Fatalf("err = %v, want ErrNilSource and ErrInvalidArgument", err)
			}
			var we *Error
			if !errors.As(err, &we) || we.Op != tc.op {
				t.Fatalf("err = %#v, want *Error with Op %q", err, tc.op)
			}
		})
	}
}

func TestSignalNilAndIdle(t *testing.T) {
	var nilSig *Signal
	nilSig.Notify() // must not panic
	var s Signal
	s.Notify() // no subscribers
	if s.subscribers() != 0 {
		t.Fatal("zero Signal has subscribers")
	}
}

func TestStateString(t *testing.T) {
	for s, want := range map[State]string{0: "none", StateRead: "read", 0x82: "State(0x82)"} {
		if got := s.String(); got != want {
			t.Errorf("State(%d).String() = %q, want %q", uint8(s), got, want)
		}
	}
	f := &fake{}
	if StateOf(f) != 0 || StateOf(nil) != 0 {
		t.Fatal("StateOf idle source not 0")
	}
	f.put()
	if StateOf(f) != StateRead {
		t.Fatal("StateOf ready source not StateRead")
	}
}
