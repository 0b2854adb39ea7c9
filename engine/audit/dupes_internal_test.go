package audit

import (
	"fmt"
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

// TestSpillReusesBuffers: a roll whose keys share their top bytes (citizen
// IDs of one province) sorts in an odd number of radix passes, so the
// sorted entries end in the scratch buffer. The buffers given back for the
// next runs must still be two: when they were one, the third run sorted
// over itself and lost or repeated entries (a panic, or wrong groups).
func TestSpillReusesBuffers(t *testing.T) {
	for _, top := range []uint64{0x0800_0000_0000_0000, 0} { // 7 passes; 8 passes
		s := newSpill(t.TempDir(), 100)
		want := map[uint64]int{}
		rng := rand.New(rand.NewPCG(3, 4))
		for i := 0; i < 1000; i++ {
			key := top | rng.Uint64N(1<<56)
			if top == 0 {
				key = rng.Uint64()
			}
			if i%10 == 9 {
				key = uint64(i) | top // the same key as the entry three records on
			}
			if i%10 == 6 {
				key = uint64(i+3) | top
			}
			want[key]++
			assert.NoError(t, s.add(&idEntry{key: key, record: uint32(i + 1), household: "H"}))
		}
		got := map[uint64]int{}
		assert.NoError(t, s.groups(func(g []idEntry) error {
			got[g[0].key] = len(g)
			for _, e := range g[1:] {
				assert.Equal(t, g[0].key, e.key)
			}
			return nil
		}))
		s.close()
		for k, n := range want {
			if n < 2 {
				delete(want, k)
			}
		}
		assert.Len(t, want, 100)
		assert.Equal(t, want, got, "top %#x", top)
	}
}

// findingsOf is a sink that keeps the findings.
type findingsOf []*Finding

func (s *findingsOf) Finding(f *Finding) error { *s = append(*s, f); return nil }
func (s *findingsOf) Finish(*Report) error     { return nil }

// TestDuplicateHouseholdsCompareIDs: records are grouped by a hash of the
// household id, so two ids with one hash fall in one group; only records
// whose ids are equal are duplicates.
func TestDuplicateHouseholdsCompareIDs(t *testing.T) {
	s := &state{hids: newSpill(t.TempDir(), 2), rec: Reconciliation{Findings: map[Class]int{}}}
	defer s.hids.close()
	for i, id := range []string{"B", "A", "B", "C", "A", "D"} {
		e := householdEntry(&Record{N: i + 1, Ref: fmt.Sprint("roll:", i+1)}, id, "141081")
		e.key = 7 // as if every id had the same hash
		assert.NoError(t, s.hids.add(&e))
	}
	var got findingsOf
	assert.NoError(t, s.duplicateHouseholds(&got))
	var lines []string
	for _, f := range got {
		lines = append(lines, fmt.Sprintf("%s %d %d", f.Household, f.Record, f.Others[0].Record))
	}
	assert.Equal(t, []string{"A 2 5", "A 5 2", "B 1 3", "B 3 1"}, lines)
	assert.Equal(t, 4, s.rec.Findings[DuplicateHousehold])
}
