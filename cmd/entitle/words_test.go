package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestCount: the English summaries of lint, test and replay say "1 error",
// not "1 errors".
func TestCount(t *testing.T) {
	for _, tt := range []struct {
		n    int
		want string
	}{
		{0, "0 errors"},
		{1, "1 error"},
		{2, "2 errors"},
		{11, "11 errors"},
	} {
		assert.Equal(t, tt.want, count(tt.n, "error", "errors"))
	}
}
