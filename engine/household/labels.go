package household

import "maps"

// valueLabels are the display names of the record's enum codes, in Chinese
// and English, for people reading a result: a reason says 实际 非劳动力 rather
// than not_in_labour_force. The JSON result keeps the codes; these are for
// the text report and the caseworker's page. A code shared by two fields
// (higher, secondary_vocational and none: the education stage and the kind
// of school graduated from) has one name that reads right for both.
// TestEveryCodeHasALabel keeps the table in step with EnumFields.
var valueLabels = map[string][2]string{
	// residence, property_test
	"urban": {"城镇", "urban"}, "rural": {"农村", "rural"},
	"pass": {"符合", "passes"}, "fail": {"不符合", "fails"},
	// status[]
	"dibao": {"低保", "dibao"}, "dibao_edge": {"低保边缘", "dibao-edge"}, "tekun": {"特困供养", "特困 support"},
	"low_income": {"低收入", "low income"}, "poverty_alleviated": {"脱贫户", "lifted out of poverty"},
	"monitored": {"防返贫监测户", "monitored for return to poverty"},
	// members[].relation
	"head": {"户主", "head"}, "spouse": {"配偶", "spouse"}, "child": {"子女", "child"}, "parent": {"父母", "parent"},
	"grandparent": {"祖父母", "grandparent"}, "grandchild": {"孙子女", "grandchild"}, "sibling": {"兄弟姐妹", "sibling"},
	"other": {"其他亲属", "other relative"},
	// members[].employment.status
	"employed": {"就业", "employed"}, "self_employed": {"自主创业", "self-employed"}, "unemployed": {"失业", "unemployed"},
	"not_in_labour_force": {"非劳动力", "not in the labour force"}, "student": {"在校学生", "student"},
	"retired": {"退休", "retired"}, "not_employed": {"无业", "not in work"}, "flexible": {"灵活就业", "flexible work"},
	"farming": {"务农", "farming"},
	// members[].work_capacity
	"full": {"有劳动能力", "able to work"}, "partial_loss": {"部分丧失劳动能力", "partly unable to work"},
	"total_loss": {"完全丧失劳动能力", "unable to work"},
	// members[].education.stage and .graduating_from
	"none": {"无", "none"}, "preschool": {"学前教育", "preschool"}, "primary": {"小学", "primary school"},
	"junior_secondary": {"初中", "junior secondary school"}, "senior_secondary": {"高中", "senior secondary school"},
	"secondary_vocational": {"中等职业教育", "secondary vocational school"}, "higher": {"高等教育", "higher education"},
	// members[].needs[]
	"day_care": {"日间照料", "day care"}, "residential_care": {"寄宿托养", "residential care"},
	"rehabilitation": {"康复", "rehabilitation"}, "assistive_device": {"辅助器具", "assistive device"},
	"vocational_training": {"职业培训", "vocational training"},
}

func init() {
	for _, c := range Categories {
		valueLabels[c.Code] = [2]string{c.Zh, c.Code}
	}
}

// ValueLabel is the display name of an enum code of the record in lang
// ("zh" or "en"): 非劳动力 for not_in_labour_force. ok is false for a string
// that is no code, which the caller shows as it is.
func ValueLabel(code, lang string) (label string, ok bool) {
	l, ok := valueLabels[code]
	if !ok {
		return "", false
	}
	if lang == "en" {
		return l[1], true
	}
	return l[0], true
}

// ValueLabels is every code's display names, code → [Chinese, English], for
// a client that shows results (the caseworker's page). The map is a copy.
func ValueLabels() map[string][2]string {
	return maps.Clone(valueLabels)
}
