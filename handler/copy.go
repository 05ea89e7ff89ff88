package handler

import (
	"io"

	"github.com/usocket-go/usocket/internal/bufpool"
)

// The stock stream handlers copy through a small buffer, which is all a
// connection holds while it waits for data, and move to a large one while
// reads keep filling what they are given: a bulk stream is then read in
// 64 KiB steps (a quarter of the system calls of 16 KiB ones), and a crowd
// of idle connections still holds 16 KiB each.
const (
	smallCopyBuf = 16 << 10
	largeCopyBuf = 64 << 10
)

// copyAdaptive copies src to dst until src's EOF (then err is nil) or an
// error, as io.Copy does, but through pooled buffers that grow and shrink
// with the stream (see smallCopyBuf). It never uses ReaderFrom or
// WriterTo: an echo's source and destination are the same connection.
func copyAdaptive(dst io.Writer, src io.Reader) (written int64, err error) {
	small := bufpool.Get(smallCopyBuf)
	defer bufpool.Put(small)
	var large *[]byte
	defer func() { bufpool.Put(large) }()
	for {
		buf := (*small)[:cap(*small)]
		if large != nil {
			buf = (*large)[:cap(*large)]
		}
		n, rerr := src.Read(buf)
		if n > 0 {
			w, werr := dst.Write(buf[:n])
			written += int64(w)
			switch {
			case werr != nil:
				return written, werr
			case w != n:
				return written, io.ErrShortWrite
			}
		}
		switch {
		case large == nil && n == len(buf):
			large = bufpool.Get(largeCopyBuf) // more was waiting: read it in larger steps
		case large != nil && n <= smallCopyBuf:
			bufpool.Put(large) // the stream slowed: wait holding the small one only
			large = nil
		}
		switch {
		case rerr == io.EOF:
			return written, nil
		case rerr != nil:
			return written, rerr
		}
	}
}
