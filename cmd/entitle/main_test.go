package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"entitle/engine"
	"entitle/engine/enginetest"
	"entitle/engine/httpapi"
)

func runCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

const sample = "../../testdata/households/houma-phase-out.yaml"

func TestCheckReports(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		golden string
	}{
		{"zh", []string{"check", sample}, "houma-phase-out.zh.txt"},
		{"en", []string{"check", "--lang", "en", sample}, "houma-phase-out.en.txt"},
		{"explain", []string{"check", "--explain", "../../testdata/households/hulunbuir-raise.yaml"}, "hulunbuir-raise.explain.zh.txt"},
		{"explain en", []string{"check", "--explain", "--lang", "en", "../../testdata/households/hulunbuir-raise.yaml"}, "hulunbuir-raise.explain.en.txt"},
		{"intake", []string{"check", "../../testdata/households/dashiqiao-intake.json"}, "dashiqiao-intake.zh.txt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runCLI(t, "", tt.args...)
			require.Equal(t, exitOK, code, errs)
			enginetest.Golden(t, "../../testdata/golden/"+tt.golden, []byte(out))
		})
	}
}

// TestExplainTraceLanguage: each rule line of the trace names the rule's
// kind and its outcome in the report's language, as `entitle rules` does,
// never the codes of the JSON trace (grant, shall, true, unknown).
func TestExplainTraceLanguage(t *testing.T) {
	tests := []struct {
		lang, prefix string
		want         []string // whole rule lines
	}{
		{"zh", "      规则 ", []string{
			"      规则 national.employment_cost_deduction.dibao_income [应当给予]：成立",
			"      规则 national.dibao_single_person.edge_family [可以给予]：不成立",
			"      规则 national.care_subsidy.excl_tekun [排除（例外情形）]：不成立",
			"      规则 national.care_subsidy.excl_work_injury [排除（例外情形）]：待定（缺少事实）",
			"      规则 national.care_subsidy.choose_higher [提示，应当给予]：待定（缺少事实）",
		}},
		{"en", "      rule ", []string{
			"      rule national.employment_cost_deduction.dibao_income [shall]: holds",
			"      rule national.dibao_single_person.edge_family [may]: does not hold",
			"      rule national.care_subsidy.excl_tekun [deny (an exception)]: does not hold",
			"      rule national.care_subsidy.excl_work_injury [deny (an exception)]: unknown (facts missing)",
			"      rule national.care_subsidy.choose_higher [caveat, shall]: unknown (facts missing)",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			// dashiqiao-intake leaves facts out, so some rules are unknown
			code, out, errs := runCLI(t, "", "check", "--explain", "--lang", tt.lang, "../../testdata/households/dashiqiao-intake.json")
			require.Equal(t, exitOK, code, errs)
			lines := strings.Split(out, "\n")
			for _, want := range tt.want {
				assert.True(t, slices.Contains(lines, want), "no line %q", want)
			}
			n := 0
			for _, l := range lines {
				if !strings.HasPrefix(l, tt.prefix) {
					continue
				}
				n++
				if tt.lang == "zh" {
					// past the rule id, nothing is in English
					_, rest, _ := strings.Cut(strings.TrimPrefix(l, tt.prefix), " ")
					assert.NotRegexp(t, `[A-Za-z]`, rest, l)
				}
			}
			assert.Greater(t, n, 20, "rule lines in the trace")
		})
	}
}

func TestCheckJSON(t *testing.T) {
	code, out, errs := runCLI(t, "", "check", "--format", "json", sample)
	require.Equal(t, exitOK, code, errs)
	var res engine.Result
	require.NoError(t, json.Unmarshal([]byte(out), &res))
	assert.Equal(t, "HM-2025-0317", res.Household)
	d, ok := res.Determination("dibao_phase_out", "household")
	require.True(t, ok)
	assert.Equal(t, engine.Eligible, d.Status)
	assert.Equal(t, "2025-08-31", d.Period.To)
	// identical bytes to the golden JSON the engine tests keep
	want, err := os.ReadFile("../../testdata/golden/houma-phase-out.json")
	require.NoError(t, err)
	var a, b any
	require.NoError(t, json.Unmarshal(want, &a))
	require.NoError(t, json.Unmarshal([]byte(out), &b))
	assert.Equal(t, a, b)
}

