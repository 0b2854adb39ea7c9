package audit

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"entitle/engine"
	"entitle/engine/household"
	"entitle/engine/money"
	"entitle/engine/rulepack"
)

// cellDelta is one record's contribution to one summary cell.
type cellDelta struct {
	Eligible, EligibleShall, EligiblePaid int
	Paid, PaidDue                         int
	Findings                              [numClasses]int
	Overpaid, Underpaid                   money.Fen
	UnderpaidUnknown                      int
}

const numClasses = len(Classes)

func classIndex(c Class) int {
	for i, x := range Classes {
		if x.Class == c {
			return i
		}
	}
	return 0
}

// outcome is what auditing one record gives.
type outcome struct {
	n        int
	invalid  bool
	jur      int         // index of the jurisdiction in the pack, -1 if unknown
	cells    []cellDelta // by audited benefit (a.scope), nil if invalid
	findings []*Finding
	ids      []idEntry // members with a citizen ID, for the duplicate-person check
	hid      idEntry   // the household, for the duplicate-household check (no id: household "")
	// counts for the reconciliation
	payments, checked, notCurrent, notChecked int
	members, withoutID                        int
}

// process audits one record.
func (a *Auditor) process(ctx context.Context, rec *Record) *outcome {
	out := &outcome{n: rec.N, jur: -1}
	e, problems := rec.Assemble()
	id := rec.Household
	out.payments, out.members = rec.Payments, rec.Members
	if e != nil && e.Household != nil {
		id = e.Household.ID
		out.payments, out.members = len(e.Payments), len(e.Household.Members)
	}
	if len(problems) == 0 && e != nil && e.Household != nil && strings.TrimSpace(e.Household.ID) == "" {
		// A record alone may leave its id out; a roll's findings name
		// households by it, and the duplicate-household check needs it.
		problems = append(problems, rec.problem(&household.Error{Field: "id", Code: household.CodeRequired,
			Msg: "a roll's household needs its id (户编号)", Zh: "名册中的户应有户编号（id）"}))
	}
	if len(problems) == 0 && e != nil {
		problems = checkPayments(e, a.benefit)
	}
	var res *engine.Result
	if len(problems) == 0 {
		var err error
		res, err = a.eng.Evaluate(ctx, e.Household, a.evalOptions(e, true)...)
		switch {
		case err == nil:
		case engine.IsInputError(err):
			var es household.Errors
			errors.As(err, &es)
			for _, x := range es {
				problems = append(problems, rec.problem(x))
			}
		case ctx.Err() != nil:
			return nil
		default:
			problems = append(problems, Problem{Code: "A199", Msg: "evaluation failed: " + err.Error(), Zh: "认定时出错：" + err.Error()})
		}
	}
	if len(problems) > 0 {
		out.invalid = true
		f := &Finding{Class: InvalidRecord, Record: rec.N, Ref: rec.Ref, Household: id, Problems: problems}
		if e != nil && e.Household != nil {
			f.Jurisdiction = a.jurisdictionCode(e.Household.Jurisdiction)
		}
		zh, en := listProblems(problems)
		f.Detail = rulepack.Text{Zh: fmt.Sprintf("记录无效，未作认定（%d 处问题）：%s", len(problems), zh),
			En: fmt.Sprintf("Invalid record, not evaluated (%d %s): %s", len(problems), englishNumber(len(problems), "problem", "problems"), en)}
		out.findings = append(out.findings, f)
		out.hid = householdEntry(rec, id, f.Jurisdiction)
		return out
	}
	// Most households are in order: the brief evaluation settles them. One
	// with a finding is evaluated again in full, for the rules, citations,
	// reasons and missing facts that explain it (the statuses, amounts and
	// periods are the same: TestBriefMatchesFull).
	before := *out
	a.classify(e, res, rec, out)
	if len(out.findings) > 0 {
		full, err := a.eng.Evaluate(ctx, e.Household, a.evalOptions(e, false)...)
		switch {
		case err == nil:
			*out = before
			a.classify(e, full, rec, out)
		case ctx.Err() != nil:
			return nil
		default:
			f := out.findings[0]
			f.Problems = append(f.Problems, Problem{Code: "A199", Msg: "explaining the finding failed: " + err.Error(), Zh: "说明该发现时出错：" + err.Error()})
		}
	}
	if len(res.Warnings) > 0 {
		out.findings = append(out.findings, a.warned(e, rec, id, res.Jurisdiction.Code))
	}
	out.hid = householdEntry(rec, id, res.Jurisdiction.Code)
	return out
}

