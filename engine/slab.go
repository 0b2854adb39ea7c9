package engine

// slab hands out slices of larger allocations, so that a result's many
// short lists (a determination's rules, citations, reasons) cost a few
// allocations, not one or more each. A slab belongs to one evaluation: the
// slices it gives go into that evaluation's result and stay with it.
type slab[T any] struct{ free []T }

// slabSize is how many elements one allocation holds.
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
		s.free = make([]T, 0, max(n, slabSize))
	}
	start := len(s.free)
	s.free = append(s.free, items...)
	return s.free[start : start+n : start+n]
}

// reset starts a new evaluation: what was handed out belongs to the last
// result, and is not reused.
func (s *slab[T]) reset() { s.free = nil }
