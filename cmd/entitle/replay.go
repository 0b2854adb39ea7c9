package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	"entitle/engine"
	"entitle/engine/httpapi"
	"entitle/engine/report"
	"entitle/engine/rulepack"
)

func init() {
	register(verb{name: "replay", summaryZh: "在另一规则包下重新评估决定日志中的决定，报告哪些认定会改变", summary: "re-evaluate logged decisions under a rule pack and report what would change", run: runReplay})
}

// Change is one determination that a replay decides differently.
type Change struct {
	DecisionID string `json:"decision_id"`
	Household  string `json:"household"`
	// File and Line are where the decision stands in the logs replayed.
	File    string           `json:"file"`
	Line    int              `json:"line"`
	Benefit string           `json:"benefit"`
	Subject string           `json:"subject"`
	Before  *httpapi.Outcome `json:"before,omitempty"`
	After   *httpapi.Outcome `json:"after,omitempty"`
	// Why says what changed, in English; WhyZh in Chinese.
	Why   string `json:"why"`
	WhyZh string `json:"why_zh"`
}

func runReplay(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("replay", flag.ContinueOnError)
	flags.SetOutput(stderr)
	rulesDir := flags.String("rules", "", both("用来重新评估的规则包目录（默认：entitle 内置的规则包）", "rule pack to replay under (default: the pack built into entitle)"))
	format := flags.String("format", "text", both("text（文本）或 json（每行一项变化；加 --id 时为该决定的一个对象：完整认定结果及其变化）", "text or json (one change a line; with --id one object: the decision's full result and its changes)"))
	lang := flags.String("lang", "zh", both("文本报告的语言：zh 或 en", "language of the text report: zh or en"))
	workers := flags.Int("workers", 0, both("并行重新评估的工作协程数（0：每个 CPU 核一个）；输出与数量无关", "workers re-evaluating decisions (0: one per core); the output is the same for any number"))
	id := flags.String("id", "", both("只重新认定这一编号的决定（复核、申诉时用，编号见认定页面或打印件），文本报告并列出其每项认定及所依据的条文",
		"replay only the decision with this id (for a review or an appeal; the page and its printout show it); the text report then lists each of its determinations with the clauses they rest on"))
	setUsage(flags, stderr, `用法：entitle replay [选项] 日志...

在规则包下按各决定当日重新评估决定日志（entitle serve --decision-log）中的每个决定，
报告每项会改变的认定及其原因。已脱敏的身份信息不参与评估，也没有规则读取它们。
多个日志按给出的顺序读取，例如日志轮转留下的文件
（decisions.jsonl.2.gz decisions.jsonl.1 decisions.jsonl）；以 .gz 结尾的文件按 gzip 读取。
加 --id 时只重新认定该编号的决定，并说明现规则包是否即作出决定时的规则包。
退出码：0 无变化；1 有认定改变；2 用法错误（含 --id 的决定不在日志中）；3 规则包错误；4 日志无法读取。`, `Usage: entitle replay [flags] LOG...

Re-evaluates each decision of a decision log (entitle serve --decision-log) on
its own date under a rule pack, and reports every determination that would
change, and why. Masked identifiers are left out; no rule reads them.
Several logs are read in the order given, e.g. the files a rotation left
(decisions.jsonl.2.gz decisions.jsonl.1 decisions.jsonl); a name ending in
.gz is read through gzip. With --id only that decision is replayed, and the
report says whether the pack is the one it was made under.
Exit codes: 0 nothing changes, 1 some determination changes, 2 usage (or
the --id decision is not in the logs), 3 rule pack error, 4 a log cannot be
read.`)
	if !parseArgs(flags, args, 1, -1) {
		return exitUsage
	}
	if !langOK("replay", *lang, stderr) || !formatOK("replay", *format, stderr) {
		return exitUsage
	}
	eng, ok := loadEngine(*rulesDir, stderr)
	if !ok {
		return exitRuleErr
	}
	if !perCoreOK("replay", "workers", *workers, stderr) {
		return exitUsage
	}
	r := replayer{eng: eng, json: *format == "json", en: *lang == "en", workers: *workers, id: *id}
	if r.workers == 0 {
		r.workers = runtime.GOMAXPROCS(0)
	}
	n, err := r.run(flags.Args(), stdout, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "entitle replay:", err)
		return exitIO
	}
	if r.id != "" && n.decisions+n.unreadable == 0 {
		if r.en {
			fmt.Fprintf(stderr, "entitle replay: decision %s is not in the logs given\n", r.id)
		} else {
			fmt.Fprintf(stderr, "entitle replay：所给日志中没有编号为 %s 的决定\n", r.id)
		}
		return exitUsage
	}
	if !r.json {
		if r.en {
			fmt.Fprintf(stdout, "%s replayed under %s: %s; %s unreadable\n", count(n.decisions, "decision", "decisions"), eng.Pack().Meta.Hash,
				count(n.changed, "determination changes", "determinations change"), count(n.unreadable, "record", "records"))
		} else {
			fmt.Fprintf(stdout, "已按规则包 %s 重新认定 %d 项决定：%d 项认定结果会改变；%d 条记录无法读取\n", eng.Pack().Meta.Hash, n.decisions, n.changed, n.unreadable)
		}
	}
	if n.unreadable > 0 {
		return exitIO
	}
	if n.changed > 0 {
		return exitFailed
	}
	return exitOK
}

