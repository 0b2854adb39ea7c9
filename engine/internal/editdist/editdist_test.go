package editdist

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"grade", "grade", 0},
		{"", "age", 3},
		{"disabilty", "disability", 1},
		{"grdae", "grade", 2},
		{"残疾人等级", "残疾等级", 1},
		{"残疾类型", "残疾类别", 1},
		{"kitten", "sitting", 3},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Distance(tt.a, tt.b), "%q, %q", tt.a, tt.b)
		assert.Equal(t, tt.want, Distance(tt.b, tt.a), "%q, %q", tt.b, tt.a)
	}
}
