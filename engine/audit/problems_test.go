package audit_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"entitle/engine/audit"
	"entitle/engine/household"
	"entitle/engine/internal/testengine"
)

// wantProblem is a problem a roll must be reported with: its code, where,
// and part of its message in English and in Chinese.
type wantProblem struct {
	code, field, en, zh string
}

// TestRollProblems: each thing that can be wrong with a roll's entry (a
// payment, a line, a row or cell of a table) is reported as a problem of an
// invalid_record finding, with its code and field and its message in
// English and in Chinese, and the roll's other entries are still audited.
func TestRollProblems(t *testing.T) {
	eng := testengine.Engine(t)
	h := `{"id":"H%s","jurisdiction":"141081","members":[{"id":"M1","disability":{"category":"physical","grade":1}}]}`
	line := func(n, payments string) string {
		return `{"household":` + strings.Replace(h, "%s", n, 1) + `,"payments":[` + payments + `]}`
	}
	jsonl := []struct {
		line string
		want wantProblem
	}{
		{line("1", `{"member":"M1","start":"2025-01","monthly":"10.00"}`), wantProblem{"A101", "payments[0].benefit", "benefit code missing", "缺少待遇代码"}},
		{line("2", `{"benefit":"pension","member":"M1","start":"2025-01","monthly":"10.00"}`), wantProblem{"A101", "payments[0].benefit", `unknown benefit code "pension"`, `未知的待遇代码 "pension"`}},
		{line("3", `{"benefit":"care_subsidy","start":"2025-01","monthly":"10.00"}`), wantProblem{"A102", "payments[0].member", "is paid to a member", "care_subsidy 发给个人：须填写发给哪位成员"}},
		{line("4", `{"benefit":"care_subsidy","member":"M9","start":"2025-01","monthly":"10.00"}`), wantProblem{"A102", "payments[0].member", `no member "M9" in household H4`, `户 H4 中没有成员 "M9"`}},
		{line("5", `{"benefit":"care_subsidy","member":"M1","monthly":"10.00"}`), wantProblem{"A103", "payments[0].start", "start month missing", "缺少起始月份"}},
		{line("6", `{"benefit":"care_subsidy","member":"M1","start":"2025-03","end":"2025-01","monthly":"10.00"}`), wantProblem{"A103", "payments[0].end", "ends (2025-01) before it starts (2025-03)", "截止月份（2025-01）早于起始月份（2025-03）"}},
		{line("7", `{"benefit":"care_subsidy","member":"M1","start":"2025-01"}`), wantProblem{"A104", "payments[0].monthly", "monthly amount missing", "缺少月发放金额"}},
		{line("8", `{"benefit":"care_subsidy","member":"M1","start":"2025-01","monthly":"-1.00"}`), wantProblem{"A104", "payments[0].monthly", "a negative amount", "金额为负数"}},
		{`{"payments":[]}`, wantProblem{"H004", "household", "the entry has no household", "这一条没有 household"}},
		{`{"household":`, wantProblem{"H001", "", "not valid JSON", "不是有效的 JSON"}},
		{`{"household":{"id":"H11","jurisdiction":"141081","members":[{"id":"M1","disabled":"也许"}]},"payments":[{"benefit":"care_subsidy","member":"M1","start":"2025-01","monthly":"10.00"}]}`, wantProblem{"H003", "household.members[0].disabled", "must be true or false", `应为是或否（true 或 false）；填写的是 "也许"`}},
		{`{"household":{"id":"H12","jurisdiction":"141081","members":[{"id":"M1"}]},"payments":{}}`, wantProblem{"H003", "", "an array is expected", "值的类型或形式不对（offset 85: an array is expected）"}},
		{`{"household":"` + strings.Repeat("x", household.MaxRecordBytes) + `"}`, wantProblem{"H023", "", "the line has more than", "这一行超过了一条记录的上限"}},
		// A name saved in GBK (张三): refused where it is, not read as "���"
		// (regression: the fast decoder replaced the bytes and went on).
		{"{\"household\":{\"id\":\"H14\",\"jurisdiction\":\"141081\",\"members\":[{\"id\":\"M1\",\"name\":\"\xd5\xc5\xc8\xfd\"}]},\"payments\":[" +
			`{"benefit":"care_subsidy","member":"M1","start":"2025-01","monthly":"10.00"}]}`,
			wantProblem{"H001", "", `column 80: the text after “…d":"M1","name":"” is not UTF-8`, `第 80 列：“…d":"M1","name":"”之后的文字不是 UTF-8 编码`}},
	}
	var roll strings.Builder
	for _, c := range jsonl {
		roll.WriteString(c.line + "\n")
	}
	roll.WriteString(line("15", "") + "\n") // in order: audited, no problem
	path := filepath.Join(t.TempDir(), "roll.jsonl")
	require.NoError(t, os.WriteFile(path, []byte(roll.String()), 0o644))
	r, err := audit.OpenJSONL(path)
	require.NoError(t, err)
	defer r.Close()
	c := runAudit(t, eng, r, 2)
	assert.Equal(t, len(jsonl)+1, c.report.Reconciliation.Records, "no entry is dropped")
	for i, tt := range jsonl {
		assertProblem(t, c, i+1, tt.want)
	}
	assertValid(t, c, len(jsonl)+1)
	assertEveryProblemInChinese(t, c)
	// A line that does not decode still names its household and counts its
	// members and payments (regression: they were left out, so the
	// reconciliation balanced without them).
	jrec := c.report.Reconciliation
	assert.Equal(t, 10, jrec.Payments, "one payment in each of lines 1 to 8, H11's and H14's")
	assert.Equal(t, 10, jrec.PaymentsInInvalid)
	assert.Equal(t, 1, jrec.Members, "H15's")
	assert.Equal(t, 11, jrec.MembersInInvalid, "one in each of lines 1 to 8, H11's, H12's and H14's")
	assert.True(t, jrec.Balanced)
	for _, f := range c.findings {
		if f.Class == audit.InvalidRecord && (f.Record == 11 || f.Record == 14) {
			assert.Equal(t, fmt.Sprintf("H%d", f.Record), f.Household, "the household of line %d", f.Record)
		}
	}

	// A roll as three tables.
	dir := t.TempDir()
	write := func(name, text string) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644))
	}
	write("households.csv", "户编号,行政区划代码,月人均收入记录\n"+
		"H1,141081,\n"+ // a member row beyond the header
		"H2,141081,\n"+ // a bad yes-or-no cell
		"H3,141081,\n"+ // a bad whole number
		"H4,141081,2025-01=700\n"+ // a bad income history
		"H5,141081,\n"+ // bad payment cells
		"H6,141081,\n"+ // no member rows
		"H7,141081,\n"+ // fine
		"H10,141081,\n"+ // what the schema allows and the engine's checks refuse
		"H11,141081,\n") // a cell in GBK
	write("members.csv", "户编号,成员编号,是否残疾,照护月数\n"+
		"H1,M1,是,,extra\n"+
		"H2,M1,也许,\n"+
		"H3,M1,是,三\n"+
		"H4,M1,是,\n"+
		"H5,M1,是,\n"+
		"H7,M1,否,６\n"+ // months typed in full width: 6
		"H10,M1,否,\n"+
		"H10,M1,是,\n"+ // the same member id twice
		"H11,M1,\xca\xc7,\n"+ // 是 in GBK, in a file read as UTF-8
		"H9,M1,是,\n") // no such household
	write("payments.csv", "户编号,成员编号,待遇代码,月发放金额,起始月份\n"+
		"H5,M1,care_subsidy,十元,2025-01\n"+
		"H5,M1,care_subsidy,10.00,2025年13月\n"+
		"H5,M1,care_subsidy,10.00,2025-01,x\n"+
		"H7,M1,care_subsidy,１０．００,２０２５－０１\n"+ // typed in full width: read as 10.00 and 2025-01
		"H8,M1,care_subsidy,10.00,2025-01\n") // no such household
	tr, err := audit.OpenCSV(dir)
	require.NoError(t, err)
	defer tr.Close()
	c = runAudit(t, eng, tr, 2)
	for _, tt := range []struct {
		record int
		want   wantProblem
	}{
		{1, wantProblem{"H002", "", "cell 5 is beyond the header's 4 columns", "第 5 格超出了表头的 4 列"}},
		{2, wantProblem{"H003", "disabled", `"也许" is not yes or no`, `"也许" 不是是或否`}},
		{3, wantProblem{"H003", "care.months", `"三" is not a whole number`, `"三" 不是整数`}},
		{4, wantProblem{"H003", "income_history", "is not month:amount", "不是“月份:金额”"}},
		{5, wantProblem{"H019", "monthly", "not an amount of yuan", "不是有效的金额"}},
		{5, wantProblem{"H018", "start", "is not a month", "不是有效月份"}},
		{5, wantProblem{"H002", "", "cell 6 is beyond the header's 5 columns", "第 6 格超出了表头的 5 列"}},
		{6, wantProblem{"A105", "", `no rows in members.csv for household "H6"`, `members.csv 中没有户 "H6" 的行`}},
		{8, wantProblem{"H016", "id", `member id "M1" is already used`, `成员编号 "M1" 已被`}},
		{9, wantProblem{"H001", "disabled", "cell 3: not UTF-8 text (the file is read as UTF-8 because its start is", "第 3 格：不是 UTF-8 编码的文字（文件开头是 UTF-8"}},
		{10, wantProblem{"A106", "", `1 row(s) for household "H9" match no household`, `户 "H9" 的 1 行在 households.csv 中找不到对应的户`}},
		{11, wantProblem{"A106", "", `1 row(s) for household "H8" match no household`, `户 "H8" 的 1 行在 households.csv 中找不到对应的户`}},
	} {
		assertProblem(t, c, tt.record, tt.want)
	}
	assertValid(t, c, 7)
	assertEveryProblemInChinese(t, c)
	// A problem the engine's checks find (not the schema's) is placed at
	// its row too: H10's second M1 is line 9 of members.csv.
	for _, f := range c.findings {
		if f.Class == audit.InvalidRecord && f.Record == 8 {
			require.Len(t, f.Problems, 1)
			assert.Equal(t, "members.csv:9", f.Problems[0].Ref)
			assert.Equal(t, "member_id", f.Problems[0].Field, "the column it is in")
		}
	}
	rec := c.report.Reconciliation
	assert.Equal(t, 11, rec.Records, "nine households and the rows of two that are not there")
	assert.Empty(t, rec.Encodings, "every file read as UTF-8")
	// H5's three payment rows and H8's one are payments in invalid records,
	// so that every payment row is accounted for; H7's is checked.
	assert.Equal(t, 5, rec.Payments)
	assert.Equal(t, 4, rec.PaymentsInInvalid)
	assert.Equal(t, 1, rec.PaymentsChecked, "H7's, its amount and month typed in full width")
	assert.Equal(t, 5, rec.PaymentRows)
	// Likewise every member row: H7's is a member of a record evaluated;
	// the other nine (H1 to H5, H10's two, H11's, H9's) are in invalid
	// records.
	assert.Equal(t, 10, rec.MemberRows)
	assert.Equal(t, 1, rec.Members)
	assert.Equal(t, 9, rec.MembersInInvalid)
	assert.True(t, rec.Balanced)
}

