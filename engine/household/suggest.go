package household

// What an unknown field is told: the field it stands for, or nothing
// (suggestField; docs/errors/H002.md lists the order of the checks).

import (
	"reflect"
	"slices"
	"strings"

	"entitle/engine/internal/editdist"
)

// fieldAlias is a name people often write for a field the schema spells
// otherwise, with why, when the field is not a mere respelling.
type fieldAlias struct {
	field, en, zh string
}

// Aliases that stand for the same field for the same reason.
var (
	jurisdictionAlias = fieldAlias{"jurisdiction", `a GB/T 2260 code such as "141081", or the area's name such as "侯马市"`, `填写行政区划代码（例如 "141081"）或地区名称（例如 "侯马市"）`}
	sizeAlias         = fieldAlias{"members", "the household size is counted from members[]", "家庭人口按 members[] 计算"}
	wagesAlias        = fieldAlias{"income", "income.wages, a month's wages in yuan", "income.wages：月工资收入（元）"}
	pensionAlias      = fieldAlias{"insurance", "enrolment in the residents' pension goes inside it: insurance: {resident_pension: true}", "参加城乡居民养老保险写在其中：insurance: {resident_pension: true}"}
	incomeAlias       = fieldAlias{"members", "income is given for each member, members[].income: {wages, business, pension, other}, and the per-capita income computed from it; past months' per-capita income goes in income_history", "收入按成员填写：members[].income: {wages, business, pension, other}，人均收入由此计算；过去月份的人均收入写在 income_history"}
	medicalAlias      = fieldAlias{"insurance", "enrolment in the residents' medical insurance goes inside it: insurance: {resident_medical: true}", "参加城乡居民医疗保险写在其中：insurance: {resident_medical: true}"}
	statusAlias       = fieldAlias{"status", "the household's current benefits, e.g. status: [dibao]", "家庭正在享受的待遇，例如 status: [dibao]"}
	residenceAlias    = fieldAlias{"residence", "urban or rural", "城镇（urban）或农村（rural）"}
	careAlias         = fieldAlias{"care", "a long-term care need the office found is care: {long_term: true}; otherwise the need and how long it lasts, care: {needed: true, months: 12}", "经认定需要长期照护写作 care: {long_term: 是}；否则写是否需要照护及持续月数，care: {needed: 是, months: 12}"}
	certifiedAlias    = fieldAlias{"disability", "a valid certificate is written inside it: disability: {category: 肢体, grade: 1, certificate_valid: true}, or its number as certificate_no", "持有有效残疾人证写在其中：disability: {category: 肢体, grade: 1, certificate_valid: 是}，或填写证号 certificate_no"}
	severeAlias       = fieldAlias{"disability", "the grade says it: grade 1 or 2 is severe (重度), disability: {category: ..., grade: 1}", "由等级判断：一级、二级为重度，disability: {category: ..., grade: 1}"}
	unemployedAlias   = fieldAlias{"employment", "employment: {status: unemployed}", "employment: {status: 失业}"}
	employmentAlias   = fieldAlias{"employment", "the status goes inside it: employment: {status: employed}", "就业状况写在其中：employment: {status: 就业}"}
	studentAlias      = fieldAlias{"employment", "a student is employment: {status: student}, and the stage education: {stage: primary}", "学生写作 employment: {status: 学生}，学段写作 education: {stage: 小学}"}
	careReceivedAlias = fieldAlias{"income", "the care subsidy received is income.care_subsidy (yuan a month); the work-injury insurance's care allowance is work_injury_care_allowance: true", "领取的重度残疾人护理补贴写在 income.care_subsidy（元/月）；领取工伤保险生活护理费写 work_injury_care_allowance: 是"}
	hardshipAlias     = fieldAlias{"hardship_assessed", "whether the office has assessed the family as still in special difficulty: hardship_assessed: true", "是否经评估生活仍有特殊困难：hardship_assessed: 是"}
	propertyAlias     = fieldAlias{"property_test", "whether the family's property meets the local rules: property_test: pass or fail", "财产状况是否符合当地规定：property_test: 符合 或 不符合"}
)

