package engine

// slab hands out slices of larger allocations, so that a result's many
// short lists (a determination's rules, citations, reasons) cost a few
// allocations, not one or more each. The slices it gives go into one
// evaluation's result. By default each evaluation gets new memory; in a
// Scratch (reuse), the same memory is handed out again once the last
// result is done with.
type slab[T any] struct {
	free []T // the rest of the chunk being filled
	// With reuse: every chunk made so far, and the next to fill.
	chunks [][]T
	next   int
	reuse  bool
}

// slabSize is how many elements one allocation holds; reused chunks are
// larger, being made once.
const slabSize = 16

// copy returns a copy of items with capacity len(items), so that appending
// to it never writes over another list. An empty list is returned as it
// is (a nil list stays nil, an empty one empty).
func (s *slab[T]) copy(items []T) []T {
	n := len(items)
	if n == 0 {
		return items
	}
	if cap(s.free)-len(s.free) < n {
		s.free = s.chunk(n)
	}
	start := len(s.free)
	s.free = append(s.free, items...)
	return s.free[start : start+n : start+n]
}

// chunk returns an empty chunk with room for at least n elements.
func (s *slab[T]) chunk(n int) []T {
	if !s.reuse {
		return make([]T, 0, max(n, slabSize))
	}
	for s.next < len(s.chunks) {
		c := s.chunks[s.next]
		s.next++
		if cap(c) >= n {
			return c[:0]
		}
	}
	c := make([]T, 0, max(n, 4*slabSize))
	s.chunks = append(s.chunks, c)
	s.next = len(s.chunks)
	return c
}

// reset starts a new evaluation. Without reuse, what was handed out
// belongs to the last result and is left to it. With reuse, the last
// result is done with: its memory is cleared (so that it keeps nothing
// alive) and handed out again.
func (s *slab[T]) reset(reuse bool) {
	s.free = nil
	if s.reuse = reuse; !reuse {
		s.chunks, s.next = nil, 0
		return
	}
	for _, c := range s.chunks[:s.next] {
		clear(c[:cap(c)])
	}
	s.next = 0
}
