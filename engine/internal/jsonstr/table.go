package jsonstr

// Key identifies a value by where its bytes are: for a string, its data
// pointer and length; for a pair of strings, their two data pointers. The
// zero Key is never stored.
type Key struct{ A, B uintptr }

// Table maps keys to values by open addressing. It is filled once, then
// only read, so lookups need no lock; it is cheaper than a Go map for the
// pointer keys the encoder looks up, since hashing a Key is one multiply.
type Table[V any] struct {
	slots []slot[V] // a key beside its value: one cache line to read, not two
	shift uint
	n     int
}

type slot[V any] struct {
	key Key
	val V
}

// NewTable returns a table sized for about n entries.
func NewTable[V any](n int) *Table[V] {
	size, shift := 16, uint(60)
	for size < 2*n {
		size, shift = size*2, shift-1
	}
	return &Table[V]{slots: make([]slot[V], size), shift: shift}
}

func (t *Table[V]) index(k Key) int {
	return int((uint64(k.A)*0x9E3779B97F4A7C15 ^ uint64(k.B)*0xC2B2AE3D27D4EB4F) >> t.shift)
}

// Put stores v under k unless k is there already or is the zero Key, and
// reports whether it stored it. The table grows as it fills.
func (t *Table[V]) Put(k Key, v V) bool {
	if k == (Key{}) {
		return false
	}
	if 2*(t.n+1) > len(t.slots) {
		t.grow()
	}
	mask := len(t.slots) - 1
	for i := t.index(k); ; i = (i + 1) & mask {
		switch t.slots[i].key {
		case k:
			return false
		case Key{}:
			t.slots[i] = slot[V]{k, v}
			t.n++
			return true
		}
	}
}

func (t *Table[V]) grow() {
	old := *t
	*t = *NewTable[V](len(old.slots))
	for _, s := range old.slots {
		if s.key != (Key{}) {
			t.Put(s.key, s.val)
		}
	}
}

// Get returns the value stored under k.
func (t *Table[V]) Get(k Key) (*V, bool) {
	if t == nil || t.n == 0 || k == (Key{}) {
		return nil, false
	}
	mask := len(t.slots) - 1
	for i := t.index(k); ; i = (i + 1) & mask {
		switch s := &t.slots[i]; s.key {
		case k:
			return &s.val, true
		case Key{}:
			return nil, false
		}
	}
}

// Len is the number of entries.
func (t *Table[V]) Len() int { return t.n }
