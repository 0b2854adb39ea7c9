package audit

import (
	"bufio"
	"container/heap"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
)

// idEntry is one member with a citizen ID, for finding the same person in
// two places. Entries are sorted in runs on disk, so a roll of any size is
// checked in bounded memory.
type idEntry struct {
	key          uint64 // the citizen ID, packed
	record       uint32
	member       uint16
	ref          string
	household    string
	jurisdiction string
	memberID     string
}

// packID packs a valid 18-character citizen ID (17 digits and a check digit
// or X) into 64 bits, exactly: 17 digits need 57 bits, the check 4 more.
func packID(id string) (uint64, bool) {
	if len(id) != 18 {
		return 0, false
	}
	var v uint64
	for i := 0; i < 17; i++ {
		c := id[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + uint64(c-'0')
	}
	var check uint64
	switch c := id[17]; {
	case c >= '0' && c <= '9':
		check = uint64(c - '0')
	case c == 'X' || c == 'x':
		check = 10
	default:
		return 0, false
	}
	return v<<4 | check, true
}

func unpackID(k uint64) string {
	b := make([]byte, 18)
	check := k & 15
	if check == 10 {
		b[17] = 'X'
	} else {
		b[17] = byte('0' + check)
	}
	v := k >> 4
	for i := 16; i >= 0; i-- {
		b[i] = byte('0' + v%10)
		v /= 10
	}
	return string(b)
}

func (x *idEntry) less(y *idEntry) bool {
	if x.key != y.key {
		return x.key < y.key
	}
	if x.record != y.record {
		return x.record < y.record
	}
	return x.member < y.member
}

// spill collects entries and writes them to sorted runs in temporary files.
type spill struct {
	dir   string
	limit int
	buf   []idEntry
	runs  []*os.File
	count int
}

func newSpill(dir string, limit int) *spill {
	if limit <= 0 {
		limit = 1 << 18
	}
	return &spill{dir: dir, limit: limit}
}

func (s *spill) add(e idEntry) error {
	s.buf = append(s.buf, e)
	s.count++
	if len(s.buf) >= s.limit {
		return s.flush()
	}
	return nil
}

func (s *spill) flush() error {
	if len(s.buf) == 0 {
		return nil
	}
	slices.SortFunc(s.buf, func(a, b idEntry) int {
		if a.less(&b) {
			return -1
		}
		if b.less(&a) {
			return 1
		}
		return 0
	})
	f, err := os.CreateTemp(s.dir, "entitle-audit-ids-*")
	if err != nil {
		return fmt.Errorf("duplicate check: %w", err)
	}
	os.Remove(f.Name()) // unlinked: the space is freed when closed, even if the run is killed
	w := bufio.NewWriterSize(f, 1<<16)
	for i := range s.buf {
		writeEntry(w, &s.buf[i])
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("duplicate check: %w", err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		f.Close()
		return err
	}
	s.runs = append(s.runs, f)
	s.buf = s.buf[:0]
	return nil
}

func (s *spill) close() {
	for _, f := range s.runs {
		f.Close()
	}
	s.runs = nil
}

func writeEntry(w *bufio.Writer, e *idEntry) {
	var b [8 + 4 + 2]byte
	binary.LittleEndian.PutUint64(b[0:], e.key)
	binary.LittleEndian.PutUint32(b[8:], e.record)
	binary.LittleEndian.PutUint16(b[12:], e.member)
	w.Write(b[:])
	for _, s := range [...]string{e.ref, e.household, e.jurisdiction, e.memberID} {
		var n [binary.MaxVarintLen64]byte
		w.Write(n[:binary.PutUvarint(n[:], uint64(len(s)))])
		w.WriteString(s)
	}
}

func readEntry(r *bufio.Reader, e *idEntry) error {
	var b [14]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return err
	}
	e.key = binary.LittleEndian.Uint64(b[0:])
	e.record = binary.LittleEndian.Uint32(b[8:])
	e.member = binary.LittleEndian.Uint16(b[12:])
	for _, dst := range [...]*string{&e.ref, &e.household, &e.jurisdiction, &e.memberID} {
		n, err := binary.ReadUvarint(r)
		if err != nil {
			return unexpected(err)
		}
		buf := make([]byte, n)
		if _, err := io.ReadFull(r, buf); err != nil {
			return unexpected(err)
		}
		*dst = string(buf)
	}
	return nil
}

func unexpected(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// mergeHeap merges the sorted runs.
type cursor struct {
	r *bufio.Reader
	e idEntry
}

type mergeHeap []*cursor

func (h mergeHeap) Len() int           { return len(h) }
func (h mergeHeap) Less(i, j int) bool { return h[i].e.less(&h[j].e) }
func (h mergeHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *mergeHeap) Push(x any)        { *h = append(*h, x.(*cursor)) }
func (h *mergeHeap) Pop() any {
	old := *h
	c := old[len(old)-1]
	*h = old[:len(old)-1]
	return c
}

// groups calls fn with each set of two or more entries sharing a citizen
// ID, in ID order, each set in roll order.
func (s *spill) groups(fn func([]idEntry) error) error {
	if err := s.flush(); err != nil {
		return err
	}
	h := &mergeHeap{}
	for _, f := range s.runs {
		c := &cursor{r: bufio.NewReaderSize(f, 1<<16)}
		switch err := readEntry(c.r, &c.e); {
		case err == nil:
			heap.Push(h, c)
		case errors.Is(err, io.EOF):
		default:
			return fmt.Errorf("duplicate check: %w", err)
		}
	}
	var group []idEntry
	emit := func() error {
		if len(group) >= 2 {
			if err := fn(group); err != nil {
				return err
			}
		}
		group = group[:0]
		return nil
	}
	for h.Len() > 0 {
		c := (*h)[0]
		if len(group) > 0 && group[0].key != c.e.key {
			if err := emit(); err != nil {
				return err
			}
		}
		group = append(group, c.e)
		switch err := readEntry(c.r, &c.e); {
		case err == nil:
			heap.Fix(h, 0)
		case errors.Is(err, io.EOF):
			heap.Pop(h)
		default:
			return fmt.Errorf("duplicate check: %w", err)
		}
	}
	return emit()
}
