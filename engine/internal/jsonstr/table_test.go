package jsonstr

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestTable stores and finds keys through several growths, refuses the
// zero key and a key stored twice, and misses keys never stored.
func TestTable(t *testing.T) {
	tb := NewTable[string](1)
	const n = 1000
	for i := 1; i <= n; i++ {
		require.True(t, tb.Put(Key{uintptr(i * 8), uintptr(i % 7)}, fmt.Sprint(i)))
	}
	require.False(t, tb.Put(Key{8, 1}, "again"), "a key already there is kept")
	require.False(t, tb.Put(Key{}, "zero"), "the zero key is never stored")
	require.Equal(t, n, tb.Len())
	for i := 1; i <= n; i++ {
		v, ok := tb.Get(Key{uintptr(i * 8), uintptr(i % 7)})
		require.True(t, ok, "key %d", i)
		require.Equal(t, fmt.Sprint(i), *v)
		_, ok = tb.Get(Key{uintptr(i * 8), uintptr(i%7 + 7)})
		require.False(t, ok, "key %d with another second word", i)
	}
	_, ok := tb.Get(Key{})
	require.False(t, ok)
	var none *Table[string]
	_, ok = none.Get(Key{8, 1})
	require.False(t, ok)
}
