package handles

import "testing"

func TestTableReusesFreed(t *testing.T) {
	var tb Table[int]
	a, b := new(int), new(int)
	ha, hb := tb.Add(a), tb.Add(b)
	if ha != 0 || hb != 1 {
		t.Fatalf("numbers %d, %d; want 0, 1", ha, hb)
	}
	if tb.Get(ha) != a || tb.Get(hb) != b {
		t.Fatal("Get does not return what Add stored")
	}
	tb.Remove(ha)
	if tb.Get(ha) != nil {
		t.Fatal("a removed number still names something")
	}
	c := new(int)
	if hc := tb.Add(c); hc != ha || tb.Get(hc) != c {
		t.Fatalf("freed number %d not reused (got %d)", ha, hc)
	}
}

func TestTableOutOfRange(t *testing.T) {
	var tb Table[int]
	for _, h := range []int{-1, 0, 7} {
		if tb.Get(h) != nil {
			t.Fatalf("Get(%d) on an empty table is not nil", h)
		}
		tb.Remove(h) // must not panic
	}
}

func TestTableRemoveTwiceFreesOnce(t *testing.T) {
	var tb Table[int]
	h := tb.Add(new(int))
	tb.Remove(h)
	tb.Remove(h)
	if a, b := tb.Add(new(int)), tb.Add(new(int)); a == b {
		t.Fatalf("one number given out twice: %d", a)
	}
}