// nestedAlias is the alias of a field nested one level down (education.stage
// for school_stage): the object to write, and how (yamlOf, as pathHint
// words it).
func nestedAlias(path string) fieldAlias {
	top, _, _ := strings.Cut(path, ".")
	return fieldAlias{top, "write it as " + yamlOf(path), "写作 " + yamlOf(path)}
}

// fieldAliases maps names that are not close in spelling to the field they
// stand for (a typo is caught by edit distance). An alias applies only where
// its field exists: salary inside members[], not at the top level.
var fieldAliases = map[string]fieldAlias{
	"dob":                       {field: "birth_date"},
	"birthday":                  {field: "birth_date"},
	"birth":                     {field: "birth_date"},
	"id_card":                   {field: "citizen_id"},
	"id_number":                 {field: "citizen_id"},
	"idcard":                    {field: "citizen_id"},
	"id_no":                     {field: "citizen_id"},
	"level":                     {field: "grade"},
	"disability_grade":          {field: "grade"},
	"disability_level":          {field: "grade"},
	"type":                      {field: "category"},
	"kind":                      {field: "category"},
	"disability_type":           {field: "category"},
	"certificate":               {field: "certificate_no"},
	"cert_no":                   {field: "certificate_no"},
	"orphan":                    {field: "orphan_guarantee"},
	"orphan_support":            {field: "orphan_guarantee"},
	"orphan_allowance":          {field: "orphan_guarantee"},
	"orphan_benefit":            {field: "orphan_guarantee"},
	"orphan_status":             {field: "orphan_guarantee"},
	"has_disability":            {field: "disabled"},
	"relationship":              {field: "relation"},
	"date_of_birth":             {field: "birth_date"},
	"identity_number":           {field: "citizen_id"},
	"id_card_no":                {field: "citizen_id"},
	"id_card_number":            {field: "citizen_id"},
	"household_id":              {field: "id"},
	"family_id":                 {field: "id"},
	"member_id":                 {field: "id"},
	"people":                    {field: "members"},
	"persons":                   {field: "members"},
	"date":                      {field: "as_of"},
	"eval_date":                 {field: "as_of"},
	"evaluation_date":           {field: "as_of"},
	"supported_by_family":       {field: "family_support"},
	"dependent":                 {field: "family_support"},
	"wubao":                     {field: "tekun"},
	"services":                  {field: "needs"},
	"service_needs":             {field: "needs"},
	"care_needs":                careAlias,
	"elderly_allowance":         {field: "other_welfare_subsidy"},
	"old_age_allowance":         {field: "other_welfare_subsidy"},
	"other_subsidy":             {field: "other_welfare_subsidy"},
	"graduation_year":           nestedAlias("education.graduating_year"),
	"in_school":                 studentAlias,
	"region_code":               jurisdictionAlias,
	"adcode":                    jurisdictionAlias,
	"low_income":                statusAlias,
	"dibao_edge":                statusAlias,
	"hardship_assessment":       hardshipAlias,
	"region":                    jurisdictionAlias,
	"county":                    jurisdictionAlias,
	"city":                      jurisdictionAlias,
	"area_code":                 jurisdictionAlias,
	"hukou":                     residenceAlias,
	"dibao":                     statusAlias,
	"in_dibao":                  statusAlias,
	"is_dibao":                  statusAlias,
	"dibao_status":              statusAlias,
	"低保":                        statusAlias,
	"低保户":                       statusAlias,
	"tekun":                     {"status", "status: [tekun] for a household in 特困 support, or tekun: true on each member who is", "全户特困供养写 status: [tekun]，成员本人纳入特困供养写在该成员中 tekun: 是"},
	"household_type":            residenceAlias,
	"urban_rural":               residenceAlias,
	"户籍":                        residenceAlias,
	"户口性质":                      residenceAlias,
	"hardship":                  hardshipAlias,
	"special_hardship":          hardshipAlias,
	"in_hardship":               hardshipAlias,
	"property":                  propertyAlias,
	"property_ok":               propertyAlias,
	"assets":                    propertyAlias,
	"needs_care":                careAlias,
	"care_needed":               careAlias,
	"long_term_care":            careAlias,
	"nursing":                   careAlias,
	"certified":                 certifiedAlias,
	"has_certificate":           certifiedAlias,
	"severe":                    severeAlias,
	"severely_disabled":         severeAlias,
	"unemployed":                unemployedAlias,
	"employment_status":         employmentAlias,
	"job":                       employmentAlias,
	"student":                   studentAlias,
	"work_injury":               {field: "work_injury_care_allowance"},
	"work_injury_care":          {field: "work_injury_care_allowance"},
	"injury_care":               {field: "work_injury_care_allowance"},
	"work_injury_allowance":     {field: "work_injury_care_allowance"},
	"care_allowance":            careReceivedAlias,
	"nursing_allowance":         careReceivedAlias,
	"school_stage":              nestedAlias("education.stage"),
	"public_rental":             nestedAlias("housing.seeking_public_rental"),
	"accessibility":             nestedAlias("housing.needs_accessibility_renovation"),
	"pension_enrolled":          pensionAlias,
	"resident_pension_enrolled": pensionAlias,
	"medical_enrolled":          medicalAlias,
	"resident_medical_enrolled": medicalAlias,
	"特困":                        {field: "tekun"},
	"特困人员":                      {field: "tekun"},
	"孤儿":                        {field: "orphan_guarantee"},
	"members_count":             sizeAlias,
	"household_size":            sizeAlias,
	"income":                    incomeAlias, // at the household's level
	"per_capita_income":         incomeAlias,
	"household_income":          incomeAlias,
	"total_income":              incomeAlias,
	"monthly_income":            {"income", "a month's income by kind: income: {wages, business, pension, other}", "按类别填写月收入：income: {wages, business, pension, other}"},
	"salary":                    wagesAlias,
	"wage":                      wagesAlias,
	"wages":                     wagesAlias,
	"employed":                  {"employment", "employment.status: employed", "employment.status: employed"},
	"grade":                     {"disability", "the grade goes inside it: disability: {category: ..., grade: 1}", "等级写在其中：disability: {category: ..., grade: 1}"},
	"category":                  {"disability", "the category goes inside it: disability: {category: intellectual, grade: ...}", "类别写在其中：disability: {category: intellectual, grade: ...}"},
	"certificate_no":            {"disability", "the certificate number goes inside it: disability: {certificate_no: ...}", "残疾人证号写在其中：disability: {certificate_no: ...}"},
	"certificate_valid":         {"disability", "it goes inside it, with the category and grade: disability: {category: 肢体, grade: 1, certificate_valid: true}", "写在其中，与类别、等级一起：disability: {category: 肢体, grade: 1, certificate_valid: 是}"},
	"lower_limb":                {"disability", "it goes inside it: disability: {category: 肢体, grade: ..., lower_limb: true}", "写在其中：disability: {category: 肢体, grade: ..., lower_limb: 是}"},
	"autism":                    {"disability", "it goes inside it: disability: {category: 精神, grade: ..., autism: true}", "写在其中：disability: {category: 精神, grade: ..., autism: 是}"},
	"pension":                   {"income", "a pension received goes in income.pension; enrolment in the residents' pension in insurance.resident_pension", "领取的养老金写在 income.pension；参加城乡居民养老保险写在 insurance.resident_pension"},
	"pension_insurance":         pensionAlias,
	"resident_pension":          pensionAlias,
	"medical_insurance":         medicalAlias,
	"resident_medical":          medicalAlias,
}

