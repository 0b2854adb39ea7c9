// Package facts derives, from a household record, the facts rules read:
// ages, per-capita income after exclusions and deductions, the 低保 standard
// that applies, how many months income has been above it, and so on.
//
// Each fact is a typed CEL variable (household.per_capita_income,
// member.grade, …). A fact the record cannot give is unknown, and carries the
// input fields whose absence made it so: those are what an intake worker must
// ask for. docs/facts.md documents every fact; a test keeps it in step.
package facts

// Kind is the type of a fact.
type Kind uint8

// The kinds of fact and their CEL types.
const (
	Bool       Kind = iota // bool
	Int                    // int
	Money                  // int, in fen
	String                 // string
	Date                   // google.protobuf.Timestamp, midnight UTC
	Rate                   // double
	StringList             // list(string)
)

// String names the kind.
func (k Kind) String() string {
	return [...]string{"bool", "int", "money", "string", "date", "rate", "list(string)"}[k]
}

// Scope says what a fact describes.
type Scope uint8

// The two scopes: the household as a whole, or one member.
const (
	Household Scope = iota
	Member
)

// String names the scope.
func (s Scope) String() string {
	if s == Member {
		return "member"
	}
	return "household"
}

// Fact describes one derived fact.
type Fact struct {
	Name   string   // CEL variable name, e.g. household.per_capita_income
	Kind   Kind     // value type
	Scope  Scope    // household or member
	Zh, En string   // labels for reasons and reports
	Unit   string   // display unit, e.g. 元/月, 岁, 个月
	Enum   []string // allowed values of a string fact
	Doc    string   // how it is derived
	index  int
}

// Index is the fact's position in its scope's table.
func (f *Fact) Index() int { return f.index }

var (
	householdFacts []*Fact
	memberFacts    []*Fact
	byName         = map[string]*Fact{}
)

func def(scope Scope, name string, kind Kind, zh, en, unit, doc string, enum ...string) *Fact {
	f := &Fact{Name: name, Kind: kind, Scope: scope, Zh: zh, En: en, Unit: unit, Doc: doc, Enum: enum}
	if scope == Household {
		f.index = len(householdFacts)
		householdFacts = append(householdFacts, f)
	} else {
		f.index = len(memberFacts)
		memberFacts = append(memberFacts, f)
	}
	byName[name] = f
	return f
}

