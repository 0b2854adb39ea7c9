package rollgen

import (
	"fmt"
	"time"

	"entitle/engine/audit"
	"entitle/engine/household"
	"entitle/engine/money"
)

type householdKind int

const (
	plainHousehold householdKind = iota
	phaseOutHousehold
)

// Weights of the draws, roughly as disability surveys and rolls show them.
var (
	jurisdictions = []string{"210882", "330213", "141081", "150700", "371581"}
	// Categories: physical most common, then hearing, multiple, visual,
	// intellectual, mental, speech.
	categories = weighted[string]{{"physical", 30}, {"hearing", 20}, {"multiple", 14}, {"visual", 14}, {"intellectual", 9}, {"mental", 10}, {"speech", 3}}
	grades     = weighted[int]{{1, 12}, {2, 20}, {3, 28}, {4, 40}}
	sizes      = weighted[int]{{1, 15}, {2, 30}, {3, 25}, {4, 20}, {5, 10}}
	statuses   = weighted[[]string]{{[]string{"dibao"}, 42}, {[]string{"low_income"}, 14}, {[]string{"dibao_edge"}, 8},
		{[]string{"tekun"}, 3}, {[]string{"poverty_alleviated"}, 5}, {[]string{}, 28}}
)

type weighted[T any] []struct {
	v T
	w int
}

func (ws weighted[T]) draw(g *gen) T {
	total := 0
	for _, x := range ws {
		total += x.w
	}
	n := g.rng.IntN(total)
	for _, x := range ws {
		if n < x.w {
			return x.v
		}
		n -= x.w
	}
	return ws[len(ws)-1].v
}

func (g *gen) chance(percent int) bool { return g.rng.IntN(100) < percent }

func yuan(v int) *money.Fen {
	f := money.Fen(v * 100)
	return &f
}

func ptr[T any](v T) *T { return &v }

// makeHousehold draws a household with every fact the monthly benefits read.
func (g *gen) makeHousehold(i int, kind householdKind) *household.Household {
	jur := jurisdictions[g.rng.IntN(len(jurisdictions))]
	residence := "rural"
	if g.chance(40) {
		residence = "urban"
	}
	status := statuses.draw(g)
	if kind == phaseOutHousehold {
		status = []string{"dibao"}
	}
	st := household.Statuses(append([]string{}, status...))
	h := &household.Household{ID: fmt.Sprintf("G%07d", i+1), Jurisdiction: jur, Residence: residence, Status: &st,
		PropertyTest: "pass", HardshipAssessed: ptr(false)}
	if g.chance(4) {
		h.PropertyTest = "fail"
	}
	poor := len(status) > 0 && status[0] != "poverty_alleviated"
	if poor && g.chance(25) {
		h.HardshipAssessed = ptr(true)
	}
	size := sizes.draw(g)
	if kind == phaseOutHousehold && size < 2 {
		size = 2
	}
	headAge := 22 + g.rng.IntN(60)
	disabled := g.rng.IntN(size)
	for k := 0; k < size; k++ {
		m := household.Member{ID: fmt.Sprintf("M%d", k+1)}
		age := headAge
		switch {
		case k == 0:
			m.Relation = "head"
		case k == 1 && headAge > 24:
			m.Relation, age = "spouse", max(18, headAge-5+g.rng.IntN(10))
		case headAge > 40 && g.chance(70):
			m.Relation, age = "child", max(0, headAge-20-g.rng.IntN(18))
		default:
			m.Relation, age = "parent", headAge+20+g.rng.IntN(10)
		}
		birth := g.birthDate(age)
		m.BirthDate = &birth
		if k == 0 || g.chance(95) {
			m.CitizenID = g.citizenID(jur, birth.Time)
		}
		g.person(&m, age, k == disabled || g.chance(8), poor, status)
		h.Members = append(h.Members, m)
	}
	if kind == phaseOutHousehold {
		g.phaseOut(h)
	} else {
		g.history(h)
	}
	return h
}

func (g *gen) birthDate(age int) household.Date {
	d := g.asOf.AddDate(-age, 0, -g.rng.IntN(365))
	return household.Date{Time: time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)}
}

// citizenID makes a valid, unique 18-character ID.
func (g *gen) citizenID(region string, birth time.Time) string {
	key := region + birth.Format("20060102")
	g.seq[key]++
	first17 := fmt.Sprintf("%s%s%03d", region, birth.Format("20060102"), g.seq[key]%1000)
	c, _ := household.CheckChar(first17)
	return first17 + string(c)
}