// TestRollMemberWithoutDisability: a member row whose 残疾类别 or 残疾等级
// says none (无, 否, 非残疾人), as exports write it for a family member
// without a disability, is read as not disabled, not refused as an unknown
// category; beside 是否残疾 是, or beside another disability cell, it is a
// contradiction (H021).
func TestRollMemberWithoutDisability(t *testing.T) {
	eng := testengine.Engine(t)
	dir := t.TempDir()
	write := func(name, text string) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644))
	}
	write("households.csv", "户编号,行政区划代码\nH1,141081\nH2,141081\nH3,141081\nH4,141081\n")
	write("members.csv", "户编号,成员编号,是否残疾,残疾类别,残疾等级\n"+
		"H1,M1,,无,无\n"+ // none in both cells, 是否残疾 left empty
		"H1,M2,是,肢体,二级\n"+
		"H2,M1,否,非残疾人,\n"+ // none beside 否
		"H3,M1,是,无,\n"+ // none beside 是
		"H4,M1,,否,2\n") // none beside a grade
	write("payments.csv", "户编号,成员编号,待遇代码,月发放金额,起始月份\n"+
		"H1,M1,care_subsidy,100.00,2025-01\n")
	tr, err := audit.OpenCSV(dir)
	require.NoError(t, err)
	defer tr.Close()
	c := runAudit(t, eng, tr, 2)
	assertValid(t, c, 1)
	assertValid(t, c, 2)
	assertProblem(t, c, 3, wantProblem{"H021", "disability", `disability says the member has none ("无") but disabled is true`, "是否残疾人却填的是“是”"})
	assertProblem(t, c, 4, wantProblem{"H021", "disability", `says none ("否"), but the row gives other disability facts`, "但这一行又填写了其他残疾信息"})
	assertEveryProblemInChinese(t, c)
	var classes []string
	for _, f := range c.findings {
		if f.Record == 1 {
			classes = append(classes, string(f.Class)+" "+f.Member)
		}
	}
	assert.Equal(t, []string{"paid_not_entitled M1"}, classes,
		"H1's M1 is not disabled, so the care subsidy paid to her is not due (were she unknown, it would be undetermined)")
}

