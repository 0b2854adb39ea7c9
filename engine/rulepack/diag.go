package rulepack

import (
	"fmt"
	"sort"
	"strings"
)

// Code is a stable rule-pack diagnostic code. Each has a page under docs/errors/.
type Code string

// Rule-pack diagnostic codes. They are stable.
const (
	CodeYAML          Code = "R001" // a pack file is not valid YAML
	CodeSchema        Code = "R002" // a pack file does not match its JSON Schema
	CodeCEL           Code = "R003" // a CEL expression does not parse or type-check
	CodeCost          Code = "R004" // an expression's estimated cost is over the budget
	CodeBenefit       Code = "R005" // unknown benefit code
	CodeDuplicate     Code = "R006" // an id used twice
	CodeQuote         Code = "R007" // a citation's quote is not in the source text
	CodeDocument      Code = "R008" // unknown document, or a document file missing
	CodeJurisdiction  Code = "R009" // unknown jurisdiction
	CodeRelation      Code = "R010" // extends or overrides names a missing or unsuitable rule
	CodeCycle         Code = "R011" // a cycle among rules, definitions or benefits
	CodeParameter     Code = "R012" // a parameter declaration or value is wrong
	CodeType          Code = "R013" // an expression has the wrong result type
	CodeEnum          Code = "R014" // a string compared with a fact is not one of its values
	CodeMissingFile   Code = "R015" // a required pack file is missing
	CodeDates         Code = "R016" // effective dates wrong or outside the document's
	CodeScope         Code = "R017" // a member fact in a household rule, or similar
	CodeProvenance    Code = "R018" // provenance does not match the document
	CodeTest          Code = "R019" // a rule-pack test case is malformed
	CodeSourceClean   Code = "R020" // a cleaned source differs from what the cleaner makes
	CodeCoverage      Code = "R021" // a benefit × jurisdiction cell is not accounted for
	WarnNoConditions  Code = "R101" // a grant rule with no conditions
	WarnUnusedParam   Code = "R102" // a declared parameter no rule or fact uses
	WarnBeforeDocDate Code = "R103" // a rule in force before its document's date
	WarnValueGap      Code = "R104" // a rule in force on a date a value it reads is missing
)

// Codes lists every diagnostic code with a one-line description.
var Codes = []struct {
	Code   Code
	Zh, En string
}{
	{CodeYAML, "规则包文件不是有效的 YAML", "a pack file is not valid YAML"},
	{CodeSchema, "规则包文件不符合其 JSON Schema", "a pack file does not match its JSON Schema"},
	{CodeCEL, "CEL 表达式语法或类型错误", "a CEL expression does not parse or type-check"},
	{CodeCost, "表达式的估算成本超出预算", "an expression's estimated cost is over the budget"},
	{CodeBenefit, "未知的待遇代码", "unknown benefit code"},
	{CodeDuplicate, "编号重复", "an id is used twice"},
	{CodeQuote, "引文在原文中找不到", "a citation's quote is not in the source text"},
	{CodeDocument, "未知的文件，或文件缺失", "unknown document, or its file is missing"},
	{CodeJurisdiction, "未知的行政区划", "unknown jurisdiction"},
	{CodeRelation, "extends 或 overrides 指向不存在或不合适的规则", "extends or overrides names a missing or unsuitable rule"},
	{CodeCycle, "规则、定义或待遇之间存在循环依赖", "a cycle among rules, definitions or benefits"},
	{CodeParameter, "参数声明或取值有误", "a parameter declaration or value is wrong"},
	{CodeType, "表达式结果类型不对", "an expression has the wrong result type"},
	{CodeEnum, "与事实比较的字符串不在其取值范围内", "a string compared with a fact is not one of its values"},
	{CodeMissingFile, "缺少必需的规则包文件", "a required pack file is missing"},
	{CodeDates, "生效日期有误", "effective dates are wrong"},
	{CodeScope, "作用范围不符（如户级规则使用成员事实）", "scope mismatch, e.g. a member fact in a household rule"},
	{CodeProvenance, "来源标注与文件不符", "provenance does not match the document"},
	{CodeTest, "规则包测试用例格式有误", "a rule-pack test case is malformed"},
	{CodeSourceClean, "清理后的原文与清理程序的输出不一致", "a cleaned source differs from the cleaner's output"},
	{CodeCoverage, "待遇与行政区划的覆盖情况未说明", "a benefit × jurisdiction cell is not accounted for"},
	{WarnNoConditions, "给予类规则没有任何条件", "a grant rule has no conditions"},
	{WarnUnusedParam, "声明的参数未被使用", "a declared parameter is not used"},
	{WarnBeforeDocDate, "规则生效日期早于文件日期", "a rule takes effect before its document's date"},
	{WarnValueGap, "规则生效期间所用参数或定义缺少取值", "a rule is in force on dates a parameter or definition it reads has no value"},
}

// Severity of a diagnostic.
type Severity string

// Severities.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
)

// Diagnostic is one problem found in a rule pack.
type Diagnostic struct {
	File     string   `json:"file"`
	Line     int      `json:"line,omitempty"`
	Column   int      `json:"column,omitempty"`
	Code     Code     `json:"code"`
	Severity Severity `json:"severity"`
	Msg      string   `json:"message"`
	Snippet  string   `json:"snippet,omitempty"` // the source line with a caret under the column
}

// String renders "file:line:col: severity code: message" and the snippet.
func (d Diagnostic) String() string {
	var b strings.Builder
	b.WriteString(d.File)
	if d.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", d.Line, d.Column)
	}
	fmt.Fprintf(&b, ": %s %s: %s", d.Severity, d.Code, d.Msg)
	if d.Snippet != "" {
		b.WriteString("\n")
		b.WriteString(d.Snippet)
	}
	return b.String()
}

// Diagnostics is a list of problems.
type Diagnostics []Diagnostic

// HasErrors reports whether any diagnostic is an error.
func (ds Diagnostics) HasErrors() bool {
	for _, d := range ds {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

// Errors returns only the errors.
func (ds Diagnostics) Errors() Diagnostics {
	var out Diagnostics
	for _, d := range ds {
		if d.Severity == Error {
			out = append(out, d)
		}
	}
	return out
}

// Sort orders diagnostics by file, line, column and code.
func (ds Diagnostics) Sort() {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		return a.Code < b.Code
	})
}

// Error implements error: the diagnostics, one per line.
func (ds Diagnostics) Error() string {
	parts := make([]string, len(ds))
	for i, d := range ds {
		parts[i] = d.String()
	}
	return strings.Join(parts, "\n")
}

// snippet renders a source line with a caret under a 1-based rune column.
func snippet(line string, col int) string {
	if col < 1 {
		col = 1
	}
	runes := []rune(line)
	if len(runes) > 160 {
		start := max(0, col-80)
		end := min(len(runes), start+160)
		runes = runes[start:end]
		col -= start
	}
	pad := make([]rune, 0, col)
	for i := 0; i < col-1 && i < len(runes); i++ {
		if runes[i] == '\t' {
			pad = append(pad, '\t')
		} else if runes[i] > 0x2e7f { // wide characters take two cells
			pad = append(pad, ' ', ' ')
		} else {
			pad = append(pad, ' ')
		}
	}
	return " | " + string(runes) + "\n | " + string(pad) + "^"
}
