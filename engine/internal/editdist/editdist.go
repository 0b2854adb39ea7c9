// Package editdist measures how far apart two names are, for "did you mean"
// hints on fields and columns.
package editdist

// Distance is the Levenshtein distance between a and b counted in
// characters (runes), so that 残疾人等级 is one from 残疾等级.
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// Nearest is the candidate closest to s, the first of those equally close,
// when it is at most within edits away; "" when none is.
func Nearest(s string, candidates []string, within int) string {
	best, bestD := "", within+1
	for _, c := range candidates {
		if d := Distance(s, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}
