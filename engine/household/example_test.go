package household_test

import (
	"fmt"

	"entitle/engine/household"
)

// A record may leave its members' ids out: the decoders name each M1, M2…
// by position, or M<n>-2 when another member already holds M<n>.
func ExampleDecode() {
	record := []byte("jurisdiction: 侯马市\nmembers:\n  - name: 王芳\n  - {id: M1, name: 李强}\n")
	h, _, err := household.Decode(record, household.DecodeOptions{File: "h.yaml"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range h.Members {
		fmt.Println(m.ID, m.Name)
	}
	// Output:
	// M1-2 王芳
	// M1 李强
}

// A household built in Go is named the same way by NameMembers.
func ExampleNameMembers() {
	h := &household.Household{Jurisdiction: "141081", Members: []household.Member{{Name: "王芳"}, {Name: "李强"}}}
	household.NameMembers(h)
	fmt.Println(h.Members[0].ID, h.Members[1].ID)
	// Output: M1 M2
}
