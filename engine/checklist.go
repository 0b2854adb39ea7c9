package engine

import (
	"slices"
	"strings"
)

// Question is one fact the record lacks, asked once for the whole household
// however many outcomes wait on it: the IRS Fact Graph's "which facts are
// still missing", as a caseworker's interview checklist.
type Question struct {
	Missing // the fact, as the determinations name it
	// Benefits are the codes of the benefits whose determinations list the
	// fact as missing, in the order of the determinations: undetermined
	// ones, and eligible ones whose amount, exception or caveat waits on
	// it. Answering it helps settle each; some also wait on other facts.
	Benefits []string `json:"benefits"`
}

// checklist gathers the missing facts of the determinations into one list,
// each fact once: first those that the most benefits wait on, and among as
// many, in the order the determinations first ask them. The values the pack
// lacks (parameter:NAME, definition:NAME) are left out: the applicant
// cannot give them.
func checklist(dets []Determination) []Question {
	n := 0
	for i := range dets {
		n += len(dets[i].Missing)
	}
	if n == 0 {
		return nil
	}
	// Each question's benefits are gathered as (question, benefit) pairs,
	// then cut from one array: three allocations, however many questions.
	type waits struct {
		q       int
		benefit string
	}
	out := make([]Question, 0, n)
	pairs := make([]waits, 0, n)
	for i := range dets {
		d := &dets[i]
		for _, m := range d.Missing {
			if strings.HasPrefix(m.Field, "parameter:") || strings.HasPrefix(m.Field, "definition:") {
				continue // the pack lacks it: a question for its maintainers, not the applicant
			}
			at := slices.IndexFunc(out, func(q Question) bool { return q.Field == m.Field })
			if at < 0 {
				out = append(out, Question{Missing: m})
				at = len(out) - 1
			}
			if p := (waits{at, d.Benefit}); !slices.Contains(pairs, p) {
				pairs = append(pairs, p)
			}
		}
	}
	if len(out) == 0 {
		return nil
	}
	slices.SortStableFunc(pairs, func(a, b waits) int { return a.q - b.q })
	benefits := make([]string, len(pairs))
	for i, p := range pairs {
		benefits[i] = p.benefit
	}
	for start := 0; start < len(pairs); {
		q, end := pairs[start].q, start+1
		for end < len(pairs) && pairs[end].q == q {
			end++
		}
		out[q].Benefits = benefits[start:end:end]
		start = end
	}
	// A stable sort keeps the order of first asking among equals.
	slices.SortStableFunc(out, func(a, b Question) int { return len(b.Benefits) - len(a.Benefits) })
	return out
}
