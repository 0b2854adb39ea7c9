package engine

import (
	"slices"
	"sort"
)

// uniqueSorted returns list's distinct elements sorted (nil when there are
// none), leaving list as it is: list itself when it is already so, else a
// sorted copy. The caller copies the answer before changing it.
func uniqueSorted(list []string) []string {
	if len(list) == 0 {
		return nil
	}
	for i := 1; i < len(list); i++ {
		if list[i-1] >= list[i] {
			return sortUnique(slices.Clone(list))
		}
	}
	return list
}

// sortUnique sorts list in place and drops repeats; nil when empty. For
// lists the caller owns.
func sortUnique(list []string) []string {
	if len(list) == 0 {
		return nil
	}
	slices.Sort(list)
	return slices.Compact(list)
}

func sortedSet(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func mergeMissing(a, b []Missing) []Missing {
	out := make([]Missing, 0, len(a)+len(b))
	for _, list := range [2][]Missing{a, b} {
		for _, m := range list {
			if !slices.ContainsFunc(out, func(o Missing) bool { return o.Field == m.Field }) {
				out = append(out, m)
			}
		}
	}
	return out
}