// householdEntry is a record's entry for the duplicate-household check,
// keyed by a hash of its household id (the check compares the ids
// themselves).
func householdEntry(rec *Record, id, jurisdiction string) idEntry {
	if id == "" {
		return idEntry{}
	}
	return idEntry{key: fnv64a(id), record: uint32(rec.N), ref: rec.Ref, household: id, jurisdiction: jurisdiction}
}

// fnv64a is the 64-bit FNV-1a hash of s, as hash/fnv's New64a computes it,
// without the hasher and the copy of s that one allocates per record.
func fnv64a(s string) uint64 {
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= prime
	}
	return h
}

// jurisdictionCode is the code of the area a record names, by code or by
// name; a value the pack does not know is kept as written.
func (a *Auditor) jurisdictionCode(s string) string {
	if j, ok := a.eng.Pack().ResolveJurisdiction(s); ok {
		return j.Code
	}
	return s
}

// warned is the record_warning finding of a record evaluated despite
// warnings (W… codes: a birth date past 120 years, statuses that should not
// go together). The brief result carries only the codes, so the record is
// validated again for the messages in both languages and their places in
// the roll; that happens only for a record with warnings.
func (a *Auditor) warned(e *Entry, rec *Record, id, jurisdiction string) *Finding {
	_, warnings := a.eng.Validate(e.Household, a.evalOptions(e, true)...)
	f := &Finding{Class: RecordWarning, Record: rec.N, Ref: rec.Ref, Household: id, Jurisdiction: jurisdiction}
	for _, w := range warnings {
		f.Problems = append(f.Problems, rec.problem(w))
	}
	zh, en := listProblems(f.Problems)
	f.Detail = rulepack.Text{Zh: fmt.Sprintf("记录已认定，但有 %d 处存疑，请核对：%s", len(warnings), zh),
		En: fmt.Sprintf("Evaluated, but %d %s in the record %s wrong; check %s: %s", len(warnings), englishNumber(len(warnings), "thing", "things"),
			englishNumber(len(warnings), "looks", "look"), englishNumber(len(warnings), "it", "them"), en)}
	return f
}

// listProblems joins problems into one sentence in each language.
func listProblems(problems []Problem) (zh, en string) {
	zhs, ens := make([]string, len(problems)), make([]string, len(problems))
	for i, p := range problems {
		zhs[i], ens[i] = p.In("zh"), p.In("en")
	}
	return strings.Join(zhs, "；"), strings.Join(ens, "; ")
}

// evalOptions are the engine options for an entry: the audited benefits and
// any other benefit the roll pays.
// With brief, the determinations carry statuses, amounts and periods only.
func (a *Auditor) evalOptions(e *Entry, brief bool) []engine.EvalOption {
	extra := false
	for _, p := range e.Payments {
		if !a.inScope[p.Benefit] {
			extra = true
		}
	}
	if !extra && brief {
		return a.briefOpts
	}
	if !extra {
		return a.opts
	}
	codes := append([]string{}, a.scope...)
	for _, p := range e.Payments {
		codes = append(codes, a.group[p.Benefit]...)
	}
	if brief {
		return []engine.EvalOption{a.asOfOpt, engine.Brief(), engine.Benefits(codes...)}
	}
	return []engine.EvalOption{a.asOfOpt, engine.Lean(), engine.Benefits(codes...)}
}

// due is how a payment stands against the determinations of its benefit
// (and of the benefits paid as it).
type due struct {
	det    *engine.Determination // the determination it rests on
	status engine.Status
	ended  bool // ineligible because its period ran out
}