// suggestField finds the known field name closest to an unknown one at the
// given location of the record, for "did you mean" hints, and says why when
// the unknown name is an alias rather than a misspelling.
func suggestField(location []string, unknown string) (field, en, zh string) {
	t := reflect.TypeOf(Household{})
	for _, tok := range location {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return "", "", ""
		}
		if isIndex(tok) {
			continue
		}
		f, ok := fieldByJSON(t, tok)
		if !ok {
			return "", "", ""
		}
		t = f.Type
	}
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return "", "", ""
	}
	member := len(location) >= 2 && location[0] == "members" && isIndex(location[1])
	var inside []string
	for i, tok := range location {
		if !isIndex(tok) && !(member && i == 0) {
			inside = append(inside, tok)
		}
	}
	if field, en, zh, ok := zhKeyHint(unknown, member, strings.Join(inside, ".")); ok {
		return field, en, zh
	}
	lower := strings.ToLower(unknown)
	if notRead[lower] || notRead[unknown] {
		return "", notReadEn, notReadZh
	}
	// is_orphan and has_disability say yes or no to what the rest names.
	bare := strings.TrimPrefix(strings.TrimPrefix(lower, "is_"), "has_")
	for _, name := range []string{lower, bare} {
		if a, ok := fieldAliases[name]; ok {
			if _, ok := fieldByJSON(t, a.field); ok {
				return a.field, a.en, a.zh
			}
		}
	}
	if _, ok := fieldByJSON(t, bare); ok && bare != lower {
		return bare, "", ""
	}
	if field, en, zh, ok := nestedKeyHint(unknown, member, strings.Join(inside, ".")); ok {
		return field, en, zh
	}
	names := make([]string, t.NumField())
	for i := range names {
		names[i] = jsonName(t.Field(i))
	}
	if !isASCII(unknown) {
		return "", "", "" // spelling is no guide across scripts: 姓名 is not "id"
	}
	if field := fieldInWords(unknown, names); field != "" {
		return field, "", ""
	}
	// A typo is a few letters off; further than that, a guess misleads
	// more than it helps (blind is not id, orphan_support not
	// family_support).
	return editdist.Nearest(lower, names, min(3, len(unknown)/4+1)), "", ""
}

