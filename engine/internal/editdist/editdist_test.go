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

func TestNearest(t *testing.T) {
	names := []string{"name", "birth_date", "disability", "grade"}
	tests := []struct {
		s      string
		within int
		want   string
	}{
		{"disabilty", 5, "disability"},
		{"grdae", 3, "grade"},
		{"grdae", 1, ""}, // two edits away
		{"nmae", 2, "name"},
		{"favourite_colour", 8, ""},
		{"x", 0, ""},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Nearest(tt.s, names, tt.within), "%q within %d", tt.s, tt.within)
	}
	assert.Equal(t, "ab", Nearest("a", []string{"ab", "ac"}, 1), "the first of those equally close")
}
