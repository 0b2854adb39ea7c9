// Package lines reads newline-separated records of bounded size, as JSONL
// rolls and NDJSON batches come.
package lines

import (
	"bufio"
	"errors"
	"io"
)

// ErrTooLong says a line was longer than the limit. It was consumed whole,
// so the next Read starts at the next line.
var ErrTooLong = errors.New("line too long")

// Read returns the next line without its newline, of at most limit bytes,
// and how many bytes it consumed. A last line without a newline is returned
// too; after it, io.EOF.
func Read(r *bufio.Reader, limit int) (line []byte, n int, err error) {
	return ReadAppend(r, limit, nil)
}

// ReadAppend is Read appending the line to dst: it returns dst extended by
// the line (buf[len(dst):] is the line), so many lines can share one
// buffer. A line too long, or an error, leaves dst as it was.
func ReadAppend(r *bufio.Reader, limit int, dst []byte) (buf []byte, n int, err error) {
	start, long := len(dst), false
	buf = dst
	for {
		frag, err := r.ReadSlice('\n')
		n += len(frag)
		if !long {
			buf = append(buf, frag...)
			if len(buf)-start > limit+1 { // +1: the newline
				long, buf = true, dst
			}
		}
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err == nil || errors.Is(err, io.EOF) && n > 0:
			if long {
				return dst, n, ErrTooLong
			}
			if len(buf) > start && buf[len(buf)-1] == '\n' {
				buf = buf[:len(buf)-1]
			}
			return buf, n, nil
		default:
			return dst, n, err
		}
	}
}