// assertProblem finds the problem among the invalid_record findings of a
// record.
func assertProblem(t *testing.T, c *collect, record int, want wantProblem) {
	t.Helper()
	var seen []string
	for _, f := range c.findings {
		if f.Class != audit.InvalidRecord || f.Record != record {
			continue
		}
		for _, p := range f.Problems {
			if p.Code == want.code && strings.HasSuffix(p.Field, want.field) && strings.Contains(p.Msg, want.en) && strings.Contains(p.Zh, want.zh) {
				return
			}
			seen = append(seen, p.In("en")+" | "+p.In("zh"))
		}
	}
	t.Errorf("record %d: no problem %s %s …%s… / …%s…; it has:\n  %s", record, want.code, want.field, want.en, want.zh, strings.Join(seen, "\n  "))
}

// assertValid checks that a record was read without a problem.
func assertValid(t *testing.T, c *collect, record int) {
	t.Helper()
	for _, f := range c.findings {
		assert.False(t, f.Class == audit.InvalidRecord && f.Record == record, "record %d is valid: %v", record, f.Problems)
	}
}

func assertEveryProblemInChinese(t *testing.T, c *collect) {
	t.Helper()
	for _, f := range c.findings {
		for _, p := range f.Problems {
			assert.Regexp(t, `\p{Han}`, p.Zh, "record %d: %s has no message in Chinese", f.Record, p)
			assert.Contains(t, f.Detail.Zh, p.In("zh"), "the finding's Chinese detail gives the Chinese message")
		}
	}
}