// dueFor finds how a payment of code to subject stands.
func (a *Auditor) dueFor(res *engine.Result, code, subject string) due {
	var undetermined, ended, ineligible *engine.Determination
	var running *engine.Determination
	for _, c := range a.group[code] {
		d, ok := res.Determination(c, subject)
		if !ok {
			continue
		}
		switch d.Status {
		case engine.Eligible:
			if d.Period == nil {
				return due{det: d, status: engine.Eligible}
			}
			running = d
		case engine.Undetermined:
			undetermined = d
		case engine.Ineligible:
			if d.Period != nil {
				ended = d
			} else if c == code || ineligible == nil {
				ineligible = d
			}
		}
	}
	switch {
	case running != nil:
		return due{det: running, status: engine.Eligible}
	case undetermined != nil:
		return due{det: undetermined, status: engine.Undetermined}
	case ended != nil:
		return due{det: ended, status: engine.Ineligible, ended: true}
	}
	return due{det: ineligible, status: engine.Ineligible}
}

// subjectFor is whom a payment is for: the member named, when the rules
// determine the benefit (or one paid as it) for members; else the household.
// A household benefit may be paid to a member as payee.
func (a *Auditor) subjectFor(res *engine.Result, code, member string) string {
	if member == "" {
		return "household"
	}
	for _, c := range a.group[code] {
		if _, ok := res.Determination(c, member); ok {
			return member
		}
	}
	if b, ok := a.pack.Benefit(code); ok && b.Scope.String() == "member" {
		return member
	}
	return "household"
}

func monthOf(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC) }