// TestCheckMany: several records, or a directory of them, are each
// reported as check reports one alone, in the order given (a directory's
// in name order); one that cannot be read or evaluated is reported in its
// turn, counted, and does not stop the others.
func TestCheckMany(t *testing.T) {
	const dir = "../../testdata/households"
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var files []string
	for _, e := range entries {
		files = append(files, filepath.Join(dir, e.Name()))
	}
	require.Len(t, files, 5)

	code, out, errs := runCLI(t, "", "check", dir)
	require.Equal(t, exitOK, code, errs)
	var want strings.Builder
	for i, f := range files {
		_, alone, _ := runCLI(t, "", "check", f)
		if i > 0 {
			want.WriteString("\n")
		}
		want.WriteString("━━ " + f + "\n" + alone)
	}
	want.WriteString("\n共 5 户：已评估 5 户，未评估 0 户\n")
	assert.Equal(t, want.String(), out)

	args := append([]string{"check", "--format", "json", "--lang", "en"}, dir, "../../testdata/bad/grade-5.yaml", "nope.yaml")
	code, out, errs = runCLI(t, "", args...)
	assert.Equal(t, exitFailed, code)
	var got []struct {
		File   string          `json:"file"`
		Result json.RawMessage `json:"result"`
		Errors []struct {
			Code  string `json:"code"`
			Field string `json:"field"`
		} `json:"errors"`
		Error string `json:"error"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	require.Len(t, got, 7, "every record accounted for")
	for i, f := range files {
		assert.Equal(t, f, got[i].File)
		_, alone, _ := runCLI(t, "", "check", "--format", "json", f)
		var a, b any
		require.NoError(t, json.Unmarshal([]byte(alone), &a))
		require.NoError(t, json.Unmarshal(got[i].Result, &b))
		assert.Equal(t, a, b, f)
	}
	assert.Equal(t, "../../testdata/bad/grade-5.yaml", got[5].File)
	assert.Nil(t, got[5].Result)
	require.Len(t, got[5].Errors, 1)
	assert.Equal(t, "H011", got[5].Errors[0].Code)
	assert.Equal(t, "members[0].disability.grade", got[5].Errors[0].Field)
	assert.Equal(t, "nope.yaml", got[6].File)
	assert.Contains(t, got[6].Error, "nope.yaml: no such file or directory")
	assert.Contains(t, errs, "grade-5.yaml:7:7: members[0].disability.grade", "problems also go to standard error")

	code, out, errs = runCLI(t, "", "check", "--lang", "en", "../../testdata/bad/grade-5.yaml", sample)
	assert.Equal(t, exitFailed, code)
	assert.True(t, strings.HasPrefix(out, "━━ ../../testdata/bad/grade-5.yaml\nNot evaluated: the record has problems (listed on standard error).\n\n━━ "+sample+"\nHousehold HM-2025-0317"), out)
	assert.True(t, strings.HasSuffix(out, "\n2 records: 1 evaluated, 1 not evaluated\n"), out)
	assert.Contains(t, errs, "members[0].disability.grade")

	code, out, errs = runCLI(t, "", "check", sample, "nope.yaml")
	assert.Equal(t, exitFailed, code)
	assert.Contains(t, out, "━━ nope.yaml\n未评估：无法读取记录（见标准错误输出）。\n")
	assert.True(t, strings.HasSuffix(out, "\n共 2 户：已评估 1 户，未评估 1 户\n"), out)
	assert.Contains(t, errs, "找不到文件 nope.yaml")
}

// TestCheckWithoutIDs: a caseworker's record may leave out the household
// id and the members' ids. The report says the household has no id, names
// the members M1 and M2 by position, and determines exactly what it
// determines for the same record with those ids written in.
func TestCheckWithoutIDs(t *testing.T) {
	const without = "jurisdiction: 侯马市\nas_of: 2024-05-01\nstatus: [低保]\nmembers:\n" +
		"  - {name: 张三, birth_date: 1970-01-01, disability: {category: 肢体, grade: 1}}\n" +
		"  - {name: 李四, birth_date: 1972-01-01}\n"
	with := strings.Replace(strings.Replace(without, "{name: 张三", "{id: M1, name: 张三", 1), "{name: 李四", "{id: M2, name: 李四", 1)

	code, out, errs := runCLI(t, without, "check", "-")
	require.Equal(t, exitOK, code, errs)
	assert.True(t, strings.HasPrefix(out, "户（未编号） · 侯马市（141081）"), out[:min(len(out), 80)])
	assert.Contains(t, out, "成员 M1（张三）")
	assert.Contains(t, out, "成员 M2（李四）")
	code, out, errs = runCLI(t, without, "check", "--lang", "en", "-")
	require.Equal(t, exitOK, code, errs)
	assert.True(t, strings.HasPrefix(out, "Household (no id) · Houma (141081)"), out[:min(len(out), 80)])

	result := func(record string) engine.Result {
		code, out, errs := runCLI(t, record, "check", "--format", "json", "-")
		require.Equal(t, exitOK, code, errs)
		var res engine.Result
		require.NoError(t, json.Unmarshal([]byte(out), &res))
		return res
	}
	got, want := result(without), result(with)
	assert.Empty(t, got.Household)
	assert.Equal(t, want.Determinations, got.Determinations)
	d, ok := got.Determination("care_subsidy", "M1")
	require.True(t, ok, "the care subsidy is determined for M1")
	assert.NotEqual(t, engine.Ineligible, d.Status, "M1 is a grade-1 member of a 低保 household")
}

func TestCheckStdinAndAsOf(t *testing.T) {
	data, err := os.ReadFile(sample)
	require.NoError(t, err)
	code, out, errs := runCLI(t, string(data), "check", "--format", "json", "--as-of", "2025-09-01", "-")
	require.Equal(t, exitOK, code, errs)
	var res engine.Result
	require.NoError(t, json.Unmarshal([]byte(out), &res))
	assert.Equal(t, "2025-09-01", res.AsOf)
	d, _ := res.Determination("dibao_phase_out", "household")
	// The record's history stops in July: August's income is needed to count the months.
	assert.Equal(t, engine.Undetermined, d.Status)
	require.NotEmpty(t, d.Missing)
	assert.Equal(t, "income_history[2025-08]", d.Missing[0].Field)
}

func TestCheckErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"bad record", []string{"check", "../../testdata/bad/grade-5.yaml"}, exitFailed, "grade-5.yaml:7:7: members[0].disability.grade"},
		{"bad record json", []string{"check", "--format", "json", "../../testdata/bad/check-digit.json"}, exitFailed, "[H014]"},
		{"bad record in words", []string{"check", "../../testdata/bad/grade-5.yaml"}, exitFailed,
			"grade-5.yaml:7:7: members[0].disability.grade: 残疾等级应为 1 至 4 或一级至四级（GB/T 26341-2010）；填写的是 5 [H011]\n    第 1 位成员：残疾等级 —— 残疾等级不是一至四级\n"},
		{"missing file", []string{"check", "nope.yaml"}, exitFailed, "entitle check: 找不到文件 nope.yaml（stat nope.yaml: no such file or directory）"},
		{"missing file in English", []string{"check", "--lang", "en", "nope.yaml"}, exitFailed, "entitle check: stat nope.yaml: no such file or directory"},
		{"directory without records", []string{"check", "../../testdata"}, exitFailed, "entitle check: 目录 ../../testdata 中没有户记录文件（.yaml、.yml 或 .json）"},
		{"directory without records in English", []string{"check", "--lang", "en", "../../testdata"}, exitFailed, "../../testdata holds no household records (.yaml, .yml or .json files)"},
		{"no file", []string{"check"}, exitUsage, "Usage: entitle check"},
		{"bad date", []string{"check", "--as-of", "2025-13-01", sample}, exitUsage,
			"entitle check：--as-of \"2025-13-01\" 不是 YYYY-MM-DD 格式的日期\nentitle check: --as-of \"2025-13-01\" is not a date YYYY-MM-DD\n"},
		{"bad lang", []string{"check", "--lang", "fr", sample}, exitUsage, "entitle check：--lang 应为 zh 或 en，不是 \"fr\""},
		{"bad format", []string{"check", "--format", "xml", sample}, exitUsage, "entitle check：--format 应为 text 或 json，不是 \"xml\""},
		{"audit format without -o", []string{"audit", "--format", "csv", sample}, exitUsage, "entitle audit：--format csv 须用 -o 指定报告文件或目录"},
		{"lint, bad format", []string{"lint", "--format", "xml"}, exitUsage, "entitle lint：--format 应为 text 或 json，不是 \"xml\""},
		{"rules, bad format", []string{"rules", "--format", "yaml"}, exitUsage, "entitle rules: --format must be text or json, not \"yaml\""},
		{"replay, bad format", []string{"replay", "--format", "csv", "x.jsonl"}, exitUsage, "entitle replay: --format must be text or json"},
		{"audit, negative workers", []string{"audit", "--workers", "-3", sample}, exitUsage, "entitle audit：--workers -3：请给正数，或用 0 表示每个 CPU 核一个"},
		{"unknown benefit", []string{"rules", "--benefit", "nope"}, exitUsage, "entitle rules：没有待遇代码 \"nope\"\nentitle rules: unknown benefit code \"nope\""},
		{"lint a file", []string{"lint", sample}, exitUsage, "entitle lint：" + sample + " 不是目录"},
		{"serve half of TLS", []string{"serve", "--tls-cert", "x.pem"}, exitUsage, "entitle serve：--tls-cert 和 --tls-key 须同时给出"},
		{"bad pack", []string{"check", "--rules", "../../testdata", sample}, exitRuleErr, "rule pack"},
		{"unknown verb", []string{"frobnicate"}, exitUsage, "entitle：没有命令 \"frobnicate\"\nentitle: unknown command \"frobnicate\"\n\nentitle："},
		{"audit without roll", []string{"audit"}, exitUsage, "Usage: entitle audit"},
		{"replay without a log", []string{"replay"}, exitUsage, "entitle replay: at least 1 argument(s) expected, 0 given"},
		{"replay a missing log", []string{"replay", sample, "no-such.jsonl"}, exitIO, "no-such.jsonl"},
		{"rules: no such rule", []string{"rules", "x"}, exitUsage, "entitle rules: no rule \"x\""},
		{"rules: a rule near it", []string{"rules", "141081.dibao_raise.x"}, exitUsage, "entitle rules: no rule \"141081.dibao_raise.x\" (rules near it: 141081.dibao_raise.severe_in_difficulty)"},
		{"rules: an id and a filter", []string{"rules", "--benefit", "dibao", "141081.dibao"}, exitUsage, "entitle rules: rule ids cannot be given with --jurisdiction, --benefit, --coverage or --indicators"},
		{"serve with argument", []string{"serve", "x"}, exitUsage, "Usage: entitle serve"},
		{"lint two dirs", []string{"lint", "a", "b"}, exitUsage, "entitle lint：至多可有 1 个参数，给了 2 个"},
		{"test two dirs", []string{"test", "a", "b"}, exitUsage, "Usage: entitle test"},
		{"bad flag", []string{"rules", "--nope"}, exitUsage, "entitle rules：没有选项 -nope（可用的选项见下）\nentitle rules: flag provided but not defined: -nope\n\n用法：entitle rules"},
		{"flag without its value", []string{"audit", "--as-of"}, exitUsage, "entitle audit：选项 -as-of 后须给一个值\nentitle audit: flag needs an argument: -as-of\n"},
		{"flag value not a number", []string{"audit", "--workers", "abc", sample}, exitUsage, "entitle audit：选项 -workers 的值 \"abc\" 无效（无法解析）\nentitle audit: invalid value \"abc\" for flag -workers: parse error\n"},
		{"flag value not a boolean", []string{"check", "--explain=maybe", sample}, exitUsage, "entitle check：选项 -explain 的值 \"maybe\" 不是 true 或 false\n"},
		{"bad flag syntax", []string{"check", "---x", sample}, exitUsage, "entitle check：选项写法有误：---x\n"},
		{"test, two pack directories", []string{"test", "--rules", "../../rules", "x"}, exitUsage, "entitle test：给了两个规则包目录：x 和 --rules ../../rules，只能给一个"},
		{"lint, two pack directories", []string{"lint", "--rules", "../../rules", "x"}, exitUsage, "entitle lint：给了两个规则包目录"},
		{"lint --rules a file", []string{"lint", "--rules", sample}, exitUsage, "entitle lint：" + sample + " 不是目录"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := runCLI(t, "", tt.args...)
			assert.Equal(t, tt.code, code)
			assert.Contains(t, errs, tt.msg)
		})
	}
}

// TestFlagsAfterArguments: flags may follow the file, as people type them,
// and after "--" everything is a file name.
func TestFlagsAfterArguments(t *testing.T) {
	_, before, _ := runCLI(t, "", "check", "--lang", "en", "--as-of", "2025-08-15", sample)
	code, after, errs := runCLI(t, "", "check", sample, "--lang", "en", "--as-of=2025-08-15")
	require.Equal(t, exitOK, code, errs)
	assert.Equal(t, before, after)
	assert.Contains(t, after, "Household HM-2025-0317")

	code, out, errs := runCLI(t, "", "check", sample, "--lang", "en", "../../testdata/households/hulunbuir-raise.yaml")
	assert.Equal(t, exitOK, code, errs)
	assert.Contains(t, out, "Household HLBE-2025-0042", "the flag applies to the file after it too")
	assert.Contains(t, out, "2 records: 2 evaluated, 0 not evaluated")

	code, _, errs = runCLI(t, "", "check", "--lang", "en", "--", "--explain")
	assert.Equal(t, exitFailed, code)
	assert.Contains(t, errs, "stat --explain: no such file or directory", "after -- a name, not a flag")
}

// TestCheckErrorsInEnglish: with --lang en the problems are the English
// lines alone.
func TestCheckErrorsInEnglish(t *testing.T) {
	code, _, errs := runCLI(t, "", "check", "--lang", "en", "../../testdata/bad/grade-5.yaml")
	assert.Equal(t, exitFailed, code)
	assert.Contains(t, errs, "members[0].disability.grade: disability grade must be 1 to 4")
	assert.NotContains(t, errs, "第 1 位成员")
	assert.NotContains(t, errs, "残疾等级应为")
	assert.Equal(t, 1, strings.Count(errs, "\n"), "one line: %q", errs)
}

// TestCheckErrorsAsJSON: --format json gives each problem with its message
// in Chinese, its code's summary and the field's label, as the HTTP API does.
func TestCheckErrorsAsJSON(t *testing.T) {
	code, out, _ := runCLI(t, "", "check", "--format", "json", "../../testdata/bad/grade-5.yaml")
	assert.Equal(t, exitFailed, code)
	var v struct {
		Errors []struct {
			Field, Code, Message string
			MessageZh            string `json:"message_zh"`
			Line, Column         int
			Summary, Label       map[string]string
		}
	}
	require.NoError(t, json.Unmarshal([]byte(out), &v), out)
	require.Len(t, v.Errors, 1)
	e := v.Errors[0]
	assert.Equal(t, "members[0].disability.grade", e.Field)
	assert.Equal(t, "H011", e.Code)
	assert.Equal(t, 7, e.Line)
	assert.Contains(t, e.Message, "got 5")
	assert.Equal(t, "残疾等级应为 1 至 4 或一级至四级（GB/T 26341-2010）；填写的是 5", e.MessageZh)
	assert.Equal(t, "残疾等级不是一至四级", e.Summary["zh"])
	assert.Equal(t, "第 1 位成员：残疾等级", e.Label["zh"])
	assert.Equal(t, "member 1: disability grade", e.Label["en"])
}

func TestRules(t *testing.T) {
	code, out, _ := runCLI(t, "", "rules", "--jurisdiction", "141081")
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, "141081.dibao_phase_out.six_months")
	assert.Contains(t, out, "national.dibao.income_test")
	assert.NotContains(t, out, "371581.", "only rules that apply in 141081")
	assert.Contains(t, out, "給予6個月的漸退期", "citations are quoted in the document's own script")
	assert.Contains(t, out, "  national.living_allowance.excl_tekun  [排除（例外情形）] 2016-01-01起\n", "Chinese first")
	assert.Contains(t, out, "《最低生活保障审核确认办法》第八条 [二手来源]\n")
	assert.Contains(t, out, "  141081.dibao.include  [应当给予] 2021-01-01起 继承 national.dibao.income_test\n")
	assert.Contains(t, out, "  141081.dibao_phase_out.six_months  [应当给予] 2021-01-01起 优先于 national.dibao_phase_out.cap\n")
	assert.Contains(t, out, "  national.living_allowance.choose_higher  [提示，应当给予] 2016-01-01起\n")
	assert.Contains(t, out, "  national.dibao_single_person.adult_unemployed_severe  [可以给予] 2022年起（文件未载明日期，不早于该年）\n")
	assert.Contains(t, out, "\n■ 提高低保补助水平 dibao_raise（全户）\n  141081.dibao_raise.severe_in_difficulty  [应当给予，按成员逐人认定] 2021-01-01起\n",
		"a rule that decides per member for a household benefit says so")
	assert.Equal(t, 1, strings.Count(out, "按成员逐人认定"), "only where the rule's scope differs from its benefit's")
	assert.Contains(t, out, "\n■ 低保渐退期 dibao_phase_out（全户；按“最低生活保障”发放）\n", "paid_as")
	assert.Contains(t, out, "\n■ 低保单独申请（参照单人户） dibao_single_person（成员；单独申请“最低生活保障”）\n", "separate_claim_to")
	assert.Contains(t, out, "\n■ 最低生活保障 dibao（全户）\n")
	assert.NotContains(t, out, "[secondary")
	assert.NotContains(t, out, " extends ")
	assert.NotContains(t, out, "[deny")
	for _, name := range []string{"侯马市", "侯馬市", "山西省侯马市", "houma"} {
		code, byName, _ := runCLI(t, "", "rules", "--jurisdiction", name)
		require.Equal(t, exitOK, code, name)
		assert.Equal(t, out, byName, "--jurisdiction %s lists what 141081 does", name)
	}
	code, _, stderr := runCLI(t, "", "rules", "--jurisdiction", "北京市")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, "规则包中没有行政区划 \"北京市\"")

	code, out, _ = runCLI(t, "", "rules", "--jurisdiction", "150700", "--lang", "en")
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, "  national.living_allowance.excl_tekun  [deny (an exception)] from 2016-01-01\n")
	assert.Contains(t, out, "  150700.public_rental_priority.floor_choice  [caveat, may] from 2015 (the document gives no date; not before that year)\n",
		"an undated document bounds its rules by the year of the documents it implements")
	assert.Contains(t, out, "  national.dibao_single_person.adult_unemployed_severe  [may] from 2022 (the document gives no date; not before that year)\n")
	assert.Contains(t, out, "  national.dibao_phase_out.cap  [may] from 2021-07-01\n", "a rule that also cites a dated document keeps its date")
	assert.Contains(t, out, "《最低生活保障审核确认办法》第八条 [secondary source]\n")
	assert.Contains(t, out, "\n■ Living allowance for disabled people in difficulty living_allowance (member)\n", "ASCII brackets in English")
	assert.Contains(t, out, "\n■ Dibao applied for separately, as a one-person household dibao_single_person (member; claims “Minimum living guarantee (dibao)” alone)\n")

	code, out, _ = runCLI(t, "", "rules", "--format", "json", "--benefit", "dibao_phase_out")
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, `"payment": "monthly"`)
	assert.Contains(t, out, `"paid_as": "dibao"`)
	assert.NotContains(t, out, `"separate_claim_to"`)

	starts := map[string]string{}
	for _, benefit := range []string{"care_subsidy", "dibao"} {
		code, out, _ = runCLI(t, "", "rules", "--format", "json", "--benefit", benefit)
		require.Equal(t, exitOK, code)
		var v struct {
			Benefits []struct {
				Code  string    `json:"code"`
				Rules []ruleOut `json:"rules"`
			} `json:"benefits"`
		}
		require.NoError(t, json.Unmarshal([]byte(out), &v))
		require.Len(t, v.Benefits, 1)
		assert.Equal(t, benefit, v.Benefits[0].Code)
		assert.NotEmpty(t, v.Benefits[0].Rules)
		for _, r := range v.Benefits[0].Rules {
			starts[r.ID] = r.Starts
		}
	}
	assert.Equal(t, "2016-01-01", starts["national.care_subsidy.severe_long_term"])
	assert.Equal(t, "2015", starts["150700.dibao.include"], "only the year when that is all the texts give")
	assert.Equal(t, "2016-01-01", starts["150700.care_subsidy.implement"], "no earlier than the national definition it rests on")
	assert.Equal(t, "2021-01-01", starts["141081.care_subsidy.implement"], "侯马's plan period, its issue date being unreadable")

	code, _, errs := runCLI(t, "", "rules", "--jurisdiction", "110101")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errs, "141081 侯马市")

	// A benefit with both links shows both.
	dir := t.TempDir()
	copyDir(t, "../../rules", dir)
	path := filepath.Join(dir, "benefits.yaml")
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	both := strings.Replace(string(b), "    separate_claim_to: dibao\n", "    separate_claim_to: dibao\n    paid_as: dibao\n", 1)
	require.NotEqual(t, string(b), both)
	require.NoError(t, os.WriteFile(path, []byte(both), 0o644))
	code, out, errs = runCLI(t, "", "rules", "--rules", dir, "--benefit", "dibao_single_person")
	require.Equal(t, exitOK, code, errs)
	assert.Contains(t, out, "\n■ 低保单独申请（参照单人户） dibao_single_person（成员；按“最低生活保障”发放；单独申请“最低生活保障”）\n")
}

// TestRulesNameTheJurisdiction: a listing for one jurisdiction says which,
// and a code inside a covered area lists that area's rules and says so.
func TestRulesNameTheJurisdiction(t *testing.T) {
	_, all, _ := runCLI(t, "", "rules")
	assert.NotContains(t, all, "行政区划：", "the whole pack names no jurisdiction")
	_, city, _ := runCLI(t, "", "rules", "--jurisdiction", "150700")
	tests := []struct {
		args []string
		line string
	}{
		{[]string{"150700"}, "行政区划：150700 呼伦贝尔市（全国规则及本地规则）"},
		{[]string{"呼伦贝尔"}, "行政区划：150700 呼伦贝尔市（全国规则及本地规则）"},
		{[]string{"150781"}, "行政区划：150781 在 150700 呼伦贝尔市 辖区内，适用其规则（全国规则及本地规则）"},
		{[]string{"150781", "--lang", "en"}, "Jurisdiction: 150781 lies in 150700 Hulunbuir, whose rules apply (national and local rules)"},
		{[]string{"141081100000"}, "行政区划：141081100000 在 141081 侯马市 辖区内，适用其规则（全国规则及本地规则）"},
	}
	for _, tt := range tests {
		code, out, errs := runCLI(t, "", append([]string{"rules", "--jurisdiction"}, tt.args...)...)
		require.Equal(t, exitOK, code, errs)
		lines := strings.SplitN(out, "\n", 3)
		require.Len(t, lines, 3, tt.args)
		assert.Equal(t, tt.line, lines[1], tt.args)
		if tt.args[0] == "150781" && len(tt.args) == 1 {
			assert.Equal(t, strings.SplitN(city, "\n", 3)[2], lines[2], "150781 lists 150700's rules")
		}
	}
	code, out, errs := runCLI(t, "", "rules", "--jurisdiction", "150781", "--format", "json")
	require.Equal(t, exitOK, code, errs)
	var v struct {
		Jurisdiction struct {
			Code string `json:"code"`
		} `json:"jurisdiction"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &v))
	assert.Equal(t, "150700", v.Jurisdiction.Code)
}

