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
	long := false
	for {
		frag, err := r.ReadSlice('\n')
		n += len(frag)
		if !long {
			line = append(line, frag...)
			if len(line) > limit+1 { // +1: the newline
				long, line = true, nil
			}
		}
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err == nil || errors.Is(err, io.EOF) && n > 0:
			if long {
				return nil, n, ErrTooLong
			}
			if len(line) > 0 && line[len(line)-1] == '\n' {
				line = line[:len(line)-1]
			}
			return line, n, nil
		default:
			return nil, n, err
		}
	}
}
