package engine

import (
	"strconv"
	"strings"
	"time"

	"entitle/engine/household"
	"entitle/engine/rulepack"
)

// fieldLabels names the input fields an intake worker may be asked for.
var fieldLabels = map[string]rulepack.Text{
	"residence":                              {Zh: "城镇或农村家庭", En: "urban or rural residence"},
	"status":                                 {Zh: "当前享受的救助（低保、低保边缘、特困、低收入、脱贫户、监测户）", En: "assistance currently received (dibao, dibao edge, tekun, low income, poverty alleviated, monitored)"},
	"property_test":                          {Zh: "财产状况核查结果", En: "outcome of the property test"},
	"hardship_assessed":                      {Zh: "是否经评估生活仍有特殊困难", En: "whether assessed as still in special difficulty"},
	"housing.dilapidated":                    {Zh: "住房是否为危房", En: "whether the home is dilapidated"},
	"housing.can_self_fund":                  {Zh: "是否有能力自筹建房资金", En: "whether the family can raise rebuilding funds"},
	"housing.seeking_public_rental":          {Zh: "是否申请公租房", En: "whether applying for public rental housing"},
	"housing.needs_accessibility_renovation": {Zh: "是否有家庭无障碍改造需求", En: "whether the home needs barrier-free renovation"},
	"birth_date":                             {Zh: "出生日期", En: "birth date"},
	"age":                                    {Zh: "年龄（周岁）", En: "age (completed years)"},
	"relation":                               {Zh: "与户主关系", En: "relation to the head of household"},
	"disabled":                               {Zh: "是否残疾人", En: "whether disabled"},
	"disability.category":                    {Zh: "残疾类别", En: "disability category"},
	"disability.grade":                       {Zh: "残疾等级", En: "disability grade"},
	"disability.certificate_no":              {Zh: "残疾人证号（或证件是否有效）", En: "disability certificate number (or whether it is valid)"},
	"disability.lower_limb":                  {Zh: "是否下肢残疾", En: "whether the disability is of the lower limbs"},
	"disability.autism":                      {Zh: "是否孤独症", En: "whether autistic"},
	"care.needed":                            {Zh: "是否因残疾需要照护", En: "whether care is needed because of disability"},
	"care.long_term":                         {Zh: "是否需要长期照护（6个月以上）", En: "whether long-term care is needed (6 months or more)"},
	"care.months":                            {Zh: "照护持续月数", En: "months the care need lasts"},
	"employment.status":                      {Zh: "就业状态", En: "employment status"},
	"employment.costs":                       {Zh: "必要的就业成本（元/月）", En: "necessary costs of working (yuan a month)"},
	"employment.sheltered":                   {Zh: "是否辅助性就业", En: "whether in assisted employment"},
	"income.wages":                           {Zh: "工资性收入（元/月）", En: "wages (yuan a month)"},
	"income.business":                        {Zh: "经营净收入（元/月）", En: "net business income (yuan a month)"},
	"income.pension":                         {Zh: "养老金（元/月）", En: "pension (yuan a month)"},
	"income.other":                           {Zh: "其他收入（元/月）", En: "other income (yuan a month)"},
	"work_capacity":                          {Zh: "劳动能力", En: "capacity to work"},
	"stable_work_income":                     {Zh: "能否通过产业就业获得稳定收入", En: "whether a stable income can be earned from work"},
	"orphan_guarantee":                       {Zh: "是否享受孤儿基本生活保障", En: "whether receiving the orphans' guarantee"},
	"work_injury_care_allowance":             {Zh: "是否领取工伤保险生活护理费", En: "whether receiving the work-injury care allowance"},
	"other_welfare_subsidy":                  {Zh: "是否符合老年、因公致残、离休等其他福利性补贴条件", En: "whether qualifying for another welfare allowance (old age, disabled on duty, retired cadres)"},
	"family_support":                         {Zh: "是否靠家庭供养", En: "whether relying on family support"},
	"tekun":                                  {Zh: "是否纳入特困人员供养", En: "whether supported as 特困"},
	"insurance.resident_pension":             {Zh: "是否参加城乡居民基本养老保险", En: "whether enrolled in the residents' pension"},
	"insurance.resident_medical":             {Zh: "是否参加城乡居民基本医疗保险", En: "whether enrolled in the residents' medical insurance"},
	"education.stage":                        {Zh: "在读学段", En: "education stage"},
	"education.graduating_year":              {Zh: "毕业年份", En: "year of graduation"},
	"education.graduating_from":              {Zh: "毕业院校类别（高校或中职）", En: "graduating from higher or secondary vocational education"},
	"education.in_internship":                {Zh: "是否参加就业见习", En: "whether in a job internship"},
	"education.economic_hardship":            {Zh: "家庭是否经认定经济困难（学生资助）", En: "whether the family is assessed as economically difficult (student aid)"},
	"needs":                                  {Zh: "服务需求", En: "service needs"},
}

