package audit

import (
	"hash/fnv"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestFNV64a: the duplicate-household check keys records by fnv64a of the
// id; it must be hash/fnv's FNV-1a, or runs sorted on disk would order
// differently from before.
func TestFNV64a(t *testing.T) {
	for _, s := range []string{"", "H1", "150700-H0001", "侯马市路东街道-0001", "\x00\xff"} {
		h := fnv.New64a()
		h.Write([]byte(s))
		assert.Equal(t, h.Sum64(), fnv64a(s), "%q", s)
	}
	var sink uint64
	assert.Zero(t, testing.AllocsPerRun(100, func() { sink ^= fnv64a("150700-H0001-a-long-household-identifier") }))
}
