package household

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMembersWithoutIDs: a record may leave out the household id and the
// members' ids. Each decoder (YAML, JSON through the schema, the fast JSON
// path, a JSONReader) names a member without one M<n> by position, or
// M<n>-2… when another member holds M<n>, and the record validates.
func TestMembersWithoutIDs(t *testing.T) {
	tests := []struct {
		name   string
		record string
		want   []string
	}{
		{"no ids", `{"jurisdiction":"141081","members":[{"name":"王芳"},{"name":"李强"}]}`, []string{"M1", "M2"}},
		{"null and blank ids", `{"id":null,"jurisdiction":"141081","members":[{"id":null},{"id":"  "},{"id":""}]}`, []string{"M1", "M2", "M3"}},
		{"some given", `{"id":"H1","jurisdiction":"141081","members":[{"id":"户主"},{}]}`, []string{"户主", "M2"}},
		{"M<n> held by another", `{"jurisdiction":"141081","members":[{"id":"M2"},{}]}`, []string{"M2", "M2-2"}},
		{"M<n> and M<n>-2 held", `{"jurisdiction":"141081","members":[{"id":"M2-2"},{},{"id":"M2"}]}`, []string{"M2-2", "M2-3", "M2"}},
	}
	ids := func(h *Household) []string {
		var out []string
		for _, m := range h.Members {
			out = append(out, m.ID)
		}
		return out
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, _, err := Decode([]byte(tt.record), DecodeOptions{})
			require.NoError(t, err)
			assert.Equal(t, tt.want, ids(h), "Decode")
			errs, _ := Validate(h, ValidateOptions{})
			assert.Empty(t, errs, "the record validates")

			fast, err := DecodeJSONFast([]byte(tt.record))
			require.NoError(t, err)
			assert.Equal(t, tt.want, ids(fast), "DecodeJSONFast")

			r, err := NewJSONReader([]byte(tt.record)).Household()
			require.NoError(t, err)
			assert.Equal(t, tt.want, ids(r), "JSONReader.Household")
		})
	}
	t.Run("YAML", func(t *testing.T) {
		h, _, err := Decode([]byte("jurisdiction: 侯马市\nmembers:\n  - name: 王芳\n  - id: M1\n"), DecodeOptions{})
		require.NoError(t, err)
		assert.Equal(t, []string{"M1-2", "M1"}, ids(h))
		assert.Empty(t, h.ID, "no household id is made up")
	})
	t.Run("a Go value is not renamed by Validate", func(t *testing.T) {
		h := &Household{Jurisdiction: "141081", Members: []Member{{}}}
		errs, _ := Validate(h, ValidateOptions{})
		require.Len(t, errs, 1)
		assert.Equal(t, CodeRequired, errs[0].Code)
		assert.Equal(t, "members[0].id", errs[0].Field)
		NameMembers(h)
		errs, _ = Validate(h, ValidateOptions{})
		assert.Empty(t, errs, "after NameMembers")
	})
}