// person fills one member's facts.
func (g *gen) person(m *household.Member, age int, disabled, poor bool, status []string) {
	m.Disabled = ptr(disabled)
	if disabled {
		cat := categories.draw(g)
		grade := grades.draw(g)
		m.Disability = &household.Disability{Category: cat, Grade: &grade, CertificateValid: ptr(g.chance(97))}
		if cat == "physical" {
			m.Disability.LowerLimb = ptr(g.chance(50))
		}
		needed := grade <= 2 && g.chance(80)
		m.Care = &household.Care{Needed: ptr(needed), Months: ptr(0)}
		if needed {
			m.Care.Months = ptr(3 + g.rng.IntN(120))
		}
	}
	m.Income = &household.Income{Wages: yuan(0), Business: yuan(0), Pension: yuan(0), Other: yuan(0)}
	switch {
	case age < 16:
		m.Employment = &household.Employment{Status: "student"}
	case age >= 60:
		m.Employment = &household.Employment{Status: "retired"}
		pension := 150 + g.rng.IntN(300)
		if !poor {
			pension = 800 + g.rng.IntN(2500)
		}
		m.Income.Pension = yuan(pension)
	case disabled && m.Disability.Grade != nil && *m.Disability.Grade <= 2:
		m.Employment = &household.Employment{Status: "not_in_labour_force"}
	default:
		switch n := g.rng.IntN(100); {
		case n < 30 || (!poor && n < 70):
			wages := 300 + g.rng.IntN(900)
			if !poor {
				wages = 1800 + g.rng.IntN(4000)
			}
			m.Employment = &household.Employment{Status: "employed", Costs: yuan(g.rng.IntN(3) * 100)}
			m.Income.Wages = yuan(wages)
		case n < 60:
			m.Employment = &household.Employment{Status: "unemployed"}
		default:
			m.Employment = &household.Employment{Status: "not_in_labour_force"}
		}
	}
	m.OrphanGuarantee = ptr(false)
	m.WorkInjuryCareAllowance = ptr(g.chance(1))
	m.OtherWelfareSubsidy = ptr(g.chance(2))
	m.FamilySupport = ptr(disabled && age >= 18 && g.chance(60))
	m.Tekun = ptr(len(status) > 0 && status[0] == "tekun")
	m.Insurance = &household.Insurance{ResidentPension: ptr(g.chance(92)), ResidentMedical: ptr(g.chance(96))}
}

// history gives twelve past months at the household's present per-capita
// income, as the office assessed them.
func (g *gen) history(h *household.Household) {
	pci := perCapita(h)
	for k := 12; k >= 1; k-- {
		h.IncomeHistory = append(h.IncomeHistory, household.MonthIncome{Month: household.Month{Time: monthOf(g.asOf).AddDate(0, -k, 0)}, PerCapitaIncome: ptr(pci)})
	}
}

// phaseOut makes a dibao household whose income rose above the standard
// some months ago, through a member's new job: within the phase-out, or
// (one time in three) past it.
func (g *gen) phaseOut(h *household.Household) {
	std := money.Fen(0)
	if v, ok := g.pack.ParamValue(h.Jurisdiction, "dibao_standard_"+h.Residence, g.asOf); ok {
		std = v.Money
	}
	// The worker: the first adult not severely disabled.
	for k := range h.Members {
		m := &h.Members[k]
		if m.Employment == nil || m.Employment.Status == "student" || m.Employment.Status == "retired" {
			continue
		}
		if m.Disability != nil && m.Disability.Grade != nil && *m.Disability.Grade <= 2 {
			continue
		}
		for j := range h.Members {
			if j != k {
				inc := h.Members[j].Income
				inc.Wages, inc.Business, inc.Pension, inc.Other = yuan(0), yuan(0), yuan(0), yuan(0)
			}
		}
		wages := money.Fen(int64(std) * int64(len(h.Members)) * 13 / 10)
		wages = wages / 100 * 100
		m.Employment = &household.Employment{Status: "employed", Costs: yuan(0)}
		m.Income.Wages = &wages
		break
	}
	above := perCapita(h)
	below := std / 2
	months := 1 + g.rng.IntN(6)
	if g.chance(33) {
		months = 8 + g.rng.IntN(4)
	}
	for k := 12; k >= 1; k-- {
		v := below
		if k < months {
			v = above
		}
		h.IncomeHistory = append(h.IncomeHistory, household.MonthIncome{Month: household.Month{Time: monthOf(g.asOf).AddDate(0, -k, 0)}, PerCapitaIncome: ptr(v)})
	}
}

// perCapita approximates the counted per-capita income: wages less costs,
// business, pension and other income.
func perCapita(h *household.Household) money.Fen {
	var total money.Fen
	for _, m := range h.Members {
		if inc := m.Income; inc != nil {
			for _, v := range []*money.Fen{inc.Wages, inc.Business, inc.Pension, inc.Other} {
				if v != nil {
					total += *v
				}
			}
		}
		if e := m.Employment; e != nil && e.Costs != nil && m.Income != nil && m.Income.Wages != nil {
			total -= min(*e.Costs, *m.Income.Wages)
		}
	}
	return total / money.Fen(len(h.Members))
}

func memberIndex(h *household.Household, id string) int {
	for i := range h.Members {
		if h.Members[i].ID == id {
			return i
		}
	}
	return 0
}

func pay(code, member string, amount money.Fen, asOf time.Time) audit.Payment {
	return audit.Payment{Member: member, Benefit: code, Monthly: &amount, Start: household.Month{Time: monthOf(asOf).AddDate(0, -2, 0)}}
}
