package facts

import (
	"fmt"
	"strings"
	"testing"

	"entitle/engine/enginetest"
)

// TestFactsDoc keeps docs/facts.md in step with the catalogue.
func TestFactsDoc(t *testing.T) {
	var b strings.Builder
	b.WriteString("# Facts rules can read\n\n")
	b.WriteString("Generated from engine/facts/catalogue.go by `go test ./engine/facts -update`; do not edit by hand.\n\n")
	b.WriteString("Each fact is a CEL variable. Money is an int of fen (`household.dibao_standard` 780.00 yuan is `78000`); dates are timestamps. ")
	b.WriteString("A fact the record cannot give is unknown: a condition that needs it is neither true nor false, and the result lists the input fields to ask for.\n\n")
	b.WriteString("Rules also read `params.NAME` (parameters.yaml, values in */values.yaml), `def.NAME` (definitions, likewise), `benefit.CODE` ")
	b.WriteString("(true when that benefit is eligible as shall or may for the same household or member) and `as_of` (the evaluation date).\n\n")
	for _, scope := range []Scope{Household, Member} {
		fmt.Fprintf(&b, "## %s facts\n\n| name | type | unit | 中文 | English | derived from |\n|---|---|---|---|---|---|\n", map[Scope]string{Household: "Household", Member: "Member"}[scope])
		for _, f := range All() {
			if f.Scope != scope {
				continue
			}
			doc := f.Doc
			if len(f.Enum) > 0 {
				var vals []string
				for _, v := range f.Enum {
					if v == "" {
						v = `""`
					}
					vals = append(vals, "`"+v+"`")
				}
				doc += " Values: " + strings.Join(vals, ", ") + "."
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s | %s |\n", f.Name, f.Kind, f.Unit, f.Zh, f.En, strings.ReplaceAll(doc, "|", "\\|"))
		}
		b.WriteString("\n")
	}
	enginetest.Golden(t, "../../docs/facts.md", []byte(b.String()))
}
