package engine

import (
	"fmt"
	"slices"
	"strconv"

	"cel.dev/cel-go/common/types"

	"entitle/engine/facts"
	"entitle/engine/money"
	"entitle/engine/rulepack"
)

// Derived facts shown with every result, so a caseworker can check the arithmetic.
var (
	derivedHousehold = []*facts.Fact{facts.HSize, facts.HCountedIncome, facts.HPerCapitaIncome, facts.HDibaoStandard,
		facts.HDibaoEdgeLine, facts.HAboveStandard, facts.HMonthsAbove, facts.HAboveSince}
	derivedMember = []*facts.Fact{facts.MAge, facts.MCountedIncome, facts.MCostDeduction}
)

func (ev *evaluator) derived() []DerivedFact {
	out := slices.Grow(ev.out.derived[:0], len(derivedHousehold)+len(ev.h.Members)*len(derivedMember))
	defer func() { ev.out.derived = out }()
	params := ev.e.factParams[ev.residence]
	add := func(f *facts.Fact, v facts.Value, member string) {
		d := DerivedFact{Name: f.Name, Member: member, Label: rulepack.Text{Zh: f.Zh, En: f.En}, Unit: f.Unit}
		if v.Known() {
			d.Value, d.Display = plain(v.V, f.Kind)
		} else {
			d.Display = "unknown"
			d.Missing = ev.missing(v.Missing)
			if d.Missing == nil {
				d.Missing = []Missing{}
			}
		}
		for _, i := range params[f.Name] {
			if ev.example[i] {
				d.Example = true
			}
		}
		out = append(out, d)
	}
	for _, f := range derivedHousehold {
		v := ev.subj.Household.Get(f)
		if f == facts.HAboveSince && !v.Known() && len(v.Missing) == 0 {
			continue // not above the standard: no start month to show
		}
		add(f, v, "")
	}
	for i, m := range ev.h.Members {
		for _, f := range derivedMember {
			v := ev.subj.Members[i].Get(f)
			if f == facts.MCostDeduction {
				if emp := ev.subj.Members[i].Get(facts.MEmployed); !emp.Known() || emp.V != types.True {
					continue
				}
			}
			add(f, v, m.ID)
		}
	}
	return out
}

// plain turns a fact's CEL value into a JSON value and a display string.
func plain(v any, k facts.Kind) (any, string) {
	switch x := v.(type) {
	case types.Int:
		if k == facts.Money {
			return int64(x), money.Fen(x).Yuan()
		}
		return int64(x), strconv.FormatInt(int64(x), 10)
	case types.Bool:
		return bool(x), strconv.FormatBool(bool(x))
	case types.String:
		return string(x), string(x)
	case types.Double:
		return float64(x), strconv.FormatFloat(float64(x), 'g', -1, 64)
	case types.Timestamp:
		s := x.Format("2006-01-02")
		return s, s
	}
	return fmt.Sprint(v), fmt.Sprint(v)
}
