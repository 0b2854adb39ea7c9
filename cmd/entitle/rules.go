package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"entitle/engine/facts"
	"entitle/engine/household"
	"entitle/engine/httpapi"
	"entitle/engine/report"
	"entitle/engine/rulepack"
)

func init() {
	register(verb{name: "rules", summaryZh: "列出待遇和规则及其政策依据（--jurisdiction 代码）", summary: "list benefits and rules with their citations (--jurisdiction CODE)", run: runRules})
}

// ruleOut is the JSON form of a rule for `entitle rules --format json`.
type ruleOut struct {
	ID           string            `json:"id"`
	Benefit      string            `json:"benefit"`
	Jurisdiction string            `json:"jurisdiction"`
	Modality     rulepack.Modality `json:"modality"`
	Effect       rulepack.Effect   `json:"effect"`
	Scope        string            `json:"scope"`
	Effective    rulepack.Window   `json:"effective"`
	PlanPeriod   *rulepack.Window  `json:"plan_period,omitempty"`
	// Starts is the first day the rule applies (YYYY-MM-DD), or only the
	// year (YYYY) when its documents give no date.
	Starts     string              `json:"starts,omitempty"`
	Extends    string              `json:"extends,omitempty"`
	Overrides  []string            `json:"overrides,omitempty"`
	Conditions []conditionOut      `json:"conditions"`
	Amount     string              `json:"amount,omitempty"`
	Citations  []rulepack.Citation `json:"citations"`
	Remarks    *rulepack.Text      `json:"remarks,omitempty"`
	Notes      string              `json:"notes,omitempty"`
	File       string              `json:"file"`
	Line       int                 `json:"line"`
}

type conditionOut struct {
	ID    string        `json:"id"`
	Label rulepack.Text `json:"label"`
	Expr  string        `json:"expr"`
	From  string        `json:"from_rule"`
}

func ruleJSON(r *rulepack.Rule) ruleOut {
	o := ruleOut{ID: r.ID, Benefit: r.Benefit, Jurisdiction: r.Jurisdiction, Modality: r.Modality, Effect: r.Effect,
		Scope: r.Scope.String(), Effective: r.Effective, PlanPeriod: r.PlanPeriod, Starts: r.StartsText(), Extends: r.Extends, Overrides: r.Overrides,
		Citations: r.AllCitations, Remarks: r.Remarks, Notes: r.Notes, File: r.File, Line: r.Line, Conditions: []conditionOut{}}
	for _, c := range r.AllConditions {
		o.Conditions = append(o.Conditions, conditionOut{ID: c.ID, Label: c.Label, Expr: strings.Join(strings.Fields(c.Expr.Src), " "), From: c.Rule})
	}
	if r.Amount != nil {
		o.Amount = strings.Join(strings.Fields(r.Amount.Expr.Src), " ")
	}
	return o
}