// missing turns input field paths into labelled missing facts, in order.
func (ev *evaluator) missing(fields []string) []Missing {
	out := make([]Missing, 0, len(fields))
	for _, f := range uniqueSorted(fields) {
		if ev.lean {
			out = append(out, Missing{Field: f})
			continue
		}
		m, ok := ev.labels[f]
		if !ok {
			m = ev.labelField(f)
			ev.labels[f] = m
		}
		out = append(out, m)
	}
	return out
}

func (ev *evaluator) labelField(f string) Missing {
	// Labels are joined with + rather than fmt: a household with open
	// questions labels a dozen fields, and fmt's boxing showed in profiles.
	m := Missing{Field: f}
	switch {
	case strings.HasPrefix(f, "parameter:"):
		name := strings.TrimPrefix(f, "parameter:")
		m.Label = rulepack.Text{Zh: "规则包缺少参数 " + name + " 在 " + ev.jur + " 的取值（请联系规则包维护人员）",
			En: "the rule pack has no value of parameter " + name + " for " + ev.jur + " (ask the pack's maintainers)"}
		return m
	case strings.HasPrefix(f, "benefit:"):
		if l, ok := ev.undecidedLabel(strings.TrimPrefix(f, "benefit:")); ok {
			m.Label = l
			return m
		}
	case strings.HasPrefix(f, "definition:"):
		name := strings.TrimPrefix(f, "definition:")
		m.Label = rulepack.Text{Zh: "规则包缺少定义 " + name + " 在 " + ev.jur + " 的取值",
			En: "the rule pack has no meaning of definition " + name + " for " + ev.jur}
		return m
	case strings.HasPrefix(f, "income_history["):
		if l, ok := incomeMonthLabel(f); ok {
			m.Label = l
			return m
		}
	case strings.HasPrefix(f, "members["):
		end := strings.Index(f, "]")
		i, err := strconv.Atoi(f[len("members["):end])
		rest := strings.TrimPrefix(f[end+1:], ".")
		if err == nil && i < len(ev.h.Members) {
			mem := ev.h.Members[i]
			m.Member = mem.ID
			l := labelOf(rest)
			if rest == "employment.status" && mem.Employment != nil {
				// The record says 无业 or 灵活就业; what is asked is which kind.
				switch household.NormalizeEmployment(mem.Employment.Status) {
				case "not_employed":
					l = rulepack.Text{Zh: "就业状态：记录为无业，是失业还是不在劳动力范围",
						En: "employment status: recorded as 无业 (not in work); unemployed, or outside the labour force"}
				case "farming":
					l = rulepack.Text{Zh: "就业状态：记录为务农，此处是否按就业认定",
						En: "employment status: recorded as 务农 (farming); whether it counts as work here"}
				case "flexible":
					l = rulepack.Text{Zh: "就业状态：记录为灵活就业，是受雇就业还是自主创业",
						En: "employment status: recorded as 灵活就业 (flexible work); employed, or self-employed"}
				}
			}
			// The member as the report's derived facts name them: 成员 M3（王芳）, member M3 (王芳).
			if mem.Name != "" {
				m.Label.Zh = "成员 " + mem.ID + "（" + mem.Name + "）：" + l.Zh
				m.Label.En = "member " + mem.ID + " (" + mem.Name + "): " + l.En
			} else {
				m.Label.Zh = "成员 " + mem.ID + "：" + l.Zh
				m.Label.En = "member " + mem.ID + ": " + l.En
			}
			return m
		}
	}
	m.Label = labelOf(f)
	return m
}

func labelOf(f string) rulepack.Text {
	if l, ok := fieldLabels[f]; ok {
		return l
	}
	return rulepack.Text{Zh: f, En: f}
}

// recordLabels name the record's fields that fieldLabels, the facts a
// caseworker may be asked for, leave out, by path with [] for any element of
// a list. With fieldLabels they name every field of the household schema
// (TestFieldLabelsCoverTheSchema), for messages about a record's problems.
var recordLabels = map[string]rulepack.Text{
	"$schema":                                {Zh: "记录格式（$schema）", En: "the record's schema ($schema)"},
	"schema_version":                         {Zh: "记录格式版本", En: "record format version"},
	"id":                                     {Zh: "户编号", En: "household id"},
	"jurisdiction":                           {Zh: "行政区划（代码或名称）", En: "jurisdiction (code or name)"},
	"as_of":                                  {Zh: "评估日期", En: "evaluation date"},
	"housing":                                {Zh: "住房情况", En: "housing"},
	"income_history":                         {Zh: "收入历史", En: "income history"},
	"income_history[]":                       {Zh: "收入历史中的一项", En: "an income history entry"},
	"income_history[].month":                 {Zh: "收入历史：月份", En: "income history: month"},
	"income_history[].per_capita_income":     {Zh: "收入历史：家庭人均收入（元/月）", En: "income history: per-capita income (yuan a month)"},
	"members":                                {Zh: "家庭成员", En: "members"},
	"members[].id":                           {Zh: "成员编号", En: "member id"},
	"members[].name":                         {Zh: "姓名", En: "name"},
	"members[].citizen_id":                   {Zh: "公民身份号码", En: "citizen ID"},
	"members[].disability":                   {Zh: "残疾情况", En: "disability"},
	"members[].disability.certificate_valid": {Zh: "残疾人证是否在有效期内", En: "whether the disability certificate is valid"},
	"members[].care":                         {Zh: "照护情况", En: "care"},
	"members[].income":                       {Zh: "收入", En: "income"},
	"members[].income.living_allowance":      {Zh: "已领取的困难残疾人生活补贴（元/月）", En: "living allowance received (yuan a month)"},
	"members[].income.care_subsidy":          {Zh: "已领取的重度残疾人护理补贴（元/月）", En: "care subsidy received (yuan a month)"},
	"members[].income.other_assistance":      {Zh: "其他社会救助款物（元/月）", En: "other social assistance (yuan a month)"},
	"members[].employment":                   {Zh: "就业情况", En: "employment"},
	"members[].insurance":                    {Zh: "参保情况", En: "insurance"},
	"members[].education":                    {Zh: "教育情况", En: "education"},
	"members[].needs[]":                      {Zh: "服务需求中的一项", En: "a service need"},
	"status[]":                               {Zh: "救助状态中的一项", En: "an assistance status"},
}

