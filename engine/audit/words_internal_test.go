package audit

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestEnglishNumber: a finding says "1 problem" and "2 problems", never
// "1 problems" (a regression: the invalid-record and record-warning
// sentences did).
func TestEnglishNumber(t *testing.T) {
	tests := []struct {
		n    int
		want string
	}{{0, "problems"}, {1, "problem"}, {2, "problems"}, {12, "problems"}}
	for _, tt := range tests {
		assert.Equal(t, tt.want, englishNumber(tt.n, "problem", "problems"), "n=%d", tt.n)
	}
}