func runRules(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("rules", flag.ContinueOnError)
	flags.SetOutput(stderr)
	rulesDir := flags.String("rules", "", rulesUsage)
	jur := flags.String("jurisdiction", "", both("只列适用于此行政区划（GB/T 2260 代码或名称）的规则（全国及本地）", "only rules that apply in this jurisdiction, by GB/T 2260 code or name (national and local)"))
	benefit := flags.String("benefit", "", both("只列此待遇代码的规则", "only rules for this benefit code"))
	lang := flags.String("lang", "zh", both("语言：zh 或 en", "language: zh or en"))
	format := flags.String("format", "text", formatUsage)
	coverage := flags.Bool("coverage", false, both("列出待遇 × 地区矩阵：已编码、文件未规定或未纳入（附原因）", "print the benefit × jurisdiction matrix: encoded, not in the document, or left out (with the reason)"))
	indicators := flags.Bool("indicators", false, both("列出各地规划的指标（覆盖率、参保率）及其出处", "print the targets of each jurisdiction's plan (coverage and participation rates), with their sources"))
	setUsage(flags, stderr, `用法：entitle rules [选项] [规则编号...]

列出各项待遇和其背后的规则，附政策依据。给出规则编号（如结果、核对报告
所列的 141081.dibao_raise.severe_in_difficulty），则逐条完整列出：条件、
金额、依据条款及其在文件中的上下文、说明；编号的前段（141081.dibao_raise）
列出其下各条规则。`, `Usage: entitle rules [flags] [RULE_ID...]

Lists the benefits and the rules behind them, with their citations. Given
rule ids (as results and audit reports name them, such as
141081.dibao_raise.severe_in_difficulty), shows each rule in full: its
conditions, amount, the clauses it cites with the text around them in the
document, and its notes; the first parts of an id (141081.dibao_raise) show
every rule under them.`)
	if !parseArgs(flags, args, 0, -1) || !langOK("rules", *lang, stderr) || !formatOK("rules", *format, stderr) {
		return exitUsage
	}
	if flags.NArg() > 0 && (*jur != "" || *benefit != "" || *coverage || *indicators) {
		return misused(stderr, "rules", "给出规则编号时不能再用 --jurisdiction、--benefit、--coverage 或 --indicators",
			"rule ids cannot be given with --jurisdiction, --benefit, --coverage or --indicators")
	}
	eng, ok := loadEngine(*rulesDir, stderr)
	if !ok {
		return exitRuleErr
	}
	p := eng.Pack()
	if flags.NArg() > 0 {
		return printRuleDetails(p, flags.Args(), *lang, *format, stdout, stderr)
	}
	var where *rulepack.Jurisdiction // the jurisdiction --jurisdiction names
	asked := *jur
	if *jur != "" {
		j, ok := p.ResolveJurisdiction(*jur)
		if !ok {
			known := knownJurisdictions(p)
			return misused(stderr, "rules", fmt.Sprintf("规则包中没有行政区划 %q（已有：%s）", *jur, known), fmt.Sprintf("jurisdiction %q is not in the pack (known: %s)", *jur, known))
		}
		where = j
		*jur = j.Code // --jurisdiction 临清市 is 371581; 150781 is in 150700
	}
	if *benefit != "" {
		if _, ok := p.Benefit(*benefit); !ok {
			return misused(stderr, "rules", fmt.Sprintf("没有待遇代码 %q", *benefit), fmt.Sprintf("unknown benefit code %q", *benefit))
		}
	}
	if *coverage {
		return printCoverage(p, *lang, *format, *jur, stdout, stderr)
	}
	if *indicators {
		return printIndicators(p, *lang, *format, *jur, stdout)
	}
	selected := func(b *rulepack.Benefit) []*rulepack.Rule {
		if *benefit != "" && b.Code != *benefit {
			return nil
		}
		if *jur != "" {
			return p.RulesFor(*jur, b.Code)
		}
		var out []*rulepack.Rule
		for _, r := range p.Rules {
			if r.Benefit == b.Code {
				out = append(out, r)
			}
		}
		return out
	}
	if *format == "json" {
		// A benefit as GET /v1/benefits describes it, with its rules.
		type benefitOut struct {
			httpapi.BenefitOut
			Rules []ruleOut `json:"rules"`
		}
		var out []benefitOut
		for _, b := range p.Benefits {
			rs := selected(b)
			if len(rs) == 0 {
				continue
			}
			bo := benefitOut{BenefitOut: httpapi.NewBenefitOut(b)}
			for _, r := range rs {
				bo.Rules = append(bo.Rules, ruleJSON(r))
			}
			out = append(out, bo)
		}
		doc := map[string]any{"pack": p.Meta, "benefits": out}
		if where != nil {
			doc["jurisdiction"] = where
		}
		writeJSON(stdout, doc)
		return exitOK
	}
	w := listingWords[*lang]
	fmt.Fprintf(stdout, "%s %s%s%s%s\n", p.Meta.ID, p.Meta.Version, w.open, p.Meta.Hash, w.shut)
	if where != nil {
		fmt.Fprintln(stdout, w.jurisdictionLine(where, asked, *lang))
	}
	for _, b := range p.Benefits {
		rs := selected(b)
		if len(rs) == 0 {
			continue
		}
		link := ""
		if to, ok := p.Benefit(b.PaidAs); ok {
			link = fmt.Sprintf(w.paidAs, to.Name.In(*lang))
		}
		if to, ok := p.Benefit(b.SeparateClaimTo); ok {
			link += fmt.Sprintf(w.separateClaim, to.Name.In(*lang))
		}
		fmt.Fprintf(stdout, "\n■ %s %s%s%s%s%s\n", b.Name.In(*lang), b.Code, w.open, w.scope[b.Scope], link, w.shut)
		for _, r := range rs {
			kind := report.RuleKind(*lang, string(r.Effect), string(r.Modality))
			if r.Scope != b.Scope {
				// A rule may decide per member for a household benefit
				// (侯马's raise is per severely disabled person).
				kind += w.ruleScope[r.Scope]
			}
			dates := w.starts(r)
			rel := ""
			if r.Extends != "" {
				rel = " " + w.extends + r.Extends
			}
			if len(r.Overrides) > 0 {
				rel += " " + w.overrides + strings.Join(r.Overrides, ", ")
			}
			fmt.Fprintf(stdout, "  %s  [%s]%s%s\n", r.ID, kind, dates, rel)
			for _, c := range r.AllConditions {
				fmt.Fprintf(stdout, "    · %s  (%s)\n", c.Label.In(*lang), strings.Join(strings.Fields(c.Expr.Src), " "))
			}
			for _, c := range r.Citations {
				doc, _ := p.Document(c.Doc)
				title := c.Doc
				if doc != nil {
					title = doc.Title
				}
				prov := ""
				if c.Provenance == "secondary" {
					prov = w.secondary
				}
				fmt.Fprintf(stdout, "    《%s》%s%s\n      “%s”\n", title, c.Section, prov, c.Quote)
			}
		}
	}
	return exitOK
}