// fieldInWords finds the field whose name begins or ends the key, word for
// word, with more words beside it: relation_to_head, disabled_flag,
// full_name. A field of one short word (id) is too common a word to go by.
func fieldInWords(key string, fields []string) string {
	words := keyWords(key)
	best := ""
	for _, f := range fields {
		fw := keyWords(f)
		if len(f) < 4 || len(fw) >= len(words) || len(f) <= len(best) {
			continue
		}
		if slices.Equal(words[:len(fw)], fw) || slices.Equal(words[len(words)-len(fw):], fw) {
			best = f
		}
	}
	return best
}

// notRead are facts a case file or an export often holds that no rule
// reads: the record leaves them out, and their problem says so instead of
// guessing a field (gender is not needs).
var notRead = map[string]bool{
	"gender": true, "sex": true, "性别": true,
	"ethnicity": true, "nation": true, "nationality": true, "民族": true,
	"phone": true, "tel": true, "telephone": true, "mobile": true, "电话": true, "联系电话": true, "手机": true, "手机号": true,
	"address": true, "住址": true, "地址": true, "家庭住址": true, "户籍地址": true,
	"email": true, "notes": true, "note": true, "remark": true, "remarks": true, "comment": true, "备注": true,
}

const (
	notReadEn = "no rule reads it: leave it out; the record holds only the facts the rules read"
	notReadZh = "没有规则用到此项，请删去；记录只填规则用到的事实"
)

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func isIndex(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	return name
}

func fieldByJSON(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := 0; i < t.NumField(); i++ {
		if jsonName(t.Field(i)) == name {
			return t.Field(i), true
		}
	}
	return reflect.StructField{}, false
}