// Household facts.
var (
	HSize                 = def(Household, "household.size", Int, "家庭人口", "household size", "人", "Number of members listed (共同生活的家庭成员).")
	HResidence            = def(Household, "household.residence", String, "户籍/居住类别", "residence", "", "urban or rural, from residence.", "urban", "rural")
	HRural                = def(Household, "household.rural", Bool, "农村家庭", "rural household", "", "residence is rural.")
	HStatusDibao          = def(Household, "household.status.dibao", Bool, "正在享受低保", "currently receives dibao", "", "status lists dibao (低保).")
	HStatusDibaoEdge      = def(Household, "household.status.dibao_edge", Bool, "低保边缘家庭（已认定）", "recognised dibao-edge family", "", "status lists dibao_edge (低保边缘).")
	HStatusTekun          = def(Household, "household.status.tekun", Bool, "特困供养家庭", "in 特困 support", "", "status lists tekun (特困供养).")
	HStatusLowIncome      = def(Household, "household.status.low_income", Bool, "低收入家庭（已认定）", "recognised low-income family", "", "status lists low_income (低收入).")
	HStatusPoverty        = def(Household, "household.status.poverty_alleviated", Bool, "脱贫户", "household lifted out of poverty", "", "status lists poverty_alleviated (脱贫户).")
	HStatusMonitored      = def(Household, "household.status.monitored", Bool, "防返贫监测户", "monitored for return to poverty", "", "status lists monitored (监测户).")
	HPropertyOK           = def(Household, "household.property_ok", Bool, "财产状况符合规定", "passes the property test", "", "property_test is pass.")
	HHardship             = def(Household, "household.hardship_assessed", Bool, "经评估生活仍有特殊困难", "assessed as still in special difficulty", "", "hardship_assessed.")
	HCountedIncome        = def(Household, "household.counted_income", Money, "家庭计入收入", "counted household income", "元/月", "Sum of the members' counted income (member.counted_income).")
	HPerCapitaIncome      = def(Household, "household.per_capita_income", Money, "家庭人均收入", "per-capita income", "元/月", "household.counted_income / household.size, rounded half up to the fen; when member incomes are unknown, the income_history entry for the evaluation month.")
	HDibaoStandard        = def(Household, "household.dibao_standard", Money, "当地低保标准", "local dibao standard", "元/月", "Parameter dibao_standard_urban or dibao_standard_rural by residence, in force on the evaluation date.")
	HDibaoEdgeLine        = def(Household, "household.dibao_edge_line", Money, "低保边缘线", "dibao-edge income line", "元/月", "household.dibao_standard × parameter dibao_edge_multiplier (1.5), rounded half up to the fen.")
	HAboveStandard        = def(Household, "household.above_standard", Bool, "人均收入超过当地低保标准", "per-capita income above the standard", "", "household.per_capita_income > household.dibao_standard (超过: strictly greater).")
	HMonthsAbove          = def(Household, "household.months_above_standard", Int, "人均收入连续超过低保标准的月数", "months in a row income has been above the standard", "个月", "Counting back from the evaluation month through income_history, the number of consecutive months whose per-capita income was above the standard in force that month; 0 when the evaluation month is not above. Unknown when the history does not reach a month at or below the standard, unless the count already exceeds phase_out_months.")
	HAboveSince           = def(Household, "household.above_standard_since", Date, "人均收入首次超过低保标准的月份", "first month above the standard", "", "First day of the first month of that run.")
	HAnyEmployed          = def(Household, "household.any_employed", Bool, "家庭中有人就业", "a member is employed", "", "Some member is employed or self-employed.")
	HAnyDisabledEmployed  = def(Household, "household.any_disabled_employed", Bool, "家庭中有残疾人就业", "a disabled member is employed", "", "Some disabled member is employed or self-employed.")
	HAnyDisabled          = def(Household, "household.any_disabled", Bool, "家庭中有残疾人", "a member is disabled", "", "Some member is disabled.")
	HAnySevere            = def(Household, "household.any_severe", Bool, "家庭中有重度残疾人", "a member is severely disabled", "", "Some member is disabled at grade 1 or 2.")
	HAnyUnableToEarn      = def(Household, "household.any_disabled_unable_to_earn", Bool, "家庭中有丧失劳动能力且无法通过产业就业获得稳定收入的残疾人", "a disabled member cannot work and cannot earn a stable income", "", "Some disabled member has work_capacity partial_loss or total_loss and stable_work_income false.")
	HAnyAbleToWork        = def(Household, "household.any_able_to_work", Bool, "家庭中有有劳动能力的成员", "a member is able to work", "", "Some member has work_capacity full or partial_loss and is not a student or retired.")
	HAnySevereLowerLimb   = def(Household, "household.any_severe_lower_limb", Bool, "家庭中有重度下肢残疾人", "a member has a severe lower-limb disability", "", "Some member is disabled at grade 1 or 2 with lower_limb.")
	HAnySevereVisual      = def(Household, "household.any_severe_visual", Bool, "家庭中有重度视力残疾人", "a member has a severe visual disability", "", "Some member is visually disabled at grade 1 or 2.")
	HHousingDilapidated   = def(Household, "household.housing.dilapidated", Bool, "住房为危房", "home is dilapidated", "", "housing.dilapidated.")
	HHousingSelfFund      = def(Household, "household.housing.can_self_fund", Bool, "有能力自筹建房资金", "can raise rebuilding funds", "", "housing.can_self_fund.")
	HHousingPublicRental  = def(Household, "household.housing.seeking_public_rental", Bool, "申请公租房", "applies for public rental housing", "", "housing.seeking_public_rental.")
	HHousingAccessibility = def(Household, "household.housing.needs_accessibility_renovation", Bool, "有家庭无障碍改造需求", "needs barrier-free home renovation", "", "housing.needs_accessibility_renovation.")
)

