package audit

import (
	"bufio"
	"cmp"
	"container/heap"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"

	"entitle/engine/household"
)

// idEntry is one member with a citizen ID, for finding the same person in
// two places, or one record, for finding the same household id on two
// records (key: a hash of the id; member and memberID unset). Entries are sorted in runs on disk, so a roll of any size is
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
// or X) into 64 bits, exactly: 17 digits need 57 bits, the check 4 more. A
// 15-digit first-generation ID is packed as the 18-character ID it became.
func packID(id string) (uint64, bool) {
	if id18, ok := household.CitizenID18(id); ok {
		id = id18 // the same person as under the 18-character ID
	}
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

// spill collects entries and writes them to sorted runs in temporary files.
// In memory an entry is a fixed-size record with no pointers (the garbage
// collector never scans the buffer) whose strings are encoded, as on disk,
// in one byte arena.
//
// A full buffer is sorted and written by a goroutine while the next one
// fills (two buffers, each of limit entries): the audit's ordered writer,
// which adds the entries, does not stall the workers behind it.
type spill struct {
	dir   string
	limit int
	buf   []packedEntry
	arena []byte
	// inOrder: entries came in (record, member) order, as the ordered
	// writer adds them, so a stable sort by key alone orders them fully.
	inOrder bool
	count   int

	// The run being written, if any: its outcome arrives on writing.
	writing chan runResult
	// What the writer gives back for reuse.
	spareBuf, tmp []packedEntry // tmp: the radix sort's other buffer
	spareArena    []byte
	runs          []*os.File
}

// runResult is a written run, and the buffers it is done with.
type runResult struct {
	f        *os.File
	err      error
	buf, tmp []packedEntry
	arena    []byte
}

// packedEntry is an idEntry whose strings are arena[off:off+n].
type packedEntry struct {
	key    uint64
	record uint32
	off, n uint32
	member uint16
}

func (x *packedEntry) less(y *packedEntry) bool { return comparePacked(*x, *y) < 0 }

func newSpill(dir string, limit int) *spill {
	if limit <= 0 {
		limit = 1 << 17
	}
	return &spill{dir: dir, limit: limit, inOrder: true}
}

// appendStrings encodes an entry's strings: each as a uvarint length and
// its bytes.
func appendStrings(b []byte, e *idEntry) []byte {
	for _, s := range [...]string{e.ref, e.household, e.jurisdiction, e.memberID} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	return b
}

// decodeStrings is appendStrings undone.
func decodeStrings(b []byte, e *idEntry) error {
	for _, dst := range [...]*string{&e.ref, &e.household, &e.jurisdiction, &e.memberID} {
		n, k := binary.Uvarint(b)
		if k <= 0 || uint64(len(b)-k) < n {
			return io.ErrUnexpectedEOF
		}
		*dst = string(b[k : k+int(n)])
		b = b[k+int(n):]
	}
	return nil
}

func (s *spill) add(e *idEntry) error {
	if n := len(s.buf); n > 0 {
		if last := &s.buf[n-1]; e.record < last.record || e.record == last.record && e.member <= last.member {
			s.inOrder = false
		}
	}
	off := len(s.arena)
	s.arena = appendStrings(s.arena, e)
	s.buf = append(s.buf, packedEntry{key: e.key, record: e.record, member: e.member, off: uint32(off), n: uint32(len(s.arena) - off)})
	s.count++
	if len(s.buf) >= s.limit || len(s.arena) >= 1<<30 {
		return s.flush()
	}
	return nil
}

// flush starts writing the buffer as a sorted run, after the run being
// written, if any, is done.
func (s *spill) flush() error {
	if err := s.wait(); err != nil {
		return err
	}
	if len(s.buf) == 0 {
		return nil
	}
	buf, arena, inOrder, tmp := s.buf, s.arena, s.inOrder, s.tmp
	s.buf, s.arena, s.inOrder, s.tmp = s.spareBuf[:0], s.spareArena[:0], true, nil
	s.spareBuf, s.spareArena = nil, nil
	s.writing = make(chan runResult, 1)
	go func(done chan<- runResult) {
		// The sorted entries may end in either buffer: both are given back,
		// as two, for the next runs.
		sorted, other := buf, tmp
		if inOrder {
			sorted, other = sortByKey(buf, tmp)
		} else {
			slices.SortFunc(buf, comparePacked)
		}
		f, err := writeRun(s.dir, sorted, arena)
		done <- runResult{f: f, err: err, buf: sorted, tmp: other, arena: arena}
	}(s.writing)
	return nil
}

// wait waits for the run being written, if any, and keeps it.
func (s *spill) wait() error {
	if s.writing == nil {
		return nil
	}
	r := <-s.writing
	s.writing = nil
	s.spareBuf, s.tmp, s.spareArena = r.buf[:0], r.tmp, r.arena[:0]
	if r.err != nil {
		return r.err
	}
	s.runs = append(s.runs, r.f)
	return nil
}

// writeRun writes sorted entries to an unlinked temporary file, rewound
// for reading.
func writeRun(dir string, buf []packedEntry, arena []byte) (*os.File, error) {
	f, err := os.CreateTemp(dir, "entitle-audit-ids-*")
	if err != nil {
		return nil, fmt.Errorf("duplicate check: %w", err)
	}
	os.Remove(f.Name()) // unlinked: the space is freed when closed, even if the run is killed
	w := bufio.NewWriterSize(f, 1<<16)
	for i := range buf {
		e := &buf[i]
		writeEntry(w, e, arena[e.off:e.off+e.n])
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return nil, fmt.Errorf("duplicate check: %w", err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

func (s *spill) close() {
	s.wait()
	for _, f := range s.runs {
		f.Close()
	}
	s.runs = nil
}

// comparePacked orders entries by key, record and member.
func comparePacked(a, b packedEntry) int {
	if c := cmp.Compare(a.key, b.key); c != 0 {
		return c
	}
	if c := cmp.Compare(a.record, b.record); c != 0 {
		return c
	}
	return cmp.Compare(a.member, b.member)
}

// sortByKey sorts entries by key, keeping the order of entries with equal
// keys: a least-significant-digit radix sort, one byte a pass, that skips
// the bytes all keys share. It returns the sorted slice and the other
// buffer (tmp, grown as needed), to be reused.
func sortByKey(buf, tmp []packedEntry) (sorted, other []packedEntry) {
	if len(buf) < 2 {
		return buf, tmp
	}
	var counts [8][256]int
	for i := range buf {
		k := buf[i].key
		for d := range counts {
			counts[d][byte(k>>(8*d))]++
		}
	}
	if cap(tmp) < len(buf) {
		tmp = make([]packedEntry, len(buf))
	}
	src, dst := buf, tmp[:len(buf)]
	for d := range counts {
		c := &counts[d]
		if c[byte(src[0].key>>(8*d))] == len(src) {
			continue // every key has this byte
		}
		pos := 0
		for b := range c {
			c[b], pos = pos, pos+c[b]
		}
		for i := range src {
			b := byte(src[i].key >> (8 * d))
			dst[c[b]] = src[i]
			c[b]++
		}
		src, dst = dst, src
	}
	return src, dst[:0]
}

// On disk an entry is its key, record and member (14 bytes, little-endian),
// the length of its encoded strings (uvarint), and the strings.
func writeEntry(w *bufio.Writer, e *packedEntry, strs []byte) {
	var b [8 + 4 + 2 + binary.MaxVarintLen64]byte
	binary.LittleEndian.PutUint64(b[0:], e.key)
	binary.LittleEndian.PutUint32(b[8:], e.record)
	binary.LittleEndian.PutUint16(b[12:], e.member)
	n := binary.PutUvarint(b[14:], uint64(len(strs)))
	w.Write(b[:14+n])
	w.Write(strs)
}

// readEntry reads the next entry of a run; its strings are read into
// *strs (reused) and stay encoded.
func readEntry(r *bufio.Reader, e *packedEntry, strs *[]byte) error {
	var b [14]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return err
	}
	e.key = binary.LittleEndian.Uint64(b[0:])
	e.record = binary.LittleEndian.Uint32(b[8:])
	e.member = binary.LittleEndian.Uint16(b[12:])
	n, err := binary.ReadUvarint(r)
	if err != nil {
		return unexpected(err)
	}
	if n > 1<<30 {
		return fmt.Errorf("duplicate check: corrupt run (an entry of %d bytes)", n)
	}
	*strs = slices.Grow((*strs)[:0], int(n))[:n]
	if _, err := io.ReadFull(r, *strs); err != nil {
		return unexpected(err)
	}
	e.n = uint32(n)
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
	r    *bufio.Reader
	e    packedEntry
	strs []byte
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

// groups calls fn with each set of two or more entries sharing a key, in
// key order, each set in roll order. Strings are decoded only for
// those sets.
func (s *spill) groups(fn func([]idEntry) error) error {
	if err := s.flush(); err != nil {
		return err
	}
	if err := s.wait(); err != nil {
		return err
	}
	h := &mergeHeap{}
	for _, f := range s.runs {
		c := &cursor{r: bufio.NewReaderSize(f, 1<<16)}
		switch err := readEntry(c.r, &c.e, &c.strs); {
		case err == nil:
			heap.Push(h, c)
		case errors.Is(err, io.EOF):
		default:
			return fmt.Errorf("duplicate check: %w", err)
		}
	}
	var group []packedEntry
	var arena []byte
	emit := func() error {
		defer func() { group, arena = group[:0], arena[:0] }()
		if len(group) < 2 {
			return nil
		}
		out := make([]idEntry, len(group))
		for i, p := range group {
			out[i] = idEntry{key: p.key, record: p.record, member: p.member}
			if err := decodeStrings(arena[p.off:p.off+p.n], &out[i]); err != nil {
				return fmt.Errorf("duplicate check: corrupt run: %w", err)
			}
		}
		return fn(out)
	}
	for h.Len() > 0 {
		c := (*h)[0]
		if len(group) > 0 && group[0].key != c.e.key {
			if err := emit(); err != nil {
				return err
			}
		}
		p := c.e
		p.off = uint32(len(arena))
		arena = append(arena, c.strs...)
		group = append(group, p)
		switch err := readEntry(c.r, &c.e, &c.strs); {
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