// replayer re-evaluates the decisions of the logs given. Consecutive lines
// go in batches to workers, and what each batch gives is printed in the
// order of the logs, so the output is the same whatever the number of
// workers.
type replayer struct {
	eng      *engine.Engine
	json, en bool
	workers  int
	// id, when given, is the one decision to replay, in full (decision).
	id string
}

// batchLines is how many lines of a log make one batch of work.
const batchLines = 256

// replayBatch is up to batchLines consecutive lines of one log, and what
// replaying them gave.
type replayBatch struct {
	seq   int
	path  string
	first int // the line number of lines[0]
	lines [][]byte
	// out and errs are the batch's text for stdout and stderr.
	out, errs bytes.Buffer
	counts    replayCounts
}

// replayCounts are a replay's totals.
type replayCounts struct{ decisions, changed, unreadable int }

// run replays the logs in order. It returns an error only when a log
// cannot be read, after printing what the logs before it gave.
func (r *replayer) run(paths []string, stdout, stderr io.Writer) (replayCounts, error) {
	work := make(chan *replayBatch)
	done := make(chan *replayBatch)
	readErr := make(chan error, 1)
	// At most this many batches are read and not yet printed, however
	// slow one of them is.
	slots := make(chan struct{}, 4*r.workers)
	go func() {
		defer close(work)
		seq := 0
		for _, path := range paths {
			err := readLog(path, func(b *replayBatch) {
				slots <- struct{}{}
				b.seq = seq
				seq++
				work <- b
			})
			if err != nil {
				readErr <- err
				return
			}
		}
		readErr <- nil
	}()
	var wg sync.WaitGroup
	for range r.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range work {
				r.batch(b)
				done <- b
			}
		}()
	}
	go func() {
		wg.Wait()
		close(done)
	}()
	var total replayCounts
	waiting := map[int]*replayBatch{}
	next := 0
	for b := range done {
		waiting[b.seq] = b
		for b := waiting[next]; b != nil; b = waiting[next] {
			delete(waiting, next)
			next++
			stdout.Write(b.out.Bytes())
			stderr.Write(b.errs.Bytes())
			total.decisions += b.counts.decisions
			total.changed += b.counts.changed
			total.unreadable += b.counts.unreadable
			<-slots
		}
	}
	return total, <-readErr
}