// Member facts.
var (
	MAge              = def(Member, "member.age", Int, "年龄（周岁）", "age in completed years", "岁", "Completed years on the evaluation date, from birth_date or, when absent, the birth date in citizen_id. Someone born on 29 February turns a year older on 1 March in other years. A record with neither may state the age (age: completed years on its as_of date, or on the evaluation date when it has none); on another evaluation date the age is known only if every birth date that fits the statement gives the same age then, and otherwise birth_date is missing.")
	MRelation         = def(Member, "member.relation", String, "与户主关系", "relation to the head", "", "relation.", "head", "spouse", "child", "parent", "grandparent", "grandchild", "sibling", "other")
	MDisabled         = def(Member, "member.disabled", Bool, "残疾人", "disabled person", "", "disabled, or true when a disability block is given.")
	MCategory         = def(Member, "member.category", String, "残疾类别", "disability category", "", "disability.category as a canonical code; \"\" when the member is not disabled.", "visual", "hearing", "speech", "physical", "intellectual", "mental", "multiple", "")
	MGrade            = def(Member, "member.grade", Int, "残疾等级", "disability grade", "级", "disability.grade (1–4); 0 when the member is not disabled, so guard with member.disabled.")
	MSevere           = def(Member, "member.severe", Bool, "重度残疾（一级、二级）", "severely disabled (grade 1 or 2)", "", "Disabled at grade 1 or 2 (重度残疾人).")
	MCertified        = def(Member, "member.certified", Bool, "持有有效的残疾人证", "holds a valid disability certificate", "", "disability.certificate_valid when given; otherwise true when a certificate number is given.")
	MLowerLimb        = def(Member, "member.lower_limb", Bool, "下肢残疾", "lower-limb disability", "", "disability.lower_limb; false when not disabled.")
	MAutism           = def(Member, "member.autism", Bool, "孤独症", "autism", "", "disability.autism.")
	MCareNeeded       = def(Member, "member.care_needed", Bool, "因残疾需要照护", "needs care because of disability", "", "care.needed; true when care.long_term is.")
	MCareMonths       = def(Member, "member.care_months", Int, "照护持续月数", "months of care", "个月", "care.months; 0 when care is not needed.")
	MLongTermCare     = def(Member, "member.long_term_care", Bool, "需要长期照护（持续6个月以上）", "needs long-term care (6 months or more)", "", "care.long_term when given (the office's finding); else care.needed and care.months ≥ parameter long_term_care_min_months (以上 includes the number: 民法典第一千二百五十九条). Open, it asks for care.long_term, the one question that settles it.")
	MEmploymentStatus = def(Member, "member.employment_status", String, "就业状态", "employment status", "", "employment.status; unknown for not_employed (无业), which does not say whether unemployed or outside the labour force, for flexible (灵活就业), which does not say whether employed or self-employed, and for farming (务农).", "employed", "self_employed", "unemployed", "not_in_labour_force", "student", "retired")
	MEmployed         = def(Member, "member.employed", Bool, "就业（含自主创业、灵活就业）", "employed or self-employed", "", "employment.status is employed, self_employed or flexible (灵活就业); false for not_employed (无业); unknown for farming (务农), which the texts do not say counts as 就业.")
	MUnemployed       = def(Member, "member.unemployed", Bool, "失业", "unemployed", "", "employment.status is unemployed; unknown for not_employed (无业); false for flexible (灵活就业) and farming (务农).")
	MNoOccupation     = def(Member, "member.no_occupation", Bool, "无业（不在业、不在学、未退休）", "without an occupation (not in work, not in school, not retired)", "", "employment.status is not_employed (无业), unemployed or not_in_labour_force; false for work, farming (务农), school (student) and retirement, which the household register writes as occupations of their own (务农, 学生, 离退休).")
	MSheltered        = def(Member, "member.sheltered_employment", Bool, "辅助性就业", "in assisted employment", "", "employment.sheltered.")
	MWages            = def(Member, "member.wages", Money, "工资性收入", "wages", "元/月", "income.wages.")
	MEmploymentCosts  = def(Member, "member.employment_costs", Money, "必要的就业成本", "necessary costs of working", "元/月", "employment.costs.")
	MCostDeduction    = def(Member, "member.employment_cost_deduction", Money, "扣减的就业成本", "employment costs deducted", "元/月", "min(employment costs, wages): the deduction cannot exceed the wages it is taken from; 0 when wages are 0.")
	MCountedIncome    = def(Member, "member.counted_income", Money, "本人计入收入", "counted income", "元/月", "wages − the employment-cost deduction + business + pension + other. The two subsidies and other social assistance are not counted.")
	MWorkCapacity     = def(Member, "member.work_capacity", String, "劳动能力", "capacity to work", "", "work_capacity.", "full", "partial_loss", "total_loss")
	MStableWorkIncome = def(Member, "member.stable_work_income", Bool, "能通过产业就业获得稳定收入", "can earn a stable income from work", "", "stable_work_income.")
	MOrphanGuarantee  = def(Member, "member.orphan_guarantee", Bool, "享受孤儿基本生活保障", "receives the orphans' guarantee", "", "orphan_guarantee.")
	MWorkInjuryCare   = def(Member, "member.work_injury_care", Bool, "领取工伤保险生活护理费", "receives the work-injury care allowance", "", "work_injury_care_allowance.")
	MOtherWelfare     = def(Member, "member.other_welfare_subsidy", Bool, "符合其他福利性生活、护理补贴条件", "qualifies for another welfare allowance", "", "other_welfare_subsidy.")
	MFamilySupport    = def(Member, "member.family_support", Bool, "靠家庭供养", "relies on family support", "", "family_support.")
	MTekun            = def(Member, "member.tekun", Bool, "纳入特困人员供养", "supported as 特困", "", "tekun when given; otherwise household.status.tekun.")
	MResidentPension  = def(Member, "member.resident_pension", Bool, "参加城乡居民基本养老保险", "enrolled in the residents' pension", "", "insurance.resident_pension.")
	MResidentMedical  = def(Member, "member.resident_medical", Bool, "参加城乡居民基本医疗保险", "enrolled in the residents' medical insurance", "", "insurance.resident_medical.")
	MStudent          = def(Member, "member.student", Bool, "在校学生（含幼儿）", "in education (including preschool)", "", "education.stage is known and not none; without the stage, true for employment.status student (学生) and false for retired (离退休).")
	MEducationStage   = def(Member, "member.education_stage", String, "在读学段", "education stage", "", "education.stage.", "none", "preschool", "primary", "junior_secondary", "senior_secondary", "secondary_vocational", "higher")
	MGraduatingYear   = def(Member, "member.graduating_year", Int, "毕业年份", "graduation year", "年", "education.graduating_year.")
	MGraduatingFrom   = def(Member, "member.graduating_from", String, "毕业院校类别", "graduating from", "", "education.graduating_from.", "higher", "secondary_vocational", "none")
	MFreshGraduate    = def(Member, "member.fresh_graduate", Bool, "应届毕业生", "graduating this year", "", "education.graduating_year equals the year of the evaluation date (毕业年度).")
	MInInternship     = def(Member, "member.in_internship", Bool, "参加就业见习", "in a job internship", "", "education.in_internship.")
	MEconomicHardship = def(Member, "member.economic_hardship", Bool, "家庭经济困难（学生资助认定）", "economically difficult family (student aid)", "", "education.economic_hardship.")
	MNeeds            = def(Member, "member.needs", StringList, "服务需求", "service needs", "", "needs, as a list of codes.", "day_care", "residential_care", "rehabilitation", "assistive_device", "vocational_training")
)

// All returns every fact, household facts first, each group in table order.
func All() []*Fact {
	out := append([]*Fact{}, householdFacts...)
	return append(out, memberFacts...)
}

// Lookup finds a fact by its CEL name.
func Lookup(name string) (*Fact, bool) {
	f, ok := byName[name]
	return f, ok
}

// ParamsOf lists the parameters a fact's derivation reads, for a household
// of the given residence ("urban", "rural" or "" when unknown).
func ParamsOf(name, residence string) []string {
	std := []string{"dibao_standard_urban", "dibao_standard_rural"}
	if residence != "" {
		std = []string{"dibao_standard_" + residence}
	}
	switch name {
	case HDibaoStandard.Name, HAboveStandard.Name:
		return std
	case HDibaoEdgeLine.Name:
		return append(std, "dibao_edge_multiplier")
	case HMonthsAbove.Name, HAboveSince.Name:
		return append(std, "phase_out_months")
	case MLongTermCare.Name:
		return []string{"long_term_care_min_months"}
	}
	return nil
}
