package audit

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestSortByKey checks the radix sort against a comparison sort by (key,
// record, member), on entries added in record order as the writer adds
// them: keys that share high bytes (as packed citizen IDs do), repeated
// keys, and the empty and single-entry cases.
func TestSortByKey(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 2, 7, 1000, 70000} {
		var buf []packedEntry
		for i := 0; i < n; i++ {
			key := uint64(0x0123_4500_0000_0000) | rng.Uint64N(1<<40)
			if i > 0 && rng.IntN(4) == 0 {
				key = buf[rng.IntN(len(buf))].key // a duplicate
			}
			buf = append(buf, packedEntry{key: key, record: uint32(i / 3), member: uint16(i % 3), off: uint32(i)})
		}
		want := slices.Clone(buf)
		slices.SortFunc(want, comparePacked)
		got, tmp := sortByKey(buf, nil)
		assert.Equal(t, want, got, "n=%d", n)
		assert.Empty(t, tmp)
	}
}