// classify compares an evaluated household's payments with its determinations.
func (a *Auditor) classify(e *Entry, res *engine.Result, rec *Record, out *outcome) {
	h := e.Household
	jur := res.Jurisdiction.Code // the record may name the area (临清市); findings give the code
	out.jur = a.jurIndex[jur]
	now := monthOf(a.asOf)
	base := func(class Class, member, benefit string) *Finding {
		f := &Finding{Class: class, Record: rec.N, Ref: rec.Ref, Household: h.ID, Jurisdiction: jur, Member: member, Benefit: benefit}
		if m := memberOf(h, member); m != nil {
			f.CitizenID = m.CitizenID
		}
		return f
	}
	cell := func(benefit string) *cellDelta {
		if i, ok := a.scopeIndex[benefit]; ok {
			if out.cells == nil { // most households have nothing to count
				out.cells = make([]cellDelta, len(a.scope))
			}
			return &out.cells[i]
		}
		return nil
	}
	add := func(f *Finding) {
		out.findings = append(out.findings, f)
		if c := cell(f.Benefit); c != nil {
			c.Findings[classIndex(f.Class)]++
		}
	}
	// Each payment's subject, and the first payment current now of its
	// benefit group to that subject (-1 if it is not current): to find what
	// is paid twice, and what is due but not paid. A household has a few
	// payments, so the groups are found by scanning, in buffers on the
	// stack.
	var subjectBuf [8]string
	var firstBuf [8]int
	subjects, first := subjectBuf[:0], firstBuf[:0]
	for i := range e.Payments {
		p := &e.Payments[i]
		subjects = append(subjects, a.subjectFor(res, p.Benefit, p.Member))
		f := -1
		if !monthOf(p.Start.Time).After(now) && (p.End == nil || !monthOf(p.End.Time).Before(now)) {
			f = i
			for j := 0; j < i; j++ {
				if first[j] == j && subjects[j] == subjects[i] && a.root[e.Payments[j].Benefit] == a.root[p.Benefit] {
					f = j
					break
				}
			}
		}
		first = append(first, f)
	}
	// paidWith lists the payments of the group whose first payment is g.
	paidWith := func(g int) []int {
		var out []int
		for i, f := range first {
			if f == g {
				out = append(out, i)
			}
		}
		return out
	}
	// repeated says whether the group whose first payment is g has more.
	repeated := func(g int) bool {
		for i := g + 1; i < len(first); i++ {
			if first[i] == g {
				return true
			}
		}
		return false
	}

	for i, p := range e.Payments {
		subject := subjects[i]
		start := monthOf(p.Start.Time)
		current := !start.After(now) && (p.End == nil || !monthOf(p.End.Time).Before(now))
		if start.After(now) {
			out.notCurrent++
			continue
		}
		d := a.dueFor(res, p.Benefit, subject)
		if !current {
			// An ended payment is checked only for running past a phase-out.
			out.notCurrent++
			if d.det != nil && d.det.Period != nil && monthOf(p.End.Time).After(monthOf(mustDate(d.det.Period.To))) {
				f := base(PaidPastPhaseOut, p.Member, p.Benefit)
				a.describe(f, d.det, &p)
				add(f)
			}
			continue
		}
		out.checked++
		twice := repeated(first[i])
		c := cell(p.Benefit)
		if c != nil {
			c.Paid++
		}
		switch {
		case d.det == nil:
			f := base(PaidNotEntitled, p.Member, p.Benefit)
			f.Paid = fen(*p.Monthly)
			f.Detail = rulepack.Text{Zh: fmt.Sprintf("发放%s（每月 %s 元），但该项待遇与%s无关，规则包未作认定。", a.name(p.Benefit).Zh, p.Monthly.Yuan(), subjectZh(subject)),
				En: fmt.Sprintf("%s is paid (%s a month), but it does not concern %s.", a.name(p.Benefit).En, p.Monthly.Yuan(), subjectEn(subject))}
			add(f)
			if c != nil {
				c.Overpaid += *p.Monthly
			}
		case d.status == engine.Undetermined:
			f := base(Undetermined, p.Member, p.Benefit)
			a.describe(f, d.det, &p)
			add(f)
		case d.status == engine.Ineligible:
			class := PaidNotEntitled
			if d.ended {
				class = PaidPastPhaseOut
			}
			f := base(class, p.Member, p.Benefit)
			a.describe(f, d.det, &p)
			add(f)
			if c != nil {
				c.Overpaid += *p.Monthly
			}
		default: // due
			if c != nil {
				c.PaidDue++
			}
			if d.det.Period != nil && (p.End == nil || monthOf(p.End.Time).After(monthOf(mustDate(d.det.Period.To)))) {
				f := base(PaidPastPhaseOut, p.Member, p.Benefit)
				a.describe(f, d.det, &p)
				add(f)
				continue
			}
			amt := d.det.Amount
			if twice || amt == nil || amt.Per != "month" || money.Fen(amt.Fen) == *p.Monthly {
				continue // a benefit paid twice: its payments are compared together (paidTwice)
			}
			if amt.Example && !a.opt.CompareExampleAmounts {
				out.notChecked++
				continue
			}
			f := base(AmountDiffers, p.Member, p.Benefit)
			a.describe(f, d.det, &p)
			add(f)
			if c != nil {
				if diff := *p.Monthly - money.Fen(amt.Fen); diff > 0 {
					c.Overpaid += diff
				} else {
					c.Underpaid -= diff
				}
			}
		}
	}

	for i := range e.Payments { // in roll order: by each group's first payment
		if first[i] == i && repeated(i) {
			a.paidTwice(e, res, paidWith(i), subjects[i], base, add, cell(e.Payments[i].Benefit))
		}
	}

	// What the rules grant, and whether it is paid.
	for i := range res.Determinations {
		d := &res.Determinations[i]
		c := cell(d.Benefit)
		if c == nil || d.Status != engine.Eligible {
			continue
		}
		c.Eligible++
		shall := d.Modality == rulepack.Shall
		if shall {
			c.EligibleShall++
		}
		paid := false
		for i, f := range first {
			if f == i && subjects[i] == d.Subject && a.root[e.Payments[i].Benefit] == a.root[d.Benefit] {
				paid = true
				break
			}
		}
		if paid {
			c.EligiblePaid++
			continue
		}
		if !shall {
			continue
		}
		member := d.Subject
		if member == "household" {
			member = ""
		}
		f := base(EntitledNotPaid, member, d.Benefit)
		a.describe(f, d, nil)
		add(f)
		if d.Amount != nil && d.Amount.Per == "month" {
			c.Underpaid += money.Fen(d.Amount.Fen)
		} else {
			c.UnderpaidUnknown++
		}
	}

	a.exclusive(e, res, now, base, add)

	for i, m := range h.Members {
		if m.CitizenID == "" {
			out.withoutID++
			continue
		}
		if k, ok := packID(m.CitizenID); ok {
			out.ids = append(out.ids, idEntry{key: k, record: uint32(rec.N), member: uint16(i), ref: rec.Ref,
				household: h.ID, jurisdiction: jur, memberID: m.ID})
		}
	}
}

