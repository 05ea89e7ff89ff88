package ilist

import (
	"slices"
	"testing"
)

type node struct {
	v    int
	link Links[node]
}

func (n *node) ListLinks() *Links[node] { return &n.link }

type nodeList = List[node, *node]

// values returns l's values front to back, checking the back links agree.
func values(t *testing.T, l *nodeList) []int {
	t.Helper()
	var out []int
	var prev *node
	for n := l.Front(); n != nil; n = l.Next(n) {
		if n.link.prev != prev {
			t.Fatalf("node %d: prev link does not name the node before it", n.v)
		}
		out = append(out, n.v)
		prev = n
	}
	if l.tail != prev {
		t.Fatal("tail is not the last node")
	}
	return out
}

func TestPushBackKeepsOrder(t *testing.T) {
	var l nodeList
	if l.Front() != nil {
		t.Fatal("zero list not empty")
	}
	ns := []*node{{v: 1}, {v: 2}, {v: 3}}
	for _, n := range ns {
		l.PushBack(n)
	}
	if got := values(t, &l); !slices.Equal(got, []int{1, 2, 3}) {
		t.Fatalf("got %v", got)
	}
}

func TestRemoveEachPlace(t *testing.T) {
	for i, want := range [][]int{{2, 3}, {1, 3}, {1, 2}} {
		var l nodeList
		ns := []*node{{v: 1}, {v: 2}, {v: 3}}
		for _, n := range ns {
			l.PushBack(n)
		}
		l.Remove(ns[i])
		if got := values(t, &l); !slices.Equal(got, want) {
			t.Fatalf("removing node %d: got %v, want %v", i+1, got, want)
		}
		if ns[i].link != (Links[node]{}) {
			t.Fatalf("removed node %d keeps its links", i+1)
		}
		l.PushBack(ns[i]) // a removed node can go back in
		if got := values(t, &l); !slices.Equal(got, append(want, i+1)) {
			t.Fatalf("re-adding node %d: got %v", i+1, got)
		}
	}
}

func TestRemoveOnly(t *testing.T) {
	var l nodeList
	n := &node{v: 1}
	l.PushBack(n)
	l.Remove(n)
	if l.Front() != nil || l.tail != nil {
		t.Fatal("list not empty after removing its only node")
	}
}