// TestRuleInFull: entitle rules RULE_ID shows the rule as a report names
// it, in full: conditions, amount, each quote in the sentence of the
// document it stands in, notes and file (a golden file); the first parts
// of an id show the rules under them; --format json gives what GET
// /v1/rules/{id} does.
func TestRuleInFull(t *testing.T) {
	code, out, errs := runCLI(t, "", "rules", "141081.dibao_raise.severe_in_difficulty", "national.living_allowance.excl_orphan")
	require.Equal(t, exitOK, code, errs)
	enginetest.Golden(t, "../../testdata/golden/rules-in-full.zh.txt", []byte(out))
	// The sentence around the quote, from the cleaned source.
	assert.Contains(t, out, "【享受孤儿基本生活保障政策的残疾人不享受困难残疾人生活补贴】,但符合重度残疾人护理补贴条件的,可享受重度残疾人护理补贴。\n")
	assert.Contains(t, out, "  地区：全国\n")

	code, out, _ = runCLI(t, "", "rules", "--lang", "en", "141081.dibao_raise.severe_in_difficulty")
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, "  Benefit: Raised dibao payment dibao_raise (household, decided per member)\n")
	assert.Contains(t, out, "  In force: from 2021-01-01\n")

	// The first parts of ids: every rule under them, once each.
	code, out, _ = runCLI(t, "", "rules", "national.living_allowance", "national.living_allowance.excl_orphan")
	require.Equal(t, exitOK, code)
	n := strings.Count(out, "\n■ national.living_allowance.")
	assert.Greater(t, n, 3, "the national rules of the living allowance")
	assert.Equal(t, n, strings.Count(out, "\n■ "), "no rule twice, and none of another prefix")

	code, out, _ = runCLI(t, "", "rules", "--format", "json", "141081.dibao_raise.severe_in_difficulty")
	require.Equal(t, exitOK, code)
	var v struct {
		Rules []httpapi.RuleOut `json:"rules"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &v))
	require.Len(t, v.Rules, 1)
	r := v.Rules[0]
	assert.Equal(t, "dibao_raise", r.Benefit)
	require.NotEmpty(t, r.Citations)
	assert.Contains(t, r.Citations[0].Before, "低保邊緣家庭的重度殘疾人經本人申請參照單人戶納入低保范圍", "the text before the quote")
	assert.NotEmpty(t, r.Citations[0].After)
}

// TestRulesCoverageAndIndicators: the coverage matrix (kept as a golden file,
// so a change to it shows in review) and the plans' targets.
func TestRulesCoverageAndIndicators(t *testing.T) {
	code, out, errs := runCLI(t, "", "rules", "--coverage")
	require.Equal(t, exitOK, code, errs)
	enginetest.Golden(t, "../../testdata/golden/coverage.zh.txt", []byte(out))
	assert.NotContains(t, out, "left out", "the Chinese matrix labels its notes in Chinese")
	assert.NotContains(t, out, "national:")
	assert.Contains(t, out, "living_allowance × 141081: 有意未编码 《侯馬市“十四五”殘疾人保障和發展規劃》三(一)5 “逐步擴大補貼對象覆蓋面” — 扩大覆盖面的目标，没有指明新增哪类对象。")
	code, out, _ = runCLI(t, "", "rules", "--coverage", "--lang", "en")
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, "living_allowance × 141081: left out 《侯馬市“十四五”殘疾人保障和發展規劃》三(一)5 “逐步擴大補貼對象覆蓋面” — An aim to widen coverage")
	assert.Contains(t, out, "dibao × 330213: not in the document; national: national.dibao.income_test")

	code, out, _ = runCLI(t, "", "rules", "--coverage", "--format", "json")
	require.Equal(t, exitOK, code)
	var cov struct {
		Coverage []struct {
			Benefit string `json:"benefit"`
			Cells   []struct {
				Jurisdiction string   `json:"jurisdiction"`
				Status       string   `json:"status"`
				Rules        []string `json:"rules"`
			} `json:"cells"`
		} `json:"coverage"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &cov))
	assert.Len(t, cov.Coverage, 28, "every benefit code of the catalogue")
	for _, r := range cov.Coverage {
		assert.Len(t, r.Cells, 5, r.Benefit)
		for _, c := range r.Cells {
			assert.Contains(t, []string{"encoded", "absent", "excused"}, c.Status, "%s × %s", r.Benefit, c.Jurisdiction)
		}
	}

	code, out, _ = runCLI(t, "", "rules", "--indicators", "--jurisdiction", "330213")
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, "困难残疾人生活补贴覆盖率 > 99%")
	assert.NotContains(t, out, "141081")
	code, out, _ = runCLI(t, "", "rules", "--indicators", "--format", "json")
	require.Equal(t, exitOK, code)
	var ind struct {
		Indicators []struct {
			Jurisdiction string `json:"jurisdiction"`
			Indicators   []struct {
				ID      string  `json:"id"`
				Percent float64 `json:"percent"`
			} `json:"indicators"`
		} `json:"indicators"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &ind))
	require.Len(t, ind.Indicators, 5)
	assert.NotEmpty(t, ind.Indicators[0].Indicators)
}

// TestSixthJurisdictionCLI: a copy of rules/ with the fictional county's
// directory dropped in lints, tests and evaluates from the command line.
func TestSixthJurisdictionCLI(t *testing.T) {
	dir := t.TempDir()
	copyDir(t, "../../rules", dir)
	household := "../../testdata/packs/990001-household.yaml"
	code, _, errs := runCLI(t, "", "check", "--rules", dir, household)
	assert.Equal(t, exitFailed, code, "unknown before the directory is added")
	assert.Contains(t, errs, "H010")

	copyDir(t, "../../testdata/packs/990001", filepath.Join(dir, "990001"))
	code, out, _ := runCLI(t, "", "lint", dir)
	assert.Equal(t, exitOK, code, out)
	code, out, _ = runCLI(t, "", "test", "--coverage-strict", dir)
	assert.Equal(t, exitOK, code, out)
	assert.Contains(t, out, " 0 failed (13 files)", "the county's test file runs too")
	code, out, errs = runCLI(t, "", "check", "--rules", dir, household)
	require.Equal(t, exitOK, code, errs)
	assert.Contains(t, out, "示例县（虚构）")
	assert.Contains(t, out, "困难残疾人生活补贴标准为每人每月120元")
	code, out, _ = runCLI(t, "", "rules", "--coverage", "--rules", dir, "--jurisdiction", "990001")
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, "990001")
}

func TestLint(t *testing.T) {
	code, out, _ := runCLI(t, "", "lint")
	assert.Equal(t, exitOK, code, out)
	assert.Contains(t, out, "0 errors")
	code, out, _ = runCLI(t, "", "lint", "../../rules")
	assert.Equal(t, exitOK, code, out)

	// A copy of the pack with a mistyped quote and a hand-edited cleaned source.
	dir := t.TempDir()
	copyDir(t, "../../rules", dir)
	rule := filepath.Join(dir, "141081", "dibao.rules.yaml")
	b, err := os.ReadFile(rule)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(rule, bytes.Replace(b, []byte("全部納入最低生活保障范圍"), []byte("全部納入最低生活保障範圍"), 1), 0o644))
	src := filepath.Join(dir, "sources", "150700-opinions.txt")
	b, err = os.ReadFile(src)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(src, bytes.Replace(b, []byte("［原文缺损］"), []byte("全市"), 1), 0o644))
	code, out, _ = runCLI(t, "", "lint", dir)
	assert.Equal(t, exitFailed, code)
	assert.Contains(t, out, "R007")
	assert.Contains(t, out, "R020")
	assert.Contains(t, out, "141081/dibao.rules.yaml:")
	assert.Contains(t, out, ": 2 errors, 0 warnings")

	// Mend the source: one error is left, and the summary counts it in the singular.
	require.NoError(t, os.WriteFile(src, b, 0o644))
	code, out, _ = runCLI(t, "", "lint", dir)
	assert.Equal(t, exitFailed, code)
	assert.Contains(t, out, ": 1 error, 0 warnings", out)
	// --rules DIR, as the other verbs take the pack, is the same as DIR.
	code, viaFlag, _ := runCLI(t, "", "lint", "--rules", dir)
	assert.Equal(t, exitFailed, code)
	assert.Equal(t, out, viaFlag)
}

func TestTestVerb(t *testing.T) {
	code, out, _ := runCLI(t, "", "test")
	assert.Equal(t, exitOK, code, out)
	assert.Contains(t, out, "0 failed")
	assert.Regexp(t, `coverage: (\d+)/(\d+) rules exercised`, out)
	code, out, _ = runCLI(t, "", "test", "--coverage-strict", "../../rules")
	assert.Equal(t, exitOK, code, out)
	// --rules DIR, as the other verbs take the pack, is the same as DIR:
	// a malformed test file in a copy of the pack fails both.
	dir := t.TempDir()
	copyDir(t, "../../rules", dir)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "141081", "bad.test.yaml"), []byte("cases:\n  - name: x\n    as_of: 2025-01-01\n    expect: []\n"), 0o644))
	code, out, _ = runCLI(t, "", "test", dir)
	assert.Equal(t, exitFailed, code, out)
	assert.Contains(t, out, "141081/bad.test.yaml:4:5: error R019: cases[0].expect: minItems: got 0, want 1\n |     expect: []\n |     ^")
	code, viaFlag, _ := runCLI(t, "", "test", "--rules", dir)
	assert.Equal(t, exitFailed, code)
	assert.Equal(t, out, viaFlag)
}

// TestTestRunAndJSON: --run picks cases by FILE:NAME, as go test -run and
// opa test --run do, and --format json gives the run to a machine.
func TestTestRunAndJSON(t *testing.T) {
	// All cases, to count those --run leaves out.
	code, out, _ := runCLI(t, "", "test", "--format", "json")
	require.Equal(t, exitOK, code, out)
	var all struct {
		Cases []struct {
			File, Name string
			Passed     bool
			Failures   []string
		}
		Files, Passed, Failed, Skipped int
		Coverage                       struct {
			Rules          int
			RulesExercised int `json:"rules_exercised"`
		}
		Diagnostics []any
	}
	require.NoError(t, json.Unmarshal([]byte(out), &all))
	require.Greater(t, len(all.Cases), 100)
	assert.Equal(t, len(all.Cases), all.Passed)
	assert.Zero(t, all.Failed+all.Skipped)
	assert.Equal(t, all.Coverage.Rules, all.Coverage.RulesExercised)
	assert.NotNil(t, all.Diagnostics, "[] rather than null")
	want := 0
	for _, c := range all.Cases {
		assert.True(t, c.Passed)
		assert.NotNil(t, c.Failures, "[] rather than null")
		if strings.HasPrefix(c.File, "371581/") && strings.Contains(c.Name, "phase-out") {
			want++
		}
	}
	require.NotZero(t, want)

	code, out, _ = runCLI(t, "", "test", "--run", `^371581/.*phase-out`)
	require.Equal(t, exitOK, code, out)
	assert.Contains(t, out, fmt.Sprintf("%d passed, 0 failed, %d skipped (--run)", want, len(all.Cases)-want))
	assert.Contains(t, out, "coverage (of the cases run): ")

	code, out, _ = runCLI(t, "", "test", "--run", "no such case")
	assert.Equal(t, exitFailed, code, "a --run that matches nothing fails, as a typo should")
	assert.Contains(t, out, `no case matches --run "no such case"`)

	for _, args := range [][]string{{"--run", "("}, {"--run", "x", "--coverage-strict"}, {"--format", "xml"}} {
		code, _, errOut := runCLI(t, "", append([]string{"test"}, args...)...)
		assert.Equal(t, exitUsage, code, args)
		assert.Contains(t, errOut, "entitle test", args)
	}
}

// TestHelp: entitle's own help lists every verb with its summary in
// Chinese and, on the next line, in English (kept as a golden file).
func TestHelp(t *testing.T) {
	code, out, _ := runCLI(t, "", "help")
	assert.Equal(t, exitOK, code)
	enginetest.Golden(t, "../../testdata/golden/help.txt", []byte(out))
	for name := range verbs {
		assert.Regexp(t, `(?m)^  `+name+` +\p{Han}.*\n {11}[ -~]+$`, out, "verb %s: a Chinese summary, then the English", name)
	}
}

// TestHelpVerb: entitle help VERB prints the verb's help on standard
// output, as entitle VERB -h does on standard error.
func TestHelpVerb(t *testing.T) {
	_, _, want := runCLI(t, "", "audit", "-h")
	code, out, errs := runCLI(t, "", "help", "audit")
	assert.Equal(t, exitOK, code)
	assert.Equal(t, want, out)
	assert.Empty(t, errs)
	assert.Contains(t, out, "用法：entitle audit")

	code, _, errs = runCLI(t, "", "help", "frobnicate")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errs, "没有命令 \"frobnicate\"")
}

// TestVerbHelpIsBilingual: every verb's -h gives its synopsis in Chinese and
// in English, and every flag a Chinese line first and an English one after,
// so a flag added with one language only fails here.
func TestVerbHelpIsBilingual(t *testing.T) {
	han := regexp.MustCompile(`\p{Han}`)
	for name := range verbs {
		t.Run(name, func(t *testing.T) {
			_, _, errs := runCLI(t, "", name, "-h")
			head, flagText, ok := strings.Cut(errs, "选项 / Flags:\n")
			require.True(t, ok, errs)
			assert.Contains(t, head, "用法：entitle "+name)
			assert.Contains(t, head, "Usage: entitle "+name)
			var flagName string
			var lines []string
			check := func() {
				if flagName == "" {
					return
				}
				if assert.Len(t, lines, 2, "flag -%s: a Chinese line and an English one", flagName) {
					assert.Regexp(t, han, lines[0], "flag -%s: Chinese first", flagName)
					assert.NotRegexp(t, han, lines[1], "flag -%s: then English", flagName)
				}
			}
			for _, line := range strings.Split(strings.TrimRight(flagText, "\n"), "\n") {
				if text, isUsage := strings.CutPrefix(line, "    \t"); isUsage {
					lines = append(lines, text)
					continue
				}
				check()
				// A one-letter flag's usage starts on its own line, after a tab.
				line, first, sameLine := strings.Cut(line, "\t")
				flagName, _, _ = strings.Cut(strings.TrimPrefix(line, "  -"), " ")
				lines = nil
				if sameLine {
					lines = append(lines, first)
				}
			}
			check()
			assert.NotEmpty(t, flagName, "no flags listed: %s", errs)
		})
	}
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	require.NoError(t, filepath.Walk(from, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		if info.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	}))
}