// paidTwice reports a benefit paid to one subject by two or more payments
// current now (g: their indexes, in roll order; a benefit and those paid as
// it count as one). The payments are compared together with the amount
// due: what they pay beyond it is overpaid, or, where the amount is not
// compared, every payment after the first. A benefit not due is already
// overpaid payment by payment (paid_not_entitled).
func (a *Auditor) paidTwice(e *Entry, res *engine.Result, g []int, subject string, base func(Class, string, string) *Finding, add func(*Finding), c *cellDelta) {
	first := &e.Payments[g[0]]
	f := base(PaidTwice, first.Member, first.Benefit)
	var sum, extra money.Fen
	var amounts []string
	for k, i := range g {
		p := &e.Payments[i]
		sum += *p.Monthly
		if k > 0 {
			extra += *p.Monthly
		}
		amounts = append(amounts, p.Monthly.Yuan())
		if !slices.Contains(f.Benefits, p.Benefit) {
			f.Benefits = append(f.Benefits, p.Benefit)
		}
	}
	if len(f.Benefits) == 1 {
		f.Benefits = nil
	}
	d := a.dueFor(res, first.Benefit, subject)
	if d.det != nil {
		a.describe(f, d.det, nil)
	}
	f.Paid = fen(sum)
	due := d.det != nil && d.status == engine.Eligible
	compared := due && f.Expected != nil && !(d.det.Amount.Example && !a.opt.CompareExampleAmounts)
	if !compared {
		f.Expected = nil
	}
	month := a.asOf.Format("2006-01")
	name := a.name(first.Benefit)
	what := fmt.Sprintf("%s的%s在 %s 有 %d 笔发放（每月 %s 元，合计 %s 元）", subjectZh(subject), name.Zh, month, len(g), strings.Join(amounts, " + "), f.Paid.Yuan())
	whatEn := fmt.Sprintf("%s: %s is paid %d times in %s (%s = %s a month)", subjectEn(subject), name.En, len(g), month, strings.Join(amounts, " + "), f.Paid.Yuan())
	switch {
	case compared:
		f.Difference = fen(sum - *f.Expected)
		what += "，应发每月 " + f.Expected.Yuan() + " 元"
		whatEn += ", due " + f.Expected.Yuan() + " a month"
	case due:
		what += "，应发一笔"
		whatEn += "; one is due"
	case d.det != nil:
		what += "，且不符合条件"
		whatEn += ", and it is not due"
	}
	f.Detail = rulepack.Text{Zh: what + "。同一待遇每月只发放一次：请核实是否重复录入或重复发放。",
		En: whatEn + ". A benefit is paid once a month: check for a payment entered or paid twice."}
	add(f)
	if c == nil || !due {
		return
	}
	switch {
	case compared && *f.Difference > 0:
		c.Overpaid += *f.Difference
	case compared:
		c.Underpaid -= *f.Difference
	default:
		c.Overpaid += extra
	}
}