// listingWordSet is one language's words for the rules listing; a rule's
// kind is report.RuleKind's, as the trace of entitle check shows it.
type listingWordSet struct {
	scope, ruleScope                   map[facts.Scope]string
	paidAs, separateClaim              string // the benefit's link to another (benefits.yaml)
	extends, overrides, from, fromYear string
	secondary, open, shut              string
	jurisdiction, within               string // the line naming --jurisdiction's area
}

// listingWords are the words of the rules listing in each language.
var listingWords = map[string]listingWordSet{
	"zh": {
		scope:     map[facts.Scope]string{facts.Household: "全户", facts.Member: "成员"},
		ruleScope: map[facts.Scope]string{facts.Household: "，按全户认定", facts.Member: "，按成员逐人认定"},
		paidAs:    "；按“%s”发放", separateClaim: "；单独申请“%s”",
		extends: "继承 ", overrides: "优先于 ", from: " %s起", fromYear: " %s年起（文件未载明日期，不早于该年）",
		secondary: " [二手来源]", open: "（", shut: "）",
		jurisdiction: "行政区划：%s %s（全国规则及本地规则）", within: "行政区划：%s 在 %s %s 辖区内，适用其规则（全国规则及本地规则）",
	},
	"en": {
		scope:     map[facts.Scope]string{facts.Household: "household", facts.Member: "member"},
		ruleScope: map[facts.Scope]string{facts.Household: ", decided for the household", facts.Member: ", decided per member"},
		paidAs:    "; paid as “%s”", separateClaim: "; claims “%s” alone",
		extends: "extends ", overrides: "overrides ", from: " from %s", fromYear: " from %s (the document gives no date; not before that year)",
		secondary: " [secondary source]", open: " (", shut: ")",
		jurisdiction: "Jurisdiction: %s %s (national and local rules)", within: "Jurisdiction: %s lies in %s %s, whose rules apply (national and local rules)",
	},
}

// starts words the day a rule starts (" 2021-01-01起", or the year alone
// when its documents give no date), as the listing and a rule in full show
// it; "" when the texts give neither.
func (w listingWordSet) starts(r *rulepack.Rule) string {
	from := r.StartsText()
	if from == "" {
		return ""
	}
	format := w.from
	if _, yearOnly := r.Start(); yearOnly {
		format = w.fromYear
	}
	return fmt.Sprintf(format, from)
}

// jurisdictionLine names the jurisdiction whose rules a listing shows, and
// says so when the code asked for lies inside it (150781 in 150700).
func (w listingWordSet) jurisdictionLine(j *rulepack.Jurisdiction, asked, lang string) string {
	if asked != j.Code && household.IsAreaCode(asked) {
		return fmt.Sprintf(w.within, asked, j.Code, j.Name.In(lang))
	}
	return fmt.Sprintf(w.jurisdiction, j.Code, j.Name.In(lang))
}

func knownJurisdictions(p *rulepack.Pack) string {
	var codes []string
	for _, j := range p.Jurisdictions {
		codes = append(codes, j.Code+" "+j.Name.Zh)
	}
	return strings.Join(codes, ", ")
}

// printCoverage prints the benefit × jurisdiction matrix and the reasons
// behind every cell without rules.
func printCoverage(p *rulepack.Pack, lang, format, jur string, stdout, stderr io.Writer) int {
	rows := p.Coverage()
	if rows == nil {
		fmt.Fprintln(stderr, "entitle rules: this pack has no coverage.yaml")
		return exitFailed
	}
	if format == "json" {
		writeJSON(stdout, map[string]any{"pack": p.Meta, "jurisdictions": p.Jurisdictions, "coverage": rows})
		return exitOK
	}
	en := lang == "en"
	legend := "✔n 已编码（n 条本地规则） · — 文件中没有该条款 · ✎ 文件有条款但有意未编码 · * 政策目录列出的条款"
	if en {
		legend = "✔n encoded (n local rules) · — not in the document · ✎ clause left out on purpose · * named by the policy catalogue"
	}
	fmt.Fprintln(stdout, legend)
	fmt.Fprintf(stdout, "\n%-38s", "")
	for _, j := range p.Jurisdictions {
		if jur == "" || jur == j.Code {
			fmt.Fprintf(stdout, "%-9s", j.Code)
		}
	}
	fmt.Fprintln(stdout)
	var notes []string
	for _, r := range rows {
		fmt.Fprintf(stdout, "%-38s", r.Benefit)
		for _, c := range r.Cells {
			if jur != "" && jur != c.Jurisdiction {
				continue
			}
			mark := "—"
			switch c.Status {
			case rulepack.CellEncoded:
				mark = fmt.Sprintf("✔%d", len(c.Rules))
				if len(c.Excused) > 0 {
					mark += "✎"
				}
			case rulepack.CellExcused:
				mark = "✎"
			}
			if c.InCatalogue {
				mark += "*"
			}
			fmt.Fprintf(stdout, "%-9s", mark)
			where := fmt.Sprintf("%s × %s", r.Benefit, c.Jurisdiction)
			if c.Status == rulepack.CellAbsent {
				text, national := "文件中没有该条款", "；适用全国规则："
				if en {
					text, national = "not in the document", "; national: "
				}
				if len(c.National) > 0 {
					text += national + strings.Join(c.National, ", ")
				}
				if note := c.NoteIn(lang); note != "" {
					text += " — " + note
				}
				notes = append(notes, where+": "+text)
			}
			leftOut := "有意未编码"
			if en {
				leftOut = "left out"
			}
			for _, x := range c.Excused {
				title := x.Doc
				if d, ok := p.Document(x.Doc); ok {
					title = d.Title
				}
				notes = append(notes, fmt.Sprintf("%s: %s 《%s》%s “%s” — %s", where, leftOut, title, x.Section, x.Quote, x.ReasonIn(lang)))
			}
		}
		fmt.Fprintln(stdout)
	}
	fmt.Fprintln(stdout)
	for _, n := range notes {
		fmt.Fprintln(stdout, n)
	}
	return exitOK
}