// TestFirstGenerationIDIsTheSamePerson: a member on the roll under a 15-digit
// first-generation ID and one under the 18-character ID it became are the
// same person; both records are still evaluated, each with the W004 warning
// on the first-generation one.
func TestFirstGenerationIDIsTheSamePerson(t *testing.T) {
	eng := testengine.Engine(t)
	roll := `{"household":{"id":"H1","jurisdiction":"141081","members":[{"id":"M1","citizen_id":"141081500312002","birth_date":"1950-03-12"}]}}` + "\n" +
		`{"household":{"id":"H2","jurisdiction":"141081","members":[{"id":"M1","citizen_id":"141081195003120028","birth_date":"1950-03-12"}]}}` + "\n"
	c := runAudit(t, eng, audit.NewJSONLReader("roll.jsonl", strings.NewReader(roll), 0), 2)
	var dupes, warned []string
	for _, f := range c.findings {
		switch f.Class {
		case audit.DuplicatePerson:
			dupes = append(dupes, f.Household+" "+f.CitizenID)
		case audit.RecordWarning:
			require.Len(t, f.Problems, 1)
			assert.Equal(t, "W004", f.Problems[0].Code)
			warned = append(warned, f.Household)
		}
	}
	assert.Equal(t, []string{"H1 141081195003120028", "H2 141081195003120028"}, dupes)
	assert.Equal(t, []string{"H1"}, warned)
	assert.Equal(t, 2, c.report.Reconciliation.Evaluated)
}

