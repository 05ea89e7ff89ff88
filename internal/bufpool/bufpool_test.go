package bufpool

import (
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestGetGivesEmptyBufferOfAtLeastN(t *testing.T) {
	for _, n := range []int{0, 1, 512, 513, 4 << 10, 100 << 10, 256 << 10, 1 << 20} {
		p := Get(n)
		if len(*p) != 0 || cap(*p) < n {
			t.Fatalf("Get(%d): len %d cap %d", n, len(*p), cap(*p))
		}
		Put(p)
	}
}

func TestPutResetsLength(t *testing.T) {
	p := Get(100)
	*p = append(*p, "some bytes"...)
	Put(p)
	for i := 0; i < 10; i++ { // whatever the pool hands back is empty
		q := Get(100)
		if len(*q) != 0 {
			t.Fatalf("Get after Put: len %d", len(*q))
		}
		Put(q)
	}
}

func TestPutDropsForeignSizes(t *testing.T) {
	b := make([]byte, 10, 1000) // not a class: must not be handed out as one
	Put(&b)
	Put(nil)
	q := Get(1000)
	if cap(*q) != 4<<10 {
		t.Fatalf("Get(1000) cap %d, want the 4 KiB class", cap(*q))
	}
}

func TestGetDoesNotAllocateInSteadyState(t *testing.T) {
	Put(Get(4 << 10))
	if n := testing.AllocsPerRun(100, func() { Put(Get(4 << 10)) }); n > 0 {
		t.Fatalf("Get/Put allocated %v times per run", n)
	}
}

// TestPutKeepsAtMostTheCap: buffers of a capped class put back beyond the
// cap are dropped, not pooled, so a crowd that leaves does not leave its
// queues' memory behind in the pool.
func TestPutKeepsAtMostTheCap(t *testing.T) {
	const class = 4 // 256 KiB
	size, limit := classes[class], int(keep[class])
	for range 2 * limit { // empty the pool (it holds fewer): a miss resets the count
		Get(size)
	}
	mine := make(map[*[]byte]bool)
	for range limit + 100 {
		b := make([]byte, 0, size)
		mine[&b] = true
		Put(&b)
	}
	hits := 0
	for range limit + 100 {
		if mine[Get(size)] {
			hits++
		}
	}
	if hits > limit {
		t.Fatalf("%d buffers of %d bytes came back from the pool, want at most %d", hits, size, limit)
	}
}