// exclusive reports benefits of one exclusive group paid now to one subject
// (a household payment counts for every member).
func (a *Auditor) exclusive(e *Entry, res *engine.Result, now time.Time, base func(Class, string, string) *Finding, add func(*Finding)) {
	current := func(p *Payment) bool {
		return !monthOf(p.Start.Time).After(now) && (p.End == nil || !monthOf(p.End.Time).Before(now))
	}
	for g, x := range a.pack.Exclusives {
		in := a.exclusiveSets[g]
		var household []string
		byMember := map[string][]string{}
		for i := range e.Payments {
			p := &e.Payments[i]
			if !in[p.Benefit] || !current(p) {
				continue
			}
			if a.subjectFor(res, p.Benefit, p.Member) != "household" {
				if !slices.Contains(byMember[p.Member], p.Benefit) {
					byMember[p.Member] = append(byMember[p.Member], p.Benefit)
				}
			} else {
				if !slices.Contains(household, p.Benefit) {
					household = append(household, p.Benefit)
				}
			}
		}
		if len(household) >= 2 {
			f := base(ExclusivePaid, "", household[0])
			f.Benefits = household
			f.Detail = exclusiveText(a, household, x)
			add(f)
		}
		for _, m := range e.Household.Members {
			mine := byMember[m.ID]
			if len(mine) == 0 || len(mine)+len(household) < 2 {
				continue
			}
			all := append(append([]string{}, household...), mine...)
			f := base(ExclusivePaid, m.ID, mine[0])
			f.Benefits = all
			f.Detail = exclusiveText(a, all, x)
			add(f)
		}
	}
}

func exclusiveText(a *Auditor, codes []string, x *rulepack.Exclusive) rulepack.Text {
	var zh, en []string
	for _, c := range codes {
		zh = append(zh, a.name(c).Zh)
		en = append(en, a.name(c).En)
	}
	return rulepack.Text{Zh: fmt.Sprintf("同时发放%s，二者不能同时享受：%s", strings.Join(zh, "和"), x.Reason.Zh),
		En: fmt.Sprintf("%s are paid together, but exclude each other: %s", strings.Join(en, " and "), x.Reason.En)}
}

func memberOf(h *household.Household, id string) *household.Member {
	if id == "" {
		return nil
	}
	for i := range h.Members {
		if h.Members[i].ID == id {
			return &h.Members[i]
		}
	}
	return nil
}

func mustDate(s string) time.Time {
	t, _ := time.Parse("2006-01-02", s)
	return t
}

// subjectZh names a finding's subject at the head of a Chinese sentence: a
// member's id is set off by spaces from the Chinese that follows it
// (成员 M3 正在领取…), as from the word before it.
func subjectZh(s string) string {
	if s == "household" {
		return "该户"
	}
	return "成员 " + s + " "
}

func subjectEn(s string) string {
	if s == "household" {
		return "the household"
	}
	return "member " + s
}