// readLog reads one log, a name ending in .gz through gzip, and hands its
// lines on in batches.
func readLog(path string, emit func(*replayBatch)) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var in io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		z, err := gzip.NewReader(f)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		defer z.Close()
		in = z
	}
	lines := bufio.NewScanner(in)
	lines.Buffer(nil, 16<<20)
	b := &replayBatch{path: path, first: 1}
	for line := 1; lines.Scan(); line++ {
		b.lines = append(b.lines, bytes.Clone(lines.Bytes()))
		if len(b.lines) == batchLines {
			emit(b)
			b = &replayBatch{path: path, first: line + 1}
		}
	}
	if len(b.lines) > 0 {
		emit(b)
	}
	if err := lines.Err(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// batch replays a batch's decisions, writing what changes to b.out and
// lines that are not decisions to b.errs.
func (r *replayer) batch(b *replayBatch) {
	enc := json.NewEncoder(&b.out)
	enc.SetEscapeHTML(false)
	for i, text := range b.lines {
		line := b.first + i
		if len(bytes.TrimSpace(text)) == 0 || r.id != "" && !bytes.Contains(text, []byte(r.id)) {
			continue
		}
		d, err := httpapi.ParseDecision(text)
		if err != nil || d.Input == nil {
			b.counts.unreadable++
			if r.en {
				fmt.Fprintf(&b.errs, "%s:%d: not a decision record: %v\n", b.path, line, err)
			} else {
				fmt.Fprintf(&b.errs, "%s:%d：不是决定记录（%v）\n", b.path, line, err)
			}
			continue
		}
		if r.id != "" && d.DecisionID != r.id {
			continue
		}
		b.counts.decisions++
		asOf, _ := time.Parse("2006-01-02", d.AsOf)
		res, err := r.eng.Evaluate(context.Background(), httpapi.Unmask(d.Input), engine.AsOf(asOf))
		if err != nil {
			if r.en {
				fmt.Fprintf(&b.errs, "%s:%d: decision %s cannot be re-evaluated: %v\n", b.path, line, d.DecisionID, err)
			} else {
				fmt.Fprintf(&b.errs, "%s:%d：决定 %s 无法重新评估（%v）\n", b.path, line, d.DecisionID, err)
			}
			b.counts.unreadable++
			continue
		}
		switch {
		case r.id != "" && r.json:
			b.counts.changed += r.decisionJSON(&b.out, d, res, b.path, line)
			continue
		case r.id != "":
			r.decision(&b.out, d, res, b.path, line)
		}
		for _, c := range diff(r.eng.Pack(), d, res, b.path, line) {
			b.counts.changed++
			if r.json {
				enc.Encode(c)
				continue
			}
			fmt.Fprintln(&b.out, describeChange(r.eng.Pack(), c, r.en))
		}
	}
	b.lines = nil
}

// decision reports the one decision asked for (--id), for a review or an
// appeal: where it stands and when it was made, whether the pack is the
// one it was made under (its determinations then are those of the day),
// and the replay's full report, each determination with the clauses it
// rests on; the changes, if any, follow.
func (r *replayer) decision(w io.Writer, d httpapi.Decision, res *engine.Result, file string, line int) {
	now := r.eng.Pack().Meta
	same := d.RulePack.Hash == now.Hash
	switch {
	case r.en && same:
		fmt.Fprintf(w, "Decision %s (%s:%d), made %s under %s %s: the pack is the same, so these are the determinations made then.\n\n", d.DecisionID, file, line, d.Time, d.RulePack.Version, d.RulePack.Hash)
	case r.en:
		fmt.Fprintf(w, "Decision %s (%s:%d), made %s under %s %s: the pack is now %s %s; these are its determinations, and what differs from those made then follows them.\n\n", d.DecisionID, file, line, d.Time, d.RulePack.Version, d.RulePack.Hash, now.Version, now.Hash)
	case same:
		fmt.Fprintf(w, "决定 %s（%s 第 %d 行），%s 按规则包 %s %s 作出：现规则包与之相同，以下即当时的认定。\n\n", d.DecisionID, file, line, d.Time, d.RulePack.Version, d.RulePack.Hash)
	default:
		fmt.Fprintf(w, "决定 %s（%s 第 %d 行），%s 按规则包 %s %s 作出：现规则包为 %s %s，以下为现规则包下的认定，与当时不同之处列在其后。\n\n", d.DecisionID, file, line, d.Time, d.RulePack.Version, d.RulePack.Hash, now.Version, now.Hash)
	}
	lang := "zh"
	if r.en {
		lang = "en"
	}
	report.Write(w, res, report.Options{Lang: lang, Names: report.NamesOf(d.Input), Pack: r.eng.Pack()})
	fmt.Fprintln(w)
}

// Replayed is what `entitle replay --id ID --format json` prints: the one
// decision asked for, its replay in full under the pack given, and what
// differs from the decision made then.
type Replayed struct {
	DecisionID string `json:"decision_id"`
	File       string `json:"file"`
	Line       int    `json:"line"`
	// Time is when the decision was made, MadeUnder the pack it was made
	// under, and SamePack whether the pack replayed under is that pack
	// (Result is then the decision made that day).
	Time      string      `json:"time"`
	MadeUnder engine.Pack `json:"made_under"`
	SamePack  bool        `json:"same_pack"`
	// Result is the full result of the replay, as /v1/evaluate answers,
	// with the names masked as the log keeps them.
	Result  json.RawMessage `json:"result"`
	Changes []Change        `json:"changes"`
}

// decisionJSON writes the one decision asked for (--id) as a Replayed,
// for a case-management system's review of an appeal, and returns the
// number of changes.
func (r *replayer) decisionJSON(w io.Writer, d httpapi.Decision, res *engine.Result, file string, line int) int {
	changes := diff(r.eng.Pack(), d, res, file, line)
	if changes == nil {
		changes = []Change{}
	}
	out := Replayed{DecisionID: d.DecisionID, File: file, Line: line, Time: d.Time, MadeUnder: d.RulePack,
		SamePack: d.RulePack.Hash == r.eng.Pack().Meta.Hash, Result: r.eng.AppendJSON(nil, res), Changes: changes}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(out)
	return len(changes)
}

// diff compares a logged decision with its replay, determination by
// determination; p, the pack replayed under, names the conditions.
func diff(p *rulepack.Pack, d httpapi.Decision, res *engine.Result, file string, line int) []Change {
	after := httpapi.Outcomes(res)
	key := func(o httpapi.Outcome) string { return o.Benefit + "/" + o.Subject }
	now := map[string]*httpapi.Outcome{}
	for i := range after {
		now[key(after[i])] = &after[i]
	}
	var out []Change
	seen := map[string]bool{}
	for i := range d.Results {
		b := &d.Results[i]
		k := key(*b)
		seen[k] = true
		a := now[k]
		c := Change{DecisionID: d.DecisionID, Household: d.Input.ID, File: file, Line: line, Benefit: b.Benefit, Subject: b.Subject, Before: b, After: a}
		switch {
		case a == nil:
			w := noLongerDetermined(res, b.Benefit)
			c.Why, c.WhyZh = w.En, w.Zh
		case a.Status != b.Status || a.Modality != b.Modality || a.Amount != b.Amount || a.PeriodTo != b.PeriodTo:
			w := why(p, b, a)
			c.Why, c.WhyZh = w.En, w.Zh
		default:
			continue
		}
		out = append(out, c)
	}
	for i := range after {
		if a := &after[i]; !seen[key(*a)] {
			rules := strings.Join(a.Rules, ", ")
			out = append(out, Change{DecisionID: d.DecisionID, Household: d.Input.ID, File: file, Line: line, Benefit: a.Benefit, Subject: a.Subject, After: a,
				Why: "newly determined: rules " + rules, WhyZh: "新增认定：依据规则 " + rules})
		}
	}
	return out
}

// noLongerDetermined says why a benefit the log determined for a subject
// the replay does not: why the result lists it as not determined, or, when
// the benefit is still determined for others, that its rules no longer
// concern this subject.
func noLongerDetermined(res *engine.Result, benefit string) rulepack.Text {
	for _, n := range res.NotDetermined {
		if n.Benefit != benefit {
			continue
		}
		if n.Text == nil {
			return rulepack.Text{Zh: "不再认定（" + n.Why + "）", En: "no longer determined (" + n.Why + ")"}
		}
		return rulepack.Text{Zh: "不再认定：" + n.Text.Zh, En: "no longer determined: " + n.Text.En}
	}
	return rulepack.Text{Zh: "不再对此对象认定：此项待遇的规则已不涉及该成员", En: "no longer determined for this subject: the benefit's rules no longer concern this member"}
}

// why says what made a determination change. A logged "failed" entry
// (rule.condition) is a reason the benefit was refused: a condition of a
// granting rule not met, or the condition of an exception (a deny rule)
// that applies; each is named by its id and, where the pack replayed under
// has it, its label.
func why(p *rulepack.Pack, b, a *httpapi.Outcome) rulepack.Text {
	var zh, en []string
	add := func(z, e string, zhs, ens []string) {
		if len(ens) > 0 {
			zh = append(zh, z+strings.Join(zhs, "，"))
			en = append(en, e+strings.Join(ens, ", "))
		}
	}
	ids := func(z, e string, list []string) { add(z, e, list, list) }
	ids("现依据规则：", "rules now: ", setDiff(a.Rules, b.Rules))
	ids("不再依据规则：", "rules no longer: ", setDiff(b.Rules, a.Rules))
	unmet, exception := conditionsByKind(p, setDiff(a.Failed, b.Failed))
	add("现未满足：", "now not met: ", unmet.Zh, unmet.En)
	add("现属于例外情形：", "an exception now applies: ", exception.Zh, exception.En)
	met, lifted := conditionsByKind(p, setDiff(b.Failed, a.Failed))
	add("现已满足：", "now met: ", met.Zh, met.En)
	add("不再属于例外情形：", "an exception no longer applies: ", lifted.Zh, lifted.En)
	ids("现缺少信息：", "now missing: ", setDiff(a.Missing, b.Missing))
	if a.Amount != b.Amount {
		zh = append(zh, fmt.Sprintf("金额 %s → %s", orNone(b.Amount, "无"), orNone(a.Amount, "无")))
		en = append(en, fmt.Sprintf("amount %s → %s", orNone(b.Amount, "none"), orNone(a.Amount, "none")))
	}
	if a.PeriodTo != b.PeriodTo {
		zh = append(zh, fmt.Sprintf("期间截止 %s → %s", orNone(b.PeriodTo, "无"), orNone(a.PeriodTo, "无")))
		en = append(en, fmt.Sprintf("period ends %s → %s", orNone(b.PeriodTo, "none"), orNone(a.PeriodTo, "none")))
	}
	if len(en) == 0 {
		zh, en = []string{"规则的给予方式改变"}, []string{"the modality of the rules changed"}
	}
	return rulepack.Text{Zh: strings.Join(zh, "；"), En: strings.Join(en, "; ")}
}

// namedConditions are conditions written out in each language.
type namedConditions struct{ Zh, En []string }

// conditionsByKind splits logged reasons for refusal (rule.condition) into
// conditions of granting rules (unmet) and of exceptions, each written as
// its id with its label in p: 141081.x.y.within_phase_out（人均收入…）.
func conditionsByKind(p *rulepack.Pack, ids []string) (unmet, exception namedConditions) {
	for _, id := range ids {
		zh, en, deny := id, id, false
		if i := strings.LastIndexByte(id, '.'); i > 0 {
			if r, ok := p.Rule(id[:i]); ok {
				deny = r.Effect == rulepack.Deny
				for _, c := range r.AllConditions {
					if c.ID == id[i+1:] {
						zh, en = id+"（"+c.Label.Zh+"）", id+" ("+c.Label.En+")"
					}
				}
			}
		}
		to := &unmet
		if deny {
			to = &exception
		}
		to.Zh, to.En = append(to.Zh, zh), append(to.En, en)
	}
	return unmet, exception
}

func orNone(s, none string) string {
	if s == "" {
		return none
	}
	return s
}

func setDiff(a, b []string) []string {
	in := map[string]bool{}
	for _, x := range b {
		in[x] = true
	}
	var out []string
	for _, x := range a {
		if !in[x] {
			out = append(out, x)
		}
	}
	return out
}

func describeChange(p *rulepack.Pack, c Change, en bool) string {
	w := replayWords[en]
	state := func(o *httpapi.Outcome) string {
		if o == nil {
			return "-"
		}
		s := report.Status(w.lang, engine.Status(o.Status))
		if o.Modality != "" {
			s += w.open + report.Modality(w.lang, o.Modality) + w.shut
		}
		if o.Amount != "" {
			s += " " + o.Amount
		}
		return s
	}
	subject := w.household
	if c.Subject != "household" {
		subject = w.member + c.Subject
	}
	benefit := c.Benefit
	if b, ok := p.Benefit(c.Benefit); ok {
		benefit = b.Name.In(w.lang) + " " + c.Benefit
	}
	hh := w.ofHousehold + c.Household
	if c.Household == "" {
		hh = w.noID
	}
	if en {
		return fmt.Sprintf("decision %s (%s, %s:%d): %s for %s: %s → %s — %s", c.DecisionID, hh, c.File, c.Line, benefit, subject, state(c.Before), state(c.After), c.Why)
	}
	return fmt.Sprintf("决定 %s（%s，%s 第 %d 行）：%s · %s：%s → %s —— %s", c.DecisionID, hh, c.File, c.Line, benefit, subject, state(c.Before), state(c.After), c.WhyZh)
}

// replayWords are the words of a change in each language (en: true);
// statuses and modalities are the report's. ofHousehold precedes a
// household's id, and noID stands for a household that gave none.
var replayWords = map[bool]struct{ lang, household, member, open, shut, ofHousehold, noID string }{
	false: {lang: "zh", household: "全户", member: "成员 ", open: "（", shut: "）", ofHousehold: "户 ", noID: "户未编号"},
	true:  {lang: "en", household: "household", member: "member ", open: " (", shut: ")", ofHousehold: "household ", noID: "household without an id"},
}
