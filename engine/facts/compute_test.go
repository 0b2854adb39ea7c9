package facts

import (
	"testing"
	"time"

	"cel.dev/cel-go/common/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"entitle/engine/household"
	"entitle/engine/money"
)

func date(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestAgeOn(t *testing.T) {
	tests := []struct {
		birth, on string
		want      int
	}{
		{"2007-06-30", "2025-06-29", 17},
		{"2007-06-30", "2025-06-30", 18}, // on the birthday
		{"2007-06-30", "2025-07-01", 18},
		{"2008-02-29", "2026-02-28", 17}, // a 29 February birthday is reached on 1 March
		{"2008-02-29", "2026-03-01", 18},
		{"2008-02-29", "2028-02-29", 20},
		{"1966-01-01", "2025-12-31", 59},
		{"1966-01-01", "2026-01-01", 60},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, AgeOn(date(tt.birth), date(tt.on)), "%s on %s", tt.birth, tt.on)
	}
}

// params is a fixed parameter source for tests.
type params map[string]any

func (p params) Money(n string, _ time.Time) (money.Fen, bool) {
	v, ok := p[n].(money.Fen)
	return v, ok
}
func (p params) Int(n string, _ time.Time) (int64, bool)    { v, ok := p[n].(int64); return v, ok }
func (p params) Rate(n string, _ time.Time) (float64, bool) { v, ok := p[n].(float64); return v, ok }

var std = params{"dibao_standard_urban": money.Fen(70000), "dibao_edge_multiplier": 1.5,
	"phase_out_months": int64(6), "long_term_care_min_months": int64(6)}

func fen(s string) *money.Fen {
	f, err := money.ParseYuan(s)
	if err != nil {
		panic(err)
	}
	return &f
}

func bp(b bool) *bool { return &b }

func member(id, wages, costs string) household.Member {
	m := household.Member{ID: id, Disabled: bp(false), Income: &household.Income{
		Wages: fen(wages), Business: fen("0"), Pension: fen("0"), Other: fen("0")}}
	if costs != "" {
		m.Employment = &household.Employment{Status: "employed", Costs: fen(costs)}
	}
	return m
}

func TestIncome(t *testing.T) {
	h := &household.Household{Residence: "urban", Members: []household.Member{
		member("M1", "1500.00", "100.00"), member("M2", "0", ""), member("M3", "0", ""),
	}}
	s := Compute(h, date("2025-06-30"), std)
	assert.Equal(t, types.Int(140000), s.Household.Get(HCountedIncome).V)
	assert.Equal(t, types.Int(46667), s.Household.Get(HPerCapitaIncome).V, "466.666… rounds half up")
	assert.Equal(t, types.Int(70000), s.Household.Get(HDibaoStandard).V)
	assert.Equal(t, types.Int(105000), s.Household.Get(HDibaoEdgeLine).V)
	assert.Equal(t, types.False, s.Household.Get(HAboveStandard).V)
	assert.Equal(t, types.Int(0), s.Household.Get(HMonthsAbove).V)
	assert.Equal(t, types.Int(10000), s.Members[0].Get(MCostDeduction).V)
}

func TestDeductionCappedAtWages(t *testing.T) {
	h := &household.Household{Residence: "urban", Members: []household.Member{member("M1", "300.00", "500.00")}}
	s := Compute(h, date("2025-06-30"), std)
	assert.Equal(t, types.Int(30000), s.Members[0].Get(MCostDeduction).V)
	assert.Equal(t, types.Int(0), s.Members[0].Get(MCountedIncome).V)
}

func TestUnknownIncomeNamesTheFields(t *testing.T) {
	m := member("M1", "1500.00", "")
	m.Income.Pension = nil
	m.Employment = &household.Employment{Status: "employed"} // costs unknown
	h := &household.Household{Residence: "urban", Members: []household.Member{m}}
	s := Compute(h, date("2025-06-30"), std)
	v := s.Household.Get(HPerCapitaIncome)
	require.False(t, v.Known())
	assert.ElementsMatch(t, []string{"members[0].employment.costs", "members[0].income.pension"}, v.Missing)
	assert.Equal(t, []string{"residence"}, Compute(&household.Household{Members: h.Members}, date("2025-06-30"), std).Household.Get(HDibaoStandard).Missing)
}

func TestHistoryStandsInForUnknownCurrentIncome(t *testing.T) {
	m := household.Member{ID: "M1"}
	h := &household.Household{Residence: "urban", Members: []household.Member{m},
		IncomeHistory: []household.MonthIncome{{Month: household.Month{Time: date("2025-06-01")}, PerCapitaIncome: fen("650.00")}}}
	s := Compute(h, date("2025-06-30"), std)
	assert.Equal(t, types.Int(65000), s.Household.Get(HPerCapitaIncome).V)
}