// TestDuplicateHousehold: a household id on two or more records is a
// duplicate_household finding on each record, naming the others, wherever
// the records are and whether or not they could be evaluated. In a JSONL
// roll both records are still evaluated; in a table roll two consecutive
// rows of one id cannot be matched to their member and payment rows, so
// both are invalid (A107), and every row is still accounted for.
func TestDuplicateHousehold(t *testing.T) {
	eng := testengine.Engine(t)
	// dups lists the duplicate_household findings as "household record: others".
	dups := func(c *collect) []string {
		var out []string
		for _, f := range c.findings {
			if f.Class != audit.DuplicateHousehold {
				continue
			}
			s := fmt.Sprintf("%s %d:", f.Household, f.Record)
			for _, o := range f.Others {
				s += fmt.Sprintf(" %d", o.Record)
			}
			out = append(out, s)
			assert.Empty(t, f.Member)
			assert.Contains(t, f.Detail.Zh, "户编号 "+f.Household+" 在花名册中出现")
		}
		return out
	}
	h := func(id string) string {
		return `{"household":{"id":"` + id + `","jurisdiction":"141081","members":[{"id":"M1","disabled":false}]}}`
	}
	jsonl := strings.Join([]string{
		h("H1"), h("H2"), h("H1"), h("H3"), h("H3"),
		`{"household":{"id":"H2","jurisdiction":"141081","members":[{"id":"M1","disabled":"也许"}]}}`, // invalid, still H2
		`{"household":`, // no id to compare
		h("H4"),
	}, "\n") + "\n"
	c := runAudit(t, eng, audit.NewJSONLReader("roll.jsonl", strings.NewReader(jsonl), 0), 2)
	assert.Equal(t, []string{"H1 1: 3", "H1 3: 1", "H2 2: 6", "H2 6: 2", "H3 4: 5", "H3 5: 4"}, sortedByID(dups(c)))
	rec := c.report.Reconciliation
	assert.Equal(t, 6, rec.Evaluated, "a JSONL roll's records are evaluated whatever their ids")
	assert.Equal(t, 2, rec.Invalid)
	assert.Equal(t, 6, rec.Findings[audit.DuplicateHousehold])
	for _, f := range c.findings {
		if f.Class == audit.DuplicateHousehold && f.Record == 1 {
			assert.Equal(t, "户编号 H1 在花名册中出现 2 次；另见：第 3 条记录（141081，roll.jsonl:3）。一个户编号只能对应一户：请核实是否重复录入或编号有误。", f.Detail.Zh)
			assert.Equal(t, "Household ID H1 is on the roll 2 times; also at record 3 (141081, roll.jsonl:3). A household ID must name one household: check for a household entered twice or a wrong ID.", f.Detail.En)
		}
	}

	dir := t.TempDir()
	write := func(name, text string) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644))
	}
	write("households.csv", "户编号,行政区划代码\nH1,141081\nH2,141081\nH1,141081\nH3,141081\nH3,141081\nH4,141081\n")
	write("members.csv", "户编号,成员编号,是否残疾\nH1,M1,否\nH2,M1,否\nH1,M1,否\nH3,M1,否\nH3,M1,否\nH4,M1,否\n")
	write("payments.csv", "户编号,成员编号,待遇代码,月发放金额,起始月份\nH3,M1,care_subsidy,10.00,2025-01\n")
	tr, err := audit.OpenCSV(dir)
	require.NoError(t, err)
	defer tr.Close()
	c = runAudit(t, eng, tr, 2)
	assert.Equal(t, []string{"H1 1: 3", "H1 3: 1", "H3 4: 5", "H3 5: 4"}, sortedByID(dups(c)))
	assertProblem(t, c, 4, wantProblem{"A107", "", `household "H3" is also on the next row (line 6) of households.csv`, `户编号 "H3" 与 households.csv 的下一行（第 6 行）相同`})
	assertProblem(t, c, 5, wantProblem{"A107", "", `household "H3" is also on the row before (line 5) of households.csv`, `户编号 "H3" 与 households.csv 的上一行（第 5 行）相同`})
	for _, f := range c.findings {
		if f.Class == audit.InvalidRecord && f.Record == 5 {
			assert.Len(t, f.Problems, 1, "A107 alone: not also A105 for the member rows the record before took")
		}
	}
	assertEveryProblemInChinese(t, c)
	rec = c.report.Reconciliation
	assert.Equal(t, 4, rec.Evaluated, "H1 twice (not next to each other), H2 and H4")
	assert.Equal(t, 2, rec.Invalid)
	assert.Equal(t, 4, rec.Members)
	assert.Equal(t, 2, rec.MembersInInvalid, "H3's two member rows, both taken by the first H3")
	assert.Equal(t, 1, rec.PaymentsInInvalid)
	assert.True(t, rec.Balanced)
}

