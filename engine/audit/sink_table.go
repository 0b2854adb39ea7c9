package audit

import (
	"fmt"
	"strconv"
	"strings"

	"entitle/engine"
	"entitle/engine/money"
)

// Tabular reports (CSV, Excel) share these columns. Headers are Chinese by
// default, English with lang "en".

var findingHeader = [][2]string{
	{"类别", "class"}, {"问题", "finding"}, {"记录序号", "record"}, {"位置", "ref"}, {"户编号", "household"},
	{"行政区划代码", "jurisdiction"}, {"成员编号", "member"}, {"身份证号", "citizen_id"}, {"待遇代码", "benefit"},
	{"待遇", "benefit_name"}, {"认定结果", "status"}, {"给予方式", "modality"}, {"应发月额", "expected"}, {"实发月额", "paid"},
	{"差额", "difference"}, {"应止月份", "expected_end"}, {"实止月份", "paid_end"}, {"用到示例参数", "example_values"},
	{"规则", "rules"}, {"政策依据", "citations"}, {"不符合的理由", "reasons"}, {"缺少的信息", "missing"},
	{"记录问题", "problems"}, {"另见", "others"}, {"说明", "detail"},
}

func header(cols [][2]string, lang string) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		if lang == "en" {
			out[i] = c[1]
		} else {
			out[i] = c[0]
		}
	}
	return out
}

// yuan writes an amount, or nothing when there is none.
func yuan(f *money.Fen) string {
	if f == nil {
		return ""
	}
	return f.Yuan()
}

func (a *tableNames) findingRow(f *Finding, lang string) []string {
	zh := lang != "en"
	pick := func(zhs, ens string) string {
		if zh {
			return zhs
		}
		return ens
	}
	var cites, reasons, problems, others []string
	for _, c := range f.Citations {
		cites = append(cites, fmt.Sprintf("《%s》%s“%s”", c.Title, c.Section, c.Quote))
	}
	for _, r := range f.Reasons {
		// a condition not met, or an exception that applies
		label := pick(r.Label.Zh, r.Label.En)
		if r.Effect == "deny" {
			label = pick("属于例外情形：", "exception applies: ") + label
		}
		reasons = append(reasons, label)
	}
	var missing []string
	for _, m := range f.Missing {
		if l, ok := engine.FieldLabel(m); ok {
			m = pick(l.Zh+"（"+m+"）", l.En+" ("+m+")")
		}
		missing = append(missing, m)
	}
	for _, p := range f.Problems {
		s := p.In(lang)
		if w := p.Words(); zh && w != "" {
			s += "（" + w + "）"
		}
		problems = append(problems, s)
	}
	for _, o := range f.Others {
		others = append(others, o.text(zh))
	}
	example := ""
	if f.ExampleValues {
		example = pick("是", "yes")
	}
	benefitName := ""
	if f.Benefit != "" {
		n := a.benefit(f.Benefit)
		benefitName = pick(n.Zh, n.En)
	}
	name := ClassName(f.Class)
	return []string{
		string(f.Class), pick(name.Zh, name.En), strconv.Itoa(f.Record), f.Ref, f.Household, f.Jurisdiction, f.Member, f.CitizenID,
		benefitCodes(f), benefitName, string(f.Status), string(f.Modality),
		yuan(f.Expected), yuan(f.Paid), yuan(f.Difference),
		f.ExpectedEnd, f.PaidEnd, example, strings.Join(f.Rules, "; "), strings.Join(cites, "\n"),
		strings.Join(reasons, "; "), strings.Join(missing, "; "), strings.Join(problems, "\n"), strings.Join(others, "; "),
		pick(f.Detail.Zh, f.Detail.En),
	}
}

// benefitCodes is the finding's benefit, or the benefits paid together.
func benefitCodes(f *Finding) string {
	if len(f.Benefits) > 0 {
		return strings.Join(f.Benefits, "+")
	}
	return f.Benefit
}

var summaryHeader = [][2]string{
	{"行政区划代码", "jurisdiction"}, {"行政区划", "jurisdiction_name"}, {"待遇代码", "benefit"}, {"待遇", "benefit_name"},
	{"符合条件人（户）数", "eligible"}, {"其中已发放", "eligible_paid"}, {"其中应当给予", "eligible_shall"},
	{"在发放", "paid"}, {"经核符合", "paid_due"}, {"覆盖率(%)", "coverage_percent"}, {"规划目标", "target"}, {"是否达标", "target_met"},
}

var summaryTail = [][2]string{
	{"多发月额", "overpaid_monthly"}, {"少发月额", "underpaid_monthly"}, {"少发但金额未知", "underpaid_unknown_amounts"},
}

