package household

import (
	"slices"
	"strconv"
	"strings"
)

// NameMembers gives each member that has no id (absent, null or blank) the
// id M<n>, n its position in Members from 1, as the decoders do: results,
// reasons and checklists name members by id, and a caseworker checking one
// household need not invent ids. Should another member already hold M<n>,
// the member is called M<n>-2 (or -3, …). Members with an id keep it.
func NameMembers(h *Household) {
	if h == nil {
		return
	}
	for i := range h.Members {
		if strings.TrimSpace(h.Members[i].ID) != "" {
			continue
		}
		base := "M" + strconv.Itoa(i+1)
		id := base
		for k := 2; held(h.Members, id); k++ {
			id = base + "-" + strconv.Itoa(k)
		}
		h.Members[i].ID = id
	}
}

// held reports whether a member holds id.
func held(ms []Member, id string) bool {
	return slices.ContainsFunc(ms, func(m Member) bool { return m.ID == id })
}