// sortedByID orders "household record: others" lines by household, keeping
// the order of each household's lines.
func sortedByID(lines []string) []string {
	out := slices.Clone(lines)
	slices.SortStableFunc(out, func(a, b string) int {
		return strings.Compare(strings.Fields(a)[0], strings.Fields(b)[0])
	})
	return out
}

// TestRollHouseholdWithoutID: a record checked alone may leave its
// household id out, but a roll's entry may not: its findings name the
// household, and the duplicate-household check needs the id. The entry is
// an invalid record (H004 at household.id); a member without an id is
// named by position (M1), as a payment may name it.
func TestRollHouseholdWithoutID(t *testing.T) {
	eng := testengine.Engine(t)
	roll := `{"household":{"jurisdiction":"141081","members":[{"id":"M1"}]},"payments":[]}` + "\n" +
		`{"household":{"id":"H2","jurisdiction":"141081","members":[{"disability":{"category":"physical","grade":1}}]},` +
		`"payments":[{"benefit":"care_subsidy","member":"M1","start":"2025-01","monthly":"10.00"}]}` + "\n"
	path := filepath.Join(t.TempDir(), "roll.jsonl")
	require.NoError(t, os.WriteFile(path, []byte(roll), 0o644))
	r, err := audit.OpenJSONL(path)
	require.NoError(t, err)
	defer r.Close()
	c := runAudit(t, eng, r, 2)
	assert.Equal(t, 2, c.report.Reconciliation.Records, "no entry is dropped")
	assertProblem(t, c, 1, wantProblem{"H004", "household.id", "a roll's household needs its id", "名册中的户应有户编号"})
	assertValid(t, c, 2)
	assertEveryProblemInChinese(t, c)
}

// TestBenefitByName: a payment may name its benefit by the Chinese name
// the pack gives it (重度残疾人护理补贴), as a roll a benefit system exports
// does: the example roll with every code written as its name is audited
// exactly as with the codes, and its findings give the codes. A short form
// the pack does not list (护理补贴) is refused.
func TestBenefitByName(t *testing.T) {
	eng := testengine.Engine(t)
	raw, err := os.ReadFile("../../testdata/rolls/example.jsonl")
	require.NoError(t, err)
	named := string(raw)
	renamed := 0
	for _, b := range eng.Pack().Benefits {
		code := `"benefit":"` + b.Code + `"`
		renamed += strings.Count(named, code)
		named = strings.ReplaceAll(named, code, `"benefit":"`+b.Name.Zh+`"`)
	}
	require.Greater(t, renamed, 50, "the example roll's payments were renamed")
	run := func(roll string) *collect {
		return runAudit(t, eng, audit.NewJSONLReader("roll.jsonl", strings.NewReader(roll), int64(len(roll))), 2)
	}
	byCode, byName := run(string(raw)), run(named)
	require.Equal(t, len(byCode.findings), len(byName.findings))
	for i := range byCode.findings {
		assert.Equal(t, byCode.findings[i], byName.findings[i])
	}
	assert.Equal(t, byCode.report, byName.report)

	short := `{"household":{"id":"H1","jurisdiction":"141081","members":[{"id":"M1","disability":{"category":"physical","grade":1}}]},` +
		`"payments":[{"benefit":"护理补贴","member":"M1","start":"2025-01","monthly":"10.00"}]}` + "\n"
	assertProblem(t, run(short), 1, wantProblem{"A101", "payments[0].benefit", `unknown benefit code "护理补贴"`, "应填 `entitle rules` 列出的待遇代码或待遇名称"})
}