// FieldLabel names a field of a household record, as error messages give
// it ("members[0].care.needed"), in words a caseworker knows: "第 1 位成员：
// 是否因残疾需要照护". It reports false for a path the record does not have.
func FieldLabel(path string) (rulepack.Text, bool) {
	if l, ok := incomeMonthLabel(path); ok {
		return l, true
	}
	generic, member := genericPath(path)
	if l, ok := recordLabels[generic]; ok {
		return withMember(l, member), true
	}
	if member >= 0 {
		rest := strings.TrimPrefix(strings.TrimPrefix(generic, "members[]"), ".")
		if rest == "" {
			n := strconv.Itoa(member + 1)
			return rulepack.Text{Zh: "第 " + n + " 位成员", En: "member " + n}, true
		}
		if l, ok := fieldLabels[rest]; ok {
			return withMember(l, member), true
		}
		return rulepack.Text{}, false
	}
	l, ok := fieldLabels[generic]
	return l, ok
}

// genericPath writes each list index of a path as [] and returns the index
// of the member the path is in (-1 if none). A path whose brackets do not
// hold an index is returned as it is, and matches no label.
func genericPath(path string) (string, int) {
	member := -1
	var b strings.Builder
	for {
		open := strings.IndexByte(path, '[')
		if open < 0 {
			b.WriteString(path)
			return b.String(), member
		}
		end := strings.IndexByte(path[open:], ']')
		if end < 0 {
			b.WriteString(path)
			return b.String(), member
		}
		i, err := strconv.Atoi(path[open+1 : open+end])
		if err != nil || i < 0 {
			b.WriteString(path) // not an index: no such field
			return b.String(), member
		}
		if b.Len() == 0 && path[:open] == "members" {
			member = i
		}
		b.WriteString(path[:open])
		b.WriteString("[]")
		path = path[open+end+1:]
	}
}

// withMember prefixes a member's field label with the member's place.
func withMember(l rulepack.Text, member int) rulepack.Text {
	if member < 0 {
		return l
	}
	n := strconv.Itoa(member + 1)
	return rulepack.Text{Zh: "第 " + n + " 位成员：" + l.Zh, En: "member " + n + ": " + l.En}
}

// Describe gives a record's problem (or warning) its code's meaning and the
// field's label, in Chinese and English, as results, the API's problems and
// entitle check show them; the label is nil when the field is not one of the
// record's.
func Describe(code household.Code, field string) (meaning rulepack.Text, label *rulepack.Text) {
	meaning.Zh, meaning.En = code.Summary()
	if l, ok := FieldLabel(field); ok {
		label = &l
	}
	return meaning, label
}

// ProblemWords names a problem of a record in words: the field's label and
// what the problem's code means, "第 1 位成员：残疾等级 —— 残疾等级不是一至四级";
// the meaning alone when the field has no label.
func ProblemWords(field string, meaning rulepack.Text) rulepack.Text {
	if l, ok := FieldLabel(field); ok {
		return rulepack.Text{Zh: l.Zh + " —— " + meaning.Zh, En: l.En + ": " + meaning.En}
	}
	return meaning
}

// incomeMonthLabel names a month missing from the income history, as a
// result lists it: income_history[2025-03].
func incomeMonthLabel(path string) (rulepack.Text, bool) {
	month, ok := strings.CutPrefix(path, "income_history[")
	if !ok || !strings.HasSuffix(month, "]") {
		return rulepack.Text{}, false
	}
	month = strings.TrimSuffix(month, "]")
	if _, err := time.Parse("2006-01", month); err != nil {
		return rulepack.Text{}, false
	}
	return rulepack.Text{Zh: month + " 的家庭人均收入（收入历史）", En: "per-capita income of " + month + " (income history)"}, true
}
