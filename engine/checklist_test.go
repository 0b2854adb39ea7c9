package engine_test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"entitle/engine"
)

// TestChecklistGathersEveryMissingFact: for every example household, the
// checklist names each missing fact of the record once, with exactly the
// benefits whose determinations list it, those that more benefits wait on
// first; a lean result has none, and a complete record an empty one.
func TestChecklistGathersEveryMissingFact(t *testing.T) {
	files, err := filepath.Glob("../testdata/households/*")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	open := 0
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			res, err := evaluateFile(t, f)
			require.NoError(t, err)
			require.NotNil(t, res.Checklist, "a full result always has a checklist, if empty")
			want := waitingOn(res)
			got := map[string][]string{}
			for i, q := range res.Checklist {
				_, twice := got[q.Field]
				assert.False(t, twice, "%s is asked once", q.Field)
				got[q.Field] = q.Benefits
				assert.NotEmpty(t, q.Label.Zh, q.Field)
				assert.NotEmpty(t, q.Label.En, q.Field)
				if strings.HasPrefix(q.Field, "members[") {
					assert.NotEmpty(t, q.Member, "%s names its member", q.Field)
				}
				if i > 0 {
					assert.GreaterOrEqual(t, len(res.Checklist[i-1].Benefits), len(q.Benefits), "more benefits first: %s", q.Field)
				}
			}
			assert.Equal(t, want, got)
			open += len(res.Checklist)

			lean, err := evaluateFile(t, f, engine.Lean())
			require.NoError(t, err)
			assert.Nil(t, lean.Checklist, "a lean result leaves the checklist to its determinations")
		})
	}
	assert.Positive(t, open, "some example leaves facts open")
}

// waitingOn lists, for each fact of the record that some determination's
// Missing names, the benefits waiting on it, in determination order: what
// the checklist should hold, worked out from the determinations alone.
func waitingOn(res *engine.Result) map[string][]string {
	out := map[string][]string{}
	for _, d := range res.Determinations {
		for _, m := range d.Missing {
			if strings.HasPrefix(m.Field, "parameter:") || strings.HasPrefix(m.Field, "definition:") {
				continue
			}
			if !slices.Contains(out[m.Field], d.Benefit) {
				out[m.Field] = append(out[m.Field], d.Benefit)
			}
		}
	}
	return out
}

// TestChecklistOrder: among questions that as many benefits wait on, the
// one a determination asks first comes first.
func TestChecklistOrder(t *testing.T) {
	res, err := evaluateFile(t, "../testdata/households/dashiqiao-intake.json")
	require.NoError(t, err)
	first := map[string]int{} // field → index of the first determination that lists it
	for i, d := range res.Determinations {
		for _, m := range d.Missing {
			if _, ok := first[m.Field]; !ok {
				first[m.Field] = i
			}
		}
	}
	require.Greater(t, len(res.Checklist), 3)
	for i := 1; i < len(res.Checklist); i++ {
		a, b := res.Checklist[i-1], res.Checklist[i]
		if len(a.Benefits) == len(b.Benefits) {
			assert.LessOrEqual(t, first[a.Field], first[b.Field], "%s before %s", a.Field, b.Field)
		}
	}
	cert := res.Checklist[0]
	assert.Equal(t, "members[0].disability.certificate_no", cert.Field, "the certificate settles the most benefits")
	assert.Equal(t, "M1", cert.Member)
	assert.Contains(t, cert.Benefits, "living_allowance")
	assert.Contains(t, cert.Benefits, "care_subsidy")
}
