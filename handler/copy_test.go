package handler

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

// sizedReader hands out data in the chunks listed, recording the size of
// each buffer it was given.
type sizedReader struct {
	chunks []int
	data   []byte
	got    []int
}

func (r *sizedReader) Read(b []byte) (int, error) {
	r.got = append(r.got, len(b))
	if len(r.chunks) == 0 {
		return 0, io.EOF
	}
	n := min(r.chunks[0], len(b))
	r.chunks = r.chunks[1:]
	copy(b, r.data[:n])
	r.data = r.data[n:]
	return n, nil
}

// TestCopyAdaptiveGrowsAndShrinks: a read that fills the small buffer moves
// the copy to the large one, kept while reads bring more than the small one
// holds; a small read moves it back. Everything is copied, in order.
func TestCopyAdaptiveGrowsAndShrinks(t *testing.T) {
	chunks := []int{smallCopyBuf, largeCopyBuf, largeCopyBuf / 2, 100, 50}
	total := 0
	for _, c := range chunks {
		total += c
	}
	data := make([]byte, total)
	for i := range data {
		data[i] = byte(i * 7)
	}
	r := &sizedReader{chunks: chunks, data: data}
	var out bytes.Buffer
	n, err := copyAdaptive(&out, r)
	if err != nil || n != int64(total) || !bytes.Equal(out.Bytes(), data) {
		t.Fatalf("copied %d of %d bytes (equal: %v), err %v", n, total, bytes.Equal(out.Bytes(), data), err)
	}
	want := []int{smallCopyBuf, largeCopyBuf, largeCopyBuf, largeCopyBuf, smallCopyBuf, smallCopyBuf}
	if len(r.got) != len(want) {
		t.Fatalf("buffer sizes %v, want %v", r.got, want)
	}
	for i := range want {
		if r.got[i] != want[i] {
			t.Fatalf("buffer sizes %v, want %v", r.got, want)
		}
	}
}

// errWriter fails every write.
type errWriter struct{}

var errWrite = errors.New("write failed")

func (errWriter) Write([]byte) (int, error) { return 0, errWrite }

// TestCopyAdaptiveErrors: a write error ends the copy with that error; a
// read error other than EOF is returned.
func TestCopyAdaptiveErrors(t *testing.T) {
	r := &sizedReader{chunks: []int{10}, data: make([]byte, 10)}
	if _, err := copyAdaptive(errWriter{}, r); !errors.Is(err, errWrite) {
		t.Fatalf("write error: got %v", err)
	}
	if _, err := copyAdaptive(io.Discard, io.MultiReader(bytes.NewReader([]byte("x")), errReader{})); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("read error: got %v", err)
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }
