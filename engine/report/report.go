// Package report renders evaluation results as text a caseworker reads:
// Chinese by default, English on request, every outcome with the sentence of
// policy it rests on.
package report

import (
	"cmp"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"entitle/engine"
	"entitle/engine/household"
	"entitle/engine/money"
	"entitle/engine/rulepack"
)

// Options tune the text.
type Options struct {
	// Lang is "zh" (default) or "en".
	Lang string
	// Explain adds the condition-by-condition trace of each determination.
	Explain bool
	// Names maps member ids to names, shown beside the id.
	Names map[string]string
	// Pack is the rule pack the result was made with. It names the example
	// values (城市低保标准 for dibao_standard_urban); without it the report
	// shows their codes.
	Pack *rulepack.Pack
}

// NamesOf collects the member names of a household for Options.Names.
func NamesOf(h *household.Household) map[string]string {
	m := map[string]string{}
	for _, mem := range h.Members {
		if mem.Name != "" {
			m[mem.ID] = mem.Name
		}
	}
	return m
}

type words struct {
	household, noID, asOf, pack, example, codes, derived, results, summary      string
	period, basis, reasons, missing, notes, amount, errors, trace, unknown, yes string
	no, notMet, applies, required, actual, to, ruleHolds, member, whole         string
	perMonth, perYear, once, warnings, notInForce, overridden                   string
	colon, lp, rp, dash, sep                                                    string
	// list joins the items of a list value, none names an empty one, and
	// oneOf says the operator "in".
	list, none, oneOf string
	// status and modality name a determination's status and modality.
	status   map[engine.Status]string
	modality map[rulepack.Modality]string
	// ruleModality, deny and caveat name a rule's kind in the trace, as
	// `entitle rules` lists it; outcomes name a rule's value there.
	ruleModality map[string]string
	deny, caveat string
	comma        string
	outcomes     map[string]string
	// notDetermined heads the benefits without a determination, items
	// counts them, and why names engine.NotDeterminedCodes.
	notDetermined, items string
	why                  map[string]string
	// checklist heads the household's questions (engine.Result.Checklist),
	// and concerns lists the benefits each one helps settle.
	checklist, concerns string
}

var zh = words{
	household: "户", noID: "（未编号）", asOf: "评估日期", pack: "规则包", example: "注意：本结果用到示例参数或示例定义：%s。它们不是当地公布的标准，金额和门槛仅作演示，须替换后再据以办理。", codes: "（参数代码：%s）",
	derived: "派生事实", results: "认定结果", summary: "符合 %d 项 · 不符合 %d 项 · 待补充信息 %d 项",
	status:   map[engine.Status]string{engine.Eligible: "符合", engine.Ineligible: "不符合", engine.Undetermined: "待补充信息"},
	modality: map[rulepack.Modality]string{rulepack.Shall: "应当给予", rulepack.May: "可以给予，由经办机构酌定", rulepack.Planned: "规划目标，待实施后可能符合"},
	period:   "期间", basis: "依据", reasons: "理由", missing: "需补充", notes: "提示", amount: "金额", errors: "规则错误",
	trace: "逐条核对", unknown: "未知", yes: "是", no: "否", notMet: "未满足", applies: "属于例外情形",
	required: "要求", actual: "实际", to: "至", ruleHolds: "规则", member: "成员", whole: "全户",
	perMonth: "元/月", perYear: "元/年", once: "元（一次性）", warnings: "记录提示", notInForce: "不在有效期内", overridden: "被 %s 取代",
	colon: "：", lp: "（", rp: "）", dash: " —— ", sep: "；", list: "、", none: "无", oneOf: "属于",
	ruleModality: map[string]string{"shall": "应当给予", "may": "可以给予", "planned": "规划目标"},
	deny:         "排除（例外情形）", caveat: "提示", comma: "，",
	outcomes:      map[string]string{"true": "成立", "false": "不成立", "unknown": "待定（缺少事实）", "error": "出错"},
	notDetermined: "未作认定的待遇", items: " 项",
	why: map[string]string{engine.NotDeterminedNoClause: "当地文件无此条款", engine.NotDeterminedLeftOut: "有相关条款，未作为待遇认定",
		engine.NotDeterminedNotInForce: "评估日期不在规则有效期内", engine.NotDeterminedNoSubject: "家庭中没有此项待遇的对象"},
	checklist: "需向申请人询问（%d 项，涉及待遇多的在前）", concerns: "涉及：%s",
}

var en = words{
	household: "Household", noID: " (no id)", asOf: "as of", pack: "Rule pack", example: "Note: this result uses example parameter values or definitions: %s. They are not the published local standard; amounts and thresholds are illustrations only.", codes: "(codes: %s)",
	derived: "Derived facts", results: "Determinations", summary: "%d eligible · %d ineligible · %d need information",
	status:   map[engine.Status]string{engine.Eligible: "eligible", engine.Ineligible: "ineligible", engine.Undetermined: "needs information"},
	modality: map[rulepack.Modality]string{rulepack.Shall: "shall grant", rulepack.May: "may grant, at the office's discretion", rulepack.Planned: "planned aim, may qualify once implemented"},
	period:   "Period", basis: "Basis", reasons: "Reasons", missing: "Still needed", notes: "Notes", amount: "Amount", errors: "Rule errors",
	trace: "Trace", unknown: "unknown", yes: "yes", no: "no", notMet: "not met", applies: "exception applies",
	required: "required", actual: "actual", to: "to", ruleHolds: "rule", member: "member", whole: "household",
	perMonth: "yuan/month", perYear: "yuan/year", once: "yuan (once)", warnings: "Record warnings", notInForce: "not in force", overridden: "replaced by %s",
	colon: ": ", lp: " (", rp: ")", dash: " — ", sep: "; ", list: ", ", none: "none", oneOf: "one of",
	ruleModality: map[string]string{"shall": "shall", "may": "may", "planned": "planned"},
	deny:         "deny (an exception)", caveat: "caveat", comma: ", ",
	outcomes:      map[string]string{"true": "holds", "false": "does not hold", "unknown": "unknown (facts missing)", "error": "error"},
	notDetermined: "Not determined", items: "",
	why: map[string]string{engine.NotDeterminedNoClause: "no clause in the local documents", engine.NotDeterminedLeftOut: "a clause left out",
		engine.NotDeterminedNotInForce: "no rule in force on the date", engine.NotDeterminedNoSubject: "no member it is for"},
	checklist: "Ask the applicant (%d; ordered by how many benefits wait on each)", concerns: "for: %s",
}

// Write renders one result.
func Write(w io.Writer, r *engine.Result, opt Options) error {
	lang := "zh"
	if opt.Lang == "en" {
		lang = "en"
	}
	wd := wordsIn(lang)
	var b strings.Builder
	subject := func(s string) string {
		if s == "household" {
			return wd.whole
		}
		if n := opt.Names[s]; n != "" {
			if lang == "en" {
				return fmt.Sprintf("%s %s (%s)", wd.member, s, n)
			}
			return fmt.Sprintf("%s %s（%s）", wd.member, s, n)
		}
		return wd.member + " " + s
	}
	head := wd.household + " " + r.Household
	if r.Household == "" {
		head = wd.household + wd.noID
	}
	fmt.Fprintf(&b, "%s · %s%s%s%s · %s %s\n", head, r.Jurisdiction.Name.In(lang), wd.lp, r.Jurisdiction.Code, wd.rp, wd.asOf, r.AsOf)
	hash := r.RulePack.Hash
	if len(hash) > 19 {
		hash = hash[:19]
	}
	fmt.Fprintf(&b, "%s %s %s%s%s…%s\n", wd.pack, r.RulePack.ID, r.RulePack.Version, wd.lp, hash, wd.rp)
	exampleNames := func(codes []string) string {
		if opt.Pack == nil {
			return strings.Join(codes, ", ")
		}
		return opt.Pack.ValueNames(codes).In(lang)
	}
	if len(r.ExampleValues) > 0 {
		fmt.Fprintf(&b, wd.example+"\n", exampleNames(r.ExampleValues))
		if opt.Pack != nil {
			fmt.Fprintf(&b, wd.codes+"\n", strings.Join(r.ExampleValues, ", "))
		}
	}
	if len(r.Warnings) > 0 {
		fmt.Fprintf(&b, "\n%s\n", wd.warnings)
		for _, x := range r.Warnings {
			msg := x.Message
			if lang == "zh" && x.MessageZh != "" {
				msg = x.MessageZh
			}
			fmt.Fprintf(&b, "  [%s] %s: %s\n", x.Code, x.Field, msg)
			if lang == "zh" && x.Summary != nil {
				fmt.Fprintf(&b, "         %s\n", engine.ProblemWords(x.Field, *x.Summary).Zh)
			}
		}
	}

	fmt.Fprintf(&b, "\n%s\n", wd.derived)
	labels := make([]string, len(r.Derived))
	width := 0
	for i, f := range r.Derived {
		l := f.Label.In(lang)
		if f.Member != "" {
			sep := "："
			if lang == "en" {
				sep = ": "
			}
			l = subject(f.Member) + sep + l
		}
		labels[i] = l
		width = max(width, displayWidth(l))
	}
	for i, f := range r.Derived {
		v := f.Display
		if n, ok := f.Value.(int64); ok && f.Unit == "元/月" {
			v = money.Fen(n).Grouped()
		}
		switch {
		case v == "unknown":
			v = wd.unknown
		case v == "true":
			v = wd.yes
		case v == "false":
			v = wd.no
		}
		if f.Unit != "" && f.Display != "unknown" {
			v += " " + unitText(f.Unit, lang)
		}
		if f.Example && f.Display != "unknown" {
			v += map[string]string{"zh": " [示例参数]", "en": " [example value]"}[lang]
		}
		fmt.Fprintf(&b, "  %s%s  %s\n", labels[i], strings.Repeat(" ", width-displayWidth(labels[i])), v)
	}

	writeChecklist(&b, wd, lang, r)

	var ne, ni, nu int
	for _, d := range r.Determinations {
		switch d.Status {
		case engine.Eligible:
			ne++
		case engine.Ineligible:
			ni++
		default:
			nu++
		}
	}
	fmt.Fprintf(&b, "\n%s%s"+wd.summary+"%s\n", wd.results, wd.lp, ne, ni, nu, wd.rp)
	for _, d := range r.Determinations {
		mark := cmp.Or(statusMarks[d.Status], "?")
		head := fmt.Sprintf("\n%s %s %s · %s · %s", mark, d.BenefitName.In(lang), d.Benefit, subject(d.Subject), Status(lang, d.Status))
		if d.Status == engine.Eligible {
			head += wd.lp + modalityText(wd, d.Modality) + wd.rp
		}
		b.WriteString(head + "\n")
		if d.Amount != nil {
			unit := wd.perMonth
			switch d.Amount.Per {
			case "year":
				unit = wd.perYear
			case "once":
				unit = wd.once
			}
			ex := ""
			if d.Amount.Example {
				ex = map[string]string{"zh": " [示例参数]", "en": " [example value]"}[lang]
			}
			fmt.Fprintf(&b, "    %s%s%s %s%s\n", wd.amount, wd.colon, money.Fen(d.Amount.Fen).Grouped(), unit, ex)
		}
		if d.Period != nil {
			fmt.Fprintf(&b, "    %s%s%s %s %s\n", wd.period, wd.colon, d.Period.From, wd.to, d.Period.To)
		}
		// The same requirement stated by several rules is shown once.
		seen := map[string]bool{}
		i := 0
		for _, x := range d.Reasons {
			text := reasonText(wd, lang, x)
			if seen[text] {
				continue
			}
			seen[text] = true
			prefix := "    " + wd.reasons + wd.colon
			if i > 0 {
				prefix = "    " + strings.Repeat(" ", displayWidth(wd.reasons+wd.colon))
			}
			i++
			fmt.Fprintf(&b, "%s%s\n", prefix, text)
		}
		for i, m := range d.Missing {
			prefix := "    " + wd.missing + wd.colon
			if i > 0 {
				prefix = "    " + strings.Repeat(" ", displayWidth(wd.missing+wd.colon))
			}
			fmt.Fprintf(&b, "%s☐ %s\n", prefix, m.Label.In(lang))
		}
		writeCitations(&b, wd, lang, d.Citations)
		i = 0
		var shown []string // two rules of one plan give the same caveat; it is shown once
		for _, c := range d.Caveats {
			text := c.Text.In(lang)
			if c.Code == engine.CaveatExampleValues {
				text = map[string]string{"zh": "[示例参数：", "en": "[example values: "}[lang] + exampleNames(d.ExampleValues) + "]"
			}
			if slices.Contains(shown, text) {
				continue
			}
			shown = append(shown, text)
			prefix := "    " + wd.notes + wd.colon
			if i > 0 {
				prefix = "    " + strings.Repeat(" ", displayWidth(wd.notes+wd.colon))
			}
			i++
			fmt.Fprintf(&b, "%s%s\n", prefix, text)
		}
		for _, e := range d.Errors {
			fmt.Fprintf(&b, "    %s%s%s\n", wd.errors, wd.colon, e)
		}
		if opt.Explain {
			fmt.Fprintf(&b, "    %s%s\n", wd.trace, strings.TrimRight(wd.colon, " "))
			for _, t := range d.Trace {
				state := wd.outcomes[t.Outcome]
				switch {
				case !t.InForce:
					state = wd.notInForce
				case t.Overridden != "":
					state = fmt.Sprintf(wd.overridden, t.Overridden)
				case state == "":
					state = t.Outcome
				}
				fmt.Fprintf(&b, "      %s %s [%s]%s%s\n", wd.ruleHolds, t.Rule, RuleKind(lang, t.Effect, t.Modality), wd.colon, state)
				for _, c := range t.Conditions {
					sym := map[string]string{"true": "✔", "false": "✘", "unknown": "?", "error": "!"}[c.Value]
					detail := ""
					if c.Op != "" {
						detail = fmt.Sprintf("  (%s %s %s)", c.Actual, c.Op, c.Expected)
					}
					if len(c.Missing) > 0 {
						detail += "  ← " + strings.Join(c.Missing, ", ")
					}
					fmt.Fprintf(&b, "        %s %s  %s  [%s]%s\n", sym, c.ID, c.Label.In(lang), strings.Join(strings.Fields(c.Expr), " "), detail)
				}
			}
		}
	}
	if len(r.NotDetermined) > 0 {
		fmt.Fprintf(&b, "\n%s%s%d%s%s\n", wd.notDetermined, wd.lp, len(r.NotDetermined), wd.items, wd.rp)
		for _, n := range r.NotDetermined {
			fmt.Fprintf(&b, "\n· %s %s · %s\n", n.BenefitName.In(lang), n.Benefit, cmp.Or(wd.why[n.Why], n.Why))
			if n.Text != nil {
				fmt.Fprintf(&b, "    %s%s%s\n", wd.notes, wd.colon, n.Text.In(lang))
			}
			writeCitations(&b, wd, lang, n.Citations)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeChecklist writes the household's questions, each fact once with the
// benefits that wait on it, by name.
func writeChecklist(b *strings.Builder, wd *words, lang string, r *engine.Result) {
	if len(r.Checklist) == 0 {
		return
	}
	names := map[string]string{}
	for _, d := range r.Determinations {
		names[d.Benefit] = d.BenefitName.In(lang)
	}
	fmt.Fprintf(b, "\n"+wd.checklist+"\n", len(r.Checklist))
	for _, q := range r.Checklist {
		benefits := make([]string, len(q.Benefits))
		for i, code := range q.Benefits {
			benefits[i] = cmp.Or(names[code], code)
		}
		fmt.Fprintf(b, "  ☐ %s\n      "+wd.concerns+"\n", q.Label.In(lang), strings.Join(benefits, wd.list))
	}
}

// writeCitations writes citations under 依据 (Basis): the document's title,
// number and section, then the quote.
func writeCitations(b *strings.Builder, wd *words, lang string, cs []engine.CitationOut) {
	for i, c := range cs {
		prefix := "    " + wd.basis + wd.colon
		if i > 0 {
			prefix = "    " + strings.Repeat(" ", displayWidth(wd.basis+wd.colon))
		}
		title := "《" + c.Title + "》"
		if c.Number != "" {
			title += wd.lp + c.Number + wd.rp
		}
		sec := ""
		if c.Section != "" {
			sec = " " + c.Section
		}
		prov := ""
		if c.Provenance == "secondary" {
			prov = map[string]string{"zh": " [二手来源]", "en": " [secondary source]"}[lang]
		}
		fmt.Fprintf(b, "%s%s%s%s\n", prefix, title, sec, prov)
		fmt.Fprintf(b, "    %s“%s”\n", strings.Repeat(" ", displayWidth(wd.basis+wd.colon)), c.Quote)
	}
}

// RuleKind names a rule's effect and modality in lang (zh, or en) as
// `entitle rules` lists rules and the trace shows them: its modality for a
// rule that grants (应当给予, 可以给予, 规划目标), 排除（例外情形） for an
// exception, 提示 with the modality for a caveat (提示，应当给予).
func RuleKind(lang, effect, modality string) string {
	wd := wordsIn(lang)
	switch effect {
	case "deny":
		return wd.deny
	case "caveat":
		return wd.caveat + wd.comma + Modality(lang, modality)
	}
	return Modality(lang, modality)
}

// Modality names a modality briefly in lang: 应当给予, 可以给予, 规划目标.
func Modality(lang, modality string) string {
	return cmp.Or(wordsIn(lang).ruleModality[modality], modality)
}

// Status names a determination's status in lang: 符合, 不符合, 待补充信息.
func Status(lang string, s engine.Status) string {
	return cmp.Or(wordsIn(lang).status[s], string(s))
}

// statusMarks mark a determination's line in the report; undetermined is ?.
var statusMarks = map[engine.Status]string{engine.Eligible: "✔", engine.Ineligible: "✘"}

// wordsIn is the words of lang: English for en, else Chinese.
func wordsIn(lang string) *words {
	if lang == "en" {
		return &en
	}
	return &zh
}

// modalityText names a determination's modality in full: 可以给予，由经办机构酌定 (the
// status line puts it in brackets: 符合（可以给予，由经办机构酌定）).
func modalityText(wd *words, m rulepack.Modality) string {
	return cmp.Or(wd.modality[m], string(m))
}

// ReasonText words one reason as the report does, in lang ("en", else
// Chinese): the condition's label and what it compared or read, enum codes
// and units named for a reader, as in
// 求职或创业 —— 未满足（实际 非劳动力，要求 属于 失业、自主创业）.
func ReasonText(lang string, r engine.Reason) string {
	if lang != "en" {
		lang = "zh"
	}
	return reasonText(wordsIn(lang), lang, r)
}

func reasonText(wd *words, lang string, r engine.Reason) string {
	label := r.Label.In(lang)
	if r.Effect == "deny" {
		return label + wd.dash + wd.applies
	}
	if r.Op != "" {
		unit := unitText(r.Unit, lang)
		if unit != "" {
			unit = " " + unit
		}
		comma := "，"
		if lang == "en" {
			comma = ", "
		}
		return fmt.Sprintf("%s%s%s%s%s %s%s%s%s %s %s%s%s", label, wd.dash, wd.notMet, wd.lp, wd.actual, moneyText(r.Unit, valueText(wd, lang, r.Actual)), unit,
			comma, wd.required, opText(wd, r.Op), moneyText(r.Unit, valueText(wd, lang, r.Expected)), unit, wd.rp)
	}
	if len(r.Facts) > 0 {
		parts := make([]string, len(r.Facts))
		for i, f := range r.Facts {
			// A number and its unit are spaced as in a comparison: 3 级.
			u := unitText(f.Unit, lang)
			if u != "" {
				u = " " + u
			}
			parts[i] = f.Label.In(lang) + " " + moneyText(f.Unit, valueText(wd, lang, f.Value)) + u
		}
		return label + wd.dash + wd.notMet + wd.lp + wd.actual + wd.colon + strings.Join(parts, wd.sep) + wd.rp
	}
	if r.Actual != "" && r.Actual != "false" {
		return label + wd.dash + wd.notMet + wd.lp + wd.actual + " " + valueText(wd, lang, r.Actual) + wd.rp
	}
	return label + wd.dash + wd.notMet
}

// moneyText groups the thousands of an amount of yuan.
func moneyText(unit, v string) string {
	if unit != "money" {
		return v
	}
	f, err := money.ParseYuan(v)
	if err != nil {
		return v
	}
	return f.Grouped()
}

func valueText(wd *words, lang, v string) string {
	switch v {
	case "true":
		return wd.yes
	case "false":
		return wd.no
	case "unknown":
		return wd.unknown
	}
	if inner, ok := strings.CutPrefix(v, "["); ok {
		if inner, ok = strings.CutSuffix(inner, "]"); ok {
			if inner == "" {
				return wd.none
			}
			parts := strings.Split(inner, ", ")
			for i, p := range parts {
				parts[i] = valueText(wd, lang, p)
			}
			return strings.Join(parts, wd.list)
		}
	}
	if l, ok := household.ValueLabel(strings.Trim(v, "\""), lang); ok {
		return l
	}
	return v
}

// opText is a comparison's operator as a reader says it: "in" is 属于 or
// "one of"; the others are their symbols.
func opText(wd *words, op string) string {
	if op == "in" {
		return wd.oneOf
	}
	return op
}

// unitLabels are the units results carry, [Chinese, English]: money is
// yuan (amounts in a comparison), the others are the facts' units.
var unitLabels = map[string][2]string{
	"money": {"元", "yuan"},
	"元/月":   {"元/月", "yuan/month"},
	"人":     {"人", "persons"},
	"岁":     {"岁", "years"},
	"个月":    {"个月", "months"},
	"级":     {"级", ""},
	"年":     {"年", ""},
}

func unitText(u, lang string) string {
	l, ok := unitLabels[u]
	if !ok {
		return u
	}
	if lang == "en" {
		return l[1]
	}
	return l[0]
}

// UnitLabels is every unit a result may carry with its names,
// unit → [Chinese, English], for a client that shows results (the
// caseworker's page). The map is a copy.
func UnitLabels() map[string][2]string {
	return maps.Clone(unitLabels)
}

// displayWidth counts columns: CJK characters take two.
func displayWidth(s string) int {
	w := 0
	for _, r := range s {
		if r > 0x2e7f {
			w += 2
		} else {
			w++
		}
	}
	return w
}

// WriteErrors writes a record's problems one a line, as household.Error
// words them (file:line:column: field: message [code]), with the message in
// lang. In Chinese (the default) each is followed by an indented line naming
// the field and the kind of problem: "第 1 位成员：残疾等级 —— 残疾等级不是一至四级".
func WriteErrors(w io.Writer, es household.Errors, lang string) error {
	var b strings.Builder
	for _, e := range es {
		b.WriteString(e.Localized(lang))
		b.WriteByte('\n')
		if lang == "en" {
			continue
		}
		if zh, en := e.Code.Summary(); zh != "" {
			b.WriteString("    " + engine.ProblemWords(e.Field, rulepack.Text{Zh: zh, En: en}).Zh + "\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