func summaryColumns() [][2]string {
	cols := append([][2]string{}, summaryHeader...)
	for _, c := range Classes {
		cols = append(cols, [2]string{c.Name.Zh, string(c.Class)})
	}
	return append(cols, summaryTail...)
}

func summaryRow(c *Cell, lang string) []string {
	zh := lang != "en"
	pick := func(t [2]string) string {
		if zh {
			return t[0]
		}
		return t[1]
	}
	coverage, target, met := "", "", ""
	if c.Coverage != nil {
		coverage = strconv.FormatFloat(*c.Coverage, 'f', 2, 64)
	}
	if c.Target != nil {
		target = fmt.Sprintf("%s %g%%", c.Target.Op, c.Target.Percent)
	}
	if c.TargetMet != nil {
		met = pick(map[bool][2]string{true: {"是", "yes"}, false: {"否", "no"}}[*c.TargetMet])
	}
	row := []string{c.Jurisdiction, pick([2]string{c.Name.Zh, c.Name.En}), c.Benefit, pick([2]string{c.BenefitName.Zh, c.BenefitName.En}),
		strconv.Itoa(c.Eligible), strconv.Itoa(c.EligiblePaid), strconv.Itoa(c.EligibleShall), strconv.Itoa(c.Paid), strconv.Itoa(c.PaidDue),
		coverage, target, met}
	for _, x := range Classes {
		row = append(row, strconv.Itoa(c.Findings[x.Class]))
	}
	return append(row, c.Overpaid.Yuan(), c.Underpaid.Yuan(), strconv.Itoa(c.UnderpaidUnknown))
}

// reconciliationRows is the reconciliation as label/value pairs.
func reconciliationRows(r *Report, lang string) [][]string {
	zh := lang != "en"
	rec := &r.Reconciliation
	rows := [][3]string{
		{"评估日期", "as of", r.AsOf},
		{"规则包", "rule pack", r.RulePack.ID + " " + r.RulePack.Version + " " + r.RulePack.Hash},
		{"核查的待遇", "benefits audited", strings.Join(r.Benefits, ", ")},
		{"读入记录（户）", "records read", strconv.Itoa(rec.Records)},
		{"已认定", "evaluated", strconv.Itoa(rec.Evaluated)},
		{"无效记录", "invalid", strconv.Itoa(rec.Invalid)},
		{"账目平衡（读入 = 已认定 + 无效）", "balanced (read = evaluated + invalid)", strconv.FormatBool(rec.Balanced)},
		{"发放记录", "payments", strconv.Itoa(rec.Payments)},
		{"其中核查", "of which checked", strconv.Itoa(rec.PaymentsChecked)},
		{"其中非当月发放", "of which not current", strconv.Itoa(rec.PaymentsNotCurrent)},
		{"其中属于无效记录", "of which in invalid records", strconv.Itoa(rec.PaymentsInInvalid)},
		{"因示例参数未比对金额", "amounts not compared (example parameters)", strconv.Itoa(rec.AmountsNotChecked)},
		{"已评估户的成员", "members of records evaluated", strconv.Itoa(rec.Members)},
		{"其中无身份证号", "of which without citizen ID", strconv.Itoa(rec.MembersWithoutID)},
		{"无效记录中的成员", "members in invalid records", strconv.Itoa(rec.MembersInInvalid)},
		{"问题总数", "findings", strconv.Itoa(rec.TotalFindings)},
	}
	if rec.MemberRows > 0 || rec.PaymentRows > 0 {
		rows = append(rows, [3]string{"成员表行数", "member rows", strconv.Itoa(rec.MemberRows)},
			[3]string{"发放表行数", "payment rows", strconv.Itoa(rec.PaymentRows)})
	}
	for _, c := range rec.IgnoredColumns {
		rows = append(rows, [3]string{"未读取的列（--ignore-columns）", "column left unread (--ignore-columns)", c.String()})
	}
	for _, e := range rec.Encodings {
		how, howEn := "按 GB18030（GBK）编码读取的文件", "file read as GB18030 (GBK)"
		if e.Detected {
			how, howEn = how+"（自动识别）", howEn+" (detected)"
		}
		rows = append(rows, [3]string{how, howEn, e.Table})
	}
	for _, c := range Classes {
		rows = append(rows, [3]string{"  " + c.Name.Zh, "  " + c.Name.En, strconv.Itoa(rec.Findings[c.Class])})
	}
	out := make([][]string, len(rows))
	for i, r := range rows {
		if zh {
			out[i] = []string{r[0], r[2]}
		} else {
			out[i] = []string{r[1], r[2]}
		}
	}
	return out
}