func TestMonthsAbove(t *testing.T) {
	hist := func(pairs ...string) []household.MonthIncome {
		var out []household.MonthIncome
		for i := 0; i < len(pairs); i += 2 {
			m, _ := household.ParseMonth(pairs[i])
			out = append(out, household.MonthIncome{Month: m, PerCapitaIncome: fen(pairs[i+1])})
		}
		return out
	}
	tests := []struct {
		name    string
		history []household.MonthIncome
		months  int64
		known   bool
		since   string
	}{
		{"run back to a month below", hist("2025-02", "600.00", "2025-03", "760.00", "2025-04", "760.00", "2025-05", "760.00"), 4, true, "2025-03-01"},
		{"equal to the standard ends the run", hist("2025-04", "700.00", "2025-05", "760.00"), 2, true, "2025-05-01"},
		{"a gap leaves it open", hist("2025-03", "600.00", "2025-05", "760.00"), 0, false, ""},
		{"a run already past the longest phase-out is known", hist("2024-12", "760.00", "2025-01", "760.00", "2025-02", "760.00", "2025-03", "760.00", "2025-04", "760.00", "2025-05", "760.00"), 7, true, "2024-12-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := &household.Household{Residence: "urban", Members: []household.Member{member("M1", "760.00", "0")}, IncomeHistory: tt.history}
			s := Compute(h, date("2025-06-15"), std)
			v := s.Household.Get(HMonthsAbove)
			require.Equal(t, tt.known, v.Known(), "missing %v", v.Missing)
			if tt.known {
				assert.Equal(t, types.Int(tt.months), v.V)
				assert.Equal(t, tt.since, s.Household.Get(HAboveSince).V.(types.Timestamp).Format("2006-01-02"))
			}
		})
	}
}

func TestLongTermCare(t *testing.T) {
	i := func(n int) *int { return &n }
	tests := []struct {
		care  *household.Care
		known bool
		want  bool
	}{
		{&household.Care{Needed: bp(true), Months: i(6)}, true, true},
		{&household.Care{Needed: bp(true), Months: i(5)}, true, false},
		{&household.Care{Needed: bp(false)}, true, false},
		{&household.Care{Months: i(3)}, true, false}, // too short whatever the need
		{&household.Care{Months: i(12)}, false, false},
		{&household.Care{Needed: bp(true)}, false, false},
		{nil, false, false},
		// The office's finding of a long-term need decides without the months.
		{&household.Care{LongTerm: bp(true)}, true, true},
		{&household.Care{Needed: bp(true), LongTerm: bp(false)}, true, false},
		{&household.Care{Needed: bp(true), LongTerm: bp(true), Months: i(3)}, true, true},
		{&household.Care{Needed: bp(false), LongTerm: bp(true)}, true, false}, // refused by Validate
	}
	for n, tt := range tests {
		h := &household.Household{Members: []household.Member{{ID: "M1", Care: tt.care}}}
		m := Compute(h, date("2025-06-30"), std).Members[0]
		v := m.Get(MLongTermCare)
		require.Equal(t, tt.known, v.Known(), "case %d", n)
		if tt.known {
			assert.Equal(t, types.Bool(tt.want), v.V, "case %d", n)
		} else {
			assert.Equal(t, []string{"members[0].care.long_term"}, v.Missing, "case %d: one question settles it", n)
		}
		if tt.care != nil && tt.care.LongTerm != nil && *tt.care.LongTerm && tt.care.Needed == nil {
			assert.Equal(t, types.True, m.Get(MCareNeeded).V, "case %d: long-term care is care", n)
		}
	}
}