// printIndicators prints each jurisdiction's plan targets with their sources.
func printIndicators(p *rulepack.Pack, lang, format, jur string, stdout io.Writer) int {
	type jurOut struct {
		Jurisdiction string                `json:"jurisdiction"`
		Name         rulepack.Text         `json:"name"`
		Indicators   []*rulepack.Indicator `json:"indicators"`
	}
	var out []jurOut
	for _, j := range p.Jurisdictions {
		if jur != "" && jur != j.Code {
			continue
		}
		ind := p.Indicators(j.Code)
		if ind == nil {
			ind = []*rulepack.Indicator{}
		}
		out = append(out, jurOut{j.Code, j.Name, ind})
	}
	if format == "json" {
		writeJSON(stdout, map[string]any{"pack": p.Meta, "indicators": out})
		return exitOK
	}
	en := lang == "en"
	for i, j := range out {
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		name := j.Name.Zh
		if en {
			name = j.Name.En
		}
		fmt.Fprintf(stdout, "%s %s\n", j.Jurisdiction, name)
		if len(j.Indicators) == 0 {
			fmt.Fprintln(stdout, map[bool]string{false: "  （规划没有量化指标）", true: "  (the plan sets no quantified targets)"}[en])
		}
		for _, x := range j.Indicators {
			label, kind := x.Name.Zh, map[bool]string{true: "约束性", false: "预期性"}[x.Binding]
			if en {
				label, kind = x.Name.En, map[bool]string{true: "binding", false: "expected"}[x.Binding]
			}
			what := x.Benefit
			if x.Measure == "participation" {
				what = x.Fact
			}
			by := ""
			if x.By != nil {
				by = " " + x.By.Format("2006-01-02")
			}
			fmt.Fprintf(stdout, "  %s %s %g%% (%s%s) — %s [%s]\n", label, x.Op, x.Percent, kind, by, what, x.ID)
			title := x.Source.Doc
			if d, ok := p.Document(x.Source.Doc); ok {
				title = d.Title
			}
			fmt.Fprintf(stdout, "      《%s》%s “%s”\n", title, x.Source.Section, x.Source.Quote)
			if x.Note != "" {
				fmt.Fprintf(stdout, "      %s\n", x.Note)
			}
		}
	}
	return exitOK
}

// rulesNamed finds the rules an argument of entitle rules names: the rule
// with that id, or else every rule whose id begins with it and a dot
// (141081.dibao_raise), in the pack's order.
func rulesNamed(p *rulepack.Pack, id string) []*rulepack.Rule {
	if r, ok := p.Rule(id); ok {
		return []*rulepack.Rule{r}
	}
	var out []*rulepack.Rule
	prefix := strings.TrimSuffix(id, ".") + "."
	for _, r := range p.Rules {
		if strings.HasPrefix(r.ID, prefix) {
			out = append(out, r)
		}
	}
	return out
}

// nearRuleIDs lists, for an id no rule has, the ids that share the longest
// run of its first parts (141081.dibao_raise for 141081.dibao_raise.x),
// at most eight.
func nearRuleIDs(p *rulepack.Pack, id string) []string {
	parts := strings.Split(id, ".")
	for n := len(parts) - 1; n > 0; n-- {
		prefix := strings.Join(parts[:n], ".") + "."
		var ids []string
		for _, r := range p.Rules {
			if strings.HasPrefix(r.ID, prefix) {
				ids = append(ids, r.ID)
			}
		}
		if len(ids) > 0 {
			return ids[:min(len(ids), 8)]
		}
	}
	return nil
}