// describe fills a finding from the determination it rests on and the
// payment (nil for a benefit not paid).
func (a *Auditor) describe(f *Finding, d *engine.Determination, p *Payment) {
	f.Status, f.Modality = d.Status, d.Modality
	f.Rules = d.Rules
	seen := map[string]bool{}
	for _, r := range d.Rules {
		for _, c := range a.citations[r] {
			// A local rule carries the national one's citations too.
			if k := c.Doc + "\x00" + c.Quote; !seen[k] {
				seen[k] = true
				f.Citations = append(f.Citations, c)
			}
		}
	}
	for _, r := range d.Reasons {
		// Rules that extend one another share conditions: one reason each.
		if k := "reason\x00" + r.Label.Zh; !seen[k] {
			seen[k] = true
			f.Reasons = append(f.Reasons, r)
		}
	}
	for _, m := range d.Missing {
		f.Missing = append(f.Missing, m.Field)
	}
	f.ExampleValues = len(d.ExampleValues) > 0
	if d.Amount != nil && d.Amount.Per == "month" {
		f.Expected = fen(money.Fen(d.Amount.Fen))
	}
	if d.Period != nil {
		f.ExpectedEnd = d.Period.To[:7]
	}
	name := a.name(f.Benefit)
	who := subjectZh(d.Subject)
	whoEn := subjectEn(d.Subject)
	if p != nil {
		f.Paid = fen(*p.Monthly)
		f.PaidEnd = "open"
		if p.End != nil {
			f.PaidEnd = p.End.String()
		}
		if f.Expected != nil {
			f.Difference = fen(*p.Monthly - *f.Expected)
		}
	}
	switch f.Class {
	case PaidNotEntitled:
		why := notQualifying(f.Reasons)
		f.Detail = rulepack.Text{Zh: fmt.Sprintf("%s正在领取%s（每月 %s 元），但不符合条件：%s。", who, name.Zh, f.Paid.Yuan(), why.Zh),
			En: fmt.Sprintf("%s is paid %s (%s a month) but does not qualify: %s.", whoEn, name.En, f.Paid.Yuan(), why.En)}
	case EntitledNotPaid:
		amt, amtEn := "金额按当地标准核定", "amount set locally"
		if f.Expected != nil {
			amt, amtEn = "应发每月 "+f.Expected.Yuan()+" 元", f.Expected.Yuan()+" a month"
		}
		f.Detail = rulepack.Text{Zh: fmt.Sprintf("%s符合%s条件（应当给予），但花名册中没有发放记录（%s）。", who, name.Zh, amt),
			En: fmt.Sprintf("%s qualifies for %s (shall grant) but is not paid it (%s).", whoEn, name.En, amtEn)}
	case AmountDiffers:
		f.Detail = rulepack.Text{Zh: fmt.Sprintf("%s的%s每月应发 %s 元，实发 %s 元，差额 %s 元。", who, name.Zh, f.Expected.Yuan(), f.Paid.Yuan(), f.Difference.Yuan()),
			En: fmt.Sprintf("%s: %s is %s a month, paid %s (difference %s).", whoEn, name.En, f.Expected.Yuan(), f.Paid.Yuan(), f.Difference.Yuan())}
	case PaidPastPhaseOut:
		until, untilEn := "未设截止月份", "with no end month"
		if f.PaidEnd != "open" {
			until, untilEn = "发放至 "+f.PaidEnd, "until "+f.PaidEnd
		}
		f.Detail = rulepack.Text{Zh: fmt.Sprintf("%s的渐退期至 %s 结束，%s仍在发放（%s）。", who, f.ExpectedEnd, name.Zh, until),
			En: fmt.Sprintf("%s: the phase-out ends in %s, but %s is paid %s.", whoEn, f.ExpectedEnd, name.En, untilEn)}
	case Undetermined:
		var missing, missingEn []string
		for _, m := range f.Missing {
			l, ok := engine.FieldLabel(m)
			if !ok {
				l = rulepack.Text{Zh: m, En: m}
			}
			missing, missingEn = append(missing, l.Zh), append(missingEn, l.En)
		}
		f.Detail = rulepack.Text{Zh: fmt.Sprintf("%s正在领取%s，但记录缺少认定所需的信息：%s。", who, name.Zh, strings.Join(missing, "；")),
			En: fmt.Sprintf("%s is paid %s, but the record lacks facts needed to confirm it: %s.", whoEn, name.En, strings.Join(missingEn, "; "))}
	}
}

// notQualifying says why a benefit paid is not due: the exceptions that
// apply (a deny rule's conditions, all met) and the conditions of the
// granting rules that are not met.
func notQualifying(reasons []engine.Reason) rulepack.Text {
	var applies, appliesEn, unmet, unmetEn []string
	for _, r := range reasons {
		if r.Effect == "deny" {
			applies, appliesEn = append(applies, r.Label.Zh), append(appliesEn, r.Label.En)
		} else {
			unmet, unmetEn = append(unmet, r.Label.Zh), append(unmetEn, r.Label.En)
		}
	}
	var zh, en []string
	if len(applies) > 0 {
		zh = append(zh, "属于例外情形“"+strings.Join(applies, "”“")+"”")
		en = append(en, "an exception applies: "+strings.Join(appliesEn, "; "))
	}
	if len(unmet) > 0 {
		zh = append(zh, "未满足“"+strings.Join(unmet, "”“")+"”")
		en = append(en, "not met: "+strings.Join(unmetEn, "; "))
	}
	if len(zh) == 0 {
		return rulepack.Text{Zh: "规则包认定为不符合", En: "the rules find it not due"}
	}
	return rulepack.Text{Zh: strings.Join(zh, "；"), En: strings.Join(en, "; ")}
}

func (a *Auditor) name(code string) rulepack.Text {
	if b, ok := a.pack.Benefit(code); ok {
		return b.Name
	}
	return rulepack.Text{Zh: code, En: code}
}

// englishNumber is the English word for a count of n: one when n is 1
// ("1 problem", "it looks"), else many ("2 problems", "they look").
func englishNumber(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