// TestEmploymentStatus: 无业 (not_employed) says a member is not in work but
// not whether unemployed or outside the labour force, so the facts that
// tell those apart stay unknown and name the field to ask about; 灵活就业
// (flexible) says the member is in work but not whether in a job or
// self-employed.
func TestEmploymentStatus(t *testing.T) {
	unknown := "?"
	tests := []struct {
		status                        string
		status2, employed, unemployed any // a value, or unknown
		noOccupation                  any // 无业: student and retired are occupations of their own
		ableToWork                    any // household.any_able_to_work with full capacity
	}{
		{"employed", "employed", true, false, false, true},
		{"个体经营", "self_employed", true, false, false, true},
		{"失业", "unemployed", false, true, true, true},
		{"not_in_labour_force", "not_in_labour_force", false, false, true, true},
		{"学生", "student", false, false, false, false},
		{"retired", "retired", false, false, false, false},
		{"not_employed", unknown, false, unknown, true, true},
		{"无业", unknown, false, unknown, true, true},
		{"flexible", unknown, true, false, false, true}, // 灵活就业: in work, a job or self-employment not said
		{"灵活就业", unknown, true, false, false, true},
		{"farming", unknown, unknown, false, false, true}, // 务农: an occupation; whether it is 就业 not said
		{"务农", unknown, unknown, false, false, true},
		{"", unknown, unknown, unknown, unknown, unknown},
	}
	for _, tt := range tests {
		m := household.Member{ID: "M1", WorkCapacity: "full", Employment: &household.Employment{Status: tt.status}}
		s := Compute(&household.Household{Members: []household.Member{m}}, date("2025-06-30"), std)
		for _, c := range []struct {
			v    Value
			want any
		}{
			{s.Members[0].Get(MEmploymentStatus), tt.status2},
			{s.Members[0].Get(MEmployed), tt.employed},
			{s.Members[0].Get(MUnemployed), tt.unemployed},
			{s.Members[0].Get(MNoOccupation), tt.noOccupation},
			{s.Household.Get(HAnyAbleToWork), tt.ableToWork},
		} {
			if c.want == unknown {
				assert.Equal(t, []string{"members[0].employment.status"}, c.v.Missing, "%q", tt.status)
				continue
			}
			require.True(t, c.v.Known(), "%q: want %v", tt.status, c.want)
			assert.Equal(t, c.want, c.v.V.Value(), "%q", tt.status)
		}
	}
}

// TestStudent: the education stage says whether a member is at school; when
// it is not given, the occupation does for 学生 and 离退休, and any other
// status leaves the stage to be asked.
func TestStudent(t *testing.T) {
	tests := []struct {
		stage, status string
		want          any // true, false, or nil for unknown
	}{
		{"primary", "", true},
		{"none", "", false},
		{"none", "student", false}, // the stage, when given, decides
		{"", "student", true},
		{"", "学生", true},
		{"", "retired", false},
		{"", "离退休", false},
		{"", "employed", nil}, // may study part-time
		{"", "not_in_labour_force", nil},
		{"", "无业", nil},
		{"", "", nil},
	}
	for _, tt := range tests {
		m := household.Member{ID: "M1", Employment: &household.Employment{Status: tt.status}}
		if tt.stage != "" {
			m.Education = &household.Education{Stage: tt.stage}
		}
		s := Compute(&household.Household{Members: []household.Member{m}}, date("2025-06-30"), std)
		v := s.Members[0].Get(MStudent)
		if tt.want == nil {
			assert.Equal(t, []string{"members[0].education.stage"}, v.Missing, "%q/%q", tt.stage, tt.status)
			continue
		}
		require.True(t, v.Known(), "%q/%q", tt.stage, tt.status)
		assert.Equal(t, tt.want, v.V.Value(), "%q/%q", tt.stage, tt.status)
		if tt.stage == "" {
			assert.False(t, s.Members[0].Get(MEducationStage).Known(), "the stage itself is still to be asked")
		}
	}
}

func TestNonDisabledMemberHasKnownDisabilityFacts(t *testing.T) {
	h := &household.Household{Members: []household.Member{{ID: "M1", Disabled: bp(false)}, {ID: "M2"}}}
	s := Compute(h, date("2025-06-30"), std)
	assert.Equal(t, types.Int(0), s.Members[0].Get(MGrade).V)
	assert.Equal(t, types.False, s.Members[0].Get(MSevere).V)
	assert.Equal(t, []string{"members[1].disabled"}, s.Members[1].Get(MGrade).Missing)
	assert.False(t, s.Household.Get(HAnyDisabled).Known(), "one member unknown: any_disabled is open")
}

// TestEveryFactIsSet: whatever the record, every fact of every table is
// either known or names what is missing (or is deliberately empty, like the
// start month of a run that did not happen) — none is left over.
func TestEveryFactIsSet(t *testing.T) {
	records := []*household.Household{
		{Members: []household.Member{{ID: "M1"}}},
		{Residence: "rural", Members: []household.Member{member("M1", "100.00", "10.00"), {ID: "M2", Disabled: bp(true)}}},
	}
	for n, h := range records {
		s := Compute(h, date("2025-06-30"), std)
		for _, f := range All() {
			if f == HAboveSince {
				continue
			}
			if f.Scope == Household {
				v := s.Household.Get(f)
				assert.True(t, v.Known() || len(v.Missing) > 0, "record %d: %s is neither known nor missing", n, f.Name)
				continue
			}
			for i := range h.Members {
				v := s.Members[i].Get(f)
				assert.True(t, v.Known() || len(v.Missing) > 0, "record %d member %d: %s", n, i, f.Name)
			}
		}
	}
}