// printRuleDetails shows the rules the arguments name in full, as GET
// /v1/rules/{id} gives them: with --format json, {"pack", "rules"}.
func printRuleDetails(p *rulepack.Pack, ids []string, lang, format string, stdout, stderr io.Writer) int {
	var rules []*rulepack.Rule
	seen := map[string]bool{}
	for _, id := range ids {
		rs := rulesNamed(p, id)
		if len(rs) == 0 {
			zh, en := fmt.Sprintf("没有规则 %q", id), fmt.Sprintf("no rule %q", id)
			if near := nearRuleIDs(p, id); len(near) > 0 {
				zh += "（相近的有：" + strings.Join(near, "、") + "）"
				en += " (rules near it: " + strings.Join(near, ", ") + ")"
			}
			return misused(stderr, "rules", zh, en)
		}
		for _, r := range rs {
			if !seen[r.ID] {
				seen[r.ID] = true
				rules = append(rules, r)
			}
		}
	}
	if format == "json" {
		out := make([]httpapi.RuleOut, len(rules))
		for i, r := range rules {
			out[i] = httpapi.NewRuleOut(p, r, httpapi.RuleContext)
		}
		writeJSON(stdout, map[string]any{"pack": p.Meta, "rules": out})
		return exitOK
	}
	w, d := listingWords[lang], detailWords[lang]
	fmt.Fprintf(stdout, "%s %s%s%s%s\n", p.Meta.ID, p.Meta.Version, w.open, p.Meta.Hash, w.shut)
	for _, r := range rules {
		o := httpapi.NewRuleOut(p, r, httpapi.RuleContext)
		fmt.Fprintf(stdout, "\n■ %s\n", r.ID)
		benefit := r.Benefit
		if b, ok := p.Benefit(r.Benefit); ok {
			benefit = b.Name.In(lang) + " " + b.Code + w.open + w.scope[b.Scope]
			if r.Scope != b.Scope {
				benefit += w.ruleScope[r.Scope]
			}
			benefit += w.shut
		}
		fmt.Fprintf(stdout, "  %s%s\n", d.benefit, benefit)
		where := r.Jurisdiction
		if j, ok := p.ResolveJurisdiction(r.Jurisdiction); ok && j.Code == r.Jurisdiction {
			where += " " + j.Name.In(lang)
		} else if r.Jurisdiction == "national" {
			where = d.national
		}
		fmt.Fprintf(stdout, "  %s%s\n", d.jurisdiction, where)
		fmt.Fprintf(stdout, "  %s%s\n", d.kind, report.RuleKind(lang, string(r.Effect), string(r.Modality)))
		switch {
		case o.Ends != "":
			fmt.Fprintf(stdout, "  %s%s%s%s\n", d.dates, o.Starts, d.to, o.Ends)
		case o.Starts != "":
			fmt.Fprintf(stdout, "  %s%s\n", d.dates, strings.TrimSpace(w.starts(r)))
		}
		if r.Extends != "" {
			fmt.Fprintf(stdout, "  %s%s\n", w.extends, r.Extends)
		}
		if len(r.Overrides) > 0 {
			fmt.Fprintf(stdout, "  %s%s\n", w.overrides, strings.Join(r.Overrides, ", "))
		}
		if len(r.AllConditions) > 0 {
			fmt.Fprintf(stdout, "  %s\n", d.conditions)
		}
		for _, c := range r.AllConditions {
			from := ""
			if c.Rule != r.ID {
				from = w.open + d.from + c.Rule + w.shut
			}
			fmt.Fprintf(stdout, "    · %s  %s%s\n        %s\n", c.ID, c.Label.In(lang), from, strings.Join(strings.Fields(c.Expr.Src), " "))
		}
		if r.Amount != nil {
			fmt.Fprintf(stdout, "  %s%s\n", d.amount, strings.Join(strings.Fields(r.Amount.Expr.Src), " "))
		}
		fmt.Fprintf(stdout, "  %s\n", d.citations)
		for _, c := range o.Citations {
			prov := ""
			if c.Provenance == "secondary" {
				prov = w.secondary
			}
			number := ""
			if c.Number != "" {
				number = "（" + c.Number + "）"
			}
			fmt.Fprintf(stdout, "    《%s》%s %s%s\n", c.Title, number, c.Section, prov)
			before, after := c.SentenceBefore, c.SentenceAfter
			fmt.Fprintf(stdout, "      %s【%s】%s\n", before, c.Quote, after)
		}
		if r.Remarks != nil {
			fmt.Fprintf(stdout, "  %s%s\n", d.remarks, r.Remarks.In(lang))
		}
		if r.Notes != "" {
			fmt.Fprintf(stdout, "  %s%s\n", d.notes, strings.Join(strings.Fields(r.Notes), " "))
		}
		fmt.Fprintf(stdout, "  %s%s:%d\n", d.file, r.File, r.Line)
	}
	return exitOK
}

// detailWords are the headings of a rule shown in full, in each language.
var detailWords = map[string]struct {
	benefit, jurisdiction, national, kind, dates, to, conditions, from, amount, citations, remarks, notes, file string
}{
	"zh": {benefit: "待遇：", jurisdiction: "地区：", national: "全国", kind: "性质：", dates: "施行：", to: " 至 ",
		conditions: "条件（全部满足时成立）：", from: "继承自 ", amount: "金额：", citations: "依据（【】内为引文，前后为其所在句的原文）：",
		remarks: "提示：", notes: "说明：", file: "规则文件："},
	"en": {benefit: "Benefit: ", jurisdiction: "Jurisdiction: ", national: "national", kind: "Kind: ", dates: "In force: ", to: " to ",
		conditions: "Conditions (the rule holds when all do):", from: "from ", amount: "Amount: ", citations: "Cites (the quote in 【】, in the sentence of the document it stands in):",
		remarks: "Remarks: ", notes: "Notes: ", file: "Rule file: "},
}
