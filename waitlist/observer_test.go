package waitlist

import (
	"slices"
	"testing"
)

// TestSignalObserver: a Signal tells its observer when its first List
// subscribes and when its last one leaves, not in between.
func TestSignalObserver(t *testing.T) {
	src := &fake{name: "a"}
	var got []bool
	src.sig.SetObserver(func(on bool) { got = append(got, on) })
	var a, b List
	if _, err := a.Add(src); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Add(src); err != nil {
		t.Fatal(err)
	}
	a.Remove(src)
	if want := []bool{true}; !slices.Equal(got, want) {
		t.Fatalf("observer calls with one List left = %v, want %v", got, want)
	}
	b.Remove(src)
	if want := []bool{true, false}; !slices.Equal(got, want) {
		t.Fatalf("observer calls = %v, want %v", got, want)
	}
	// Set while subscribed: told at once.
	got = nil
	if _, err := a.Add(src); err != nil {
		t.Fatal(err)
	}
	var late []bool
	src.sig.SetObserver(func(on bool) { late = append(late, on) })
	a.RemoveAll()
	if want := []bool{true, false}; !slices.Equal(late, want) {
		t.Fatalf("late observer calls = %v, want %v", late, want)
	}
}
