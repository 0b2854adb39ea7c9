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
	Why     string           `json:"why"`
}

func runReplay(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("replay", flag.ContinueOnError)
	flags.SetOutput(stderr)
	rulesDir := flags.String("rules", "", both("用来重新评估的规则包目录（默认：entitle 内置的规则包）", "rule pack to replay under (default: the pack built into entitle)"))
	format := flags.String("format", "text", both("text（文本）或 json（每行一项变化）", "text or json (one change a line)"))
	lang := flags.String("lang", "zh", both("文本报告的语言：zh 或 en", "language of the text report: zh or en"))
	workers := flags.Int("workers", 0, both("并行重新评估的工作协程数（0：每个 CPU 核一个）；输出与数量无关", "workers re-evaluating decisions (0: one per core); the output is the same for any number"))
	setUsage(flags, stderr, `用法：entitle replay [选项] 日志...

在规则包下按各决定当日重新评估决定日志（entitle serve --decision-log）中的每个决定，
报告每项会改变的认定及其原因。已脱敏的身份信息不参与评估，也没有规则读取它们。
多个日志按给出的顺序读取，例如日志轮转留下的文件
（decisions.jsonl.2.gz decisions.jsonl.1 decisions.jsonl）；以 .gz 结尾的文件按 gzip 读取。
退出码：0 无变化；1 有认定改变；2 用法错误；3 规则包错误；4 日志无法读取。`, `Usage: entitle replay [flags] LOG...

Re-evaluates each decision of a decision log (entitle serve --decision-log) on
its own date under a rule pack, and reports every determination that would
change, and why. Masked identifiers are left out; no rule reads them.
Several logs are read in the order given, e.g. the files a rotation left
(decisions.jsonl.2.gz decisions.jsonl.1 decisions.jsonl); a name ending in
.gz is read through gzip.
Exit codes: 0 nothing changes, 1 some determination changes, 2 usage,
3 rule pack error, 4 a log cannot be read.`)
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
	r := replayer{eng: eng, json: *format == "json", en: *lang == "en", workers: *workers}
	if r.workers == 0 {
		r.workers = runtime.GOMAXPROCS(0)
	}
	n, err := r.run(flags.Args(), stdout, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "entitle replay:", err)
		return exitIO
	}
	if !r.json {
		if r.en {
			fmt.Fprintf(stdout, "%d decisions replayed under %s: %d determinations change; %d records unreadable\n", n.decisions, eng.Pack().Meta.Hash, n.changed, n.unreadable)
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
		if len(bytes.TrimSpace(text)) == 0 {
			continue
		}
		d, err := httpapi.ParseDecision(text)
		if err != nil || d.Input == nil {
			b.counts.unreadable++
			fmt.Fprintf(&b.errs, "%s:%d: not a decision record: %v\n", b.path, line, err)
			continue
		}
		b.counts.decisions++
		asOf, _ := time.Parse("2006-01-02", d.AsOf)
		res, err := r.eng.Evaluate(context.Background(), httpapi.Unmask(d.Input), engine.AsOf(asOf))
		if err != nil {
			fmt.Fprintf(&b.errs, "%s:%d: decision %s cannot be re-evaluated: %v\n", b.path, line, d.DecisionID, err)
			b.counts.unreadable++
			continue
		}
		for _, c := range diff(d, httpapi.Outcomes(res), b.path, line) {
			b.counts.changed++
			if r.json {
				enc.Encode(c)
				continue
			}
			fmt.Fprintln(&b.out, describeChange(c, r.en))
		}
	}
	b.lines = nil
}

// diff compares a logged decision with its replay, determination by
// determination.
func diff(d httpapi.Decision, after []httpapi.Outcome, file string, line int) []Change {
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
			c.Why = "no longer determined: no rule of the pack concerns it"
		case a.Status != b.Status || a.Modality != b.Modality || a.Amount != b.Amount || a.PeriodTo != b.PeriodTo:
			c.Why = why(b, a)
		default:
			continue
		}
		out = append(out, c)
	}
	for i := range after {
		if a := &after[i]; !seen[key(*a)] {
			out = append(out, Change{DecisionID: d.DecisionID, Household: d.Input.ID, File: file, Line: line, Benefit: a.Benefit, Subject: a.Subject, After: a,
				Why: "newly determined: rules " + strings.Join(a.Rules, ", ")})
		}
	}
	return out
}

func why(b, a *httpapi.Outcome) string {
	var parts []string
	if added, removed := setDiff(a.Rules, b.Rules), setDiff(b.Rules, a.Rules); len(added)+len(removed) > 0 {
		if len(added) > 0 {
			parts = append(parts, "rules now: "+strings.Join(added, ", "))
		}
		if len(removed) > 0 {
			parts = append(parts, "rules no longer: "+strings.Join(removed, ", "))
		}
	}
	if newly := setDiff(a.Failed, b.Failed); len(newly) > 0 {
		parts = append(parts, "conditions now not met: "+strings.Join(newly, ", "))
	}
	if met := setDiff(b.Failed, a.Failed); len(met) > 0 {
		parts = append(parts, "conditions now met: "+strings.Join(met, ", "))
	}
	if m := setDiff(a.Missing, b.Missing); len(m) > 0 {
		parts = append(parts, "now missing: "+strings.Join(m, ", "))
	}
	if a.Amount != b.Amount {
		parts = append(parts, fmt.Sprintf("amount %s → %s", orNone(b.Amount), orNone(a.Amount)))
	}
	if a.PeriodTo != b.PeriodTo {
		parts = append(parts, fmt.Sprintf("period ends %s → %s", orNone(b.PeriodTo), orNone(a.PeriodTo)))
	}
	if len(parts) == 0 {
		parts = append(parts, "the modality of the rules changed")
	}
	return strings.Join(parts, "; ")
}

func orNone(s string) string {
	if s == "" {
		return "none"
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

func describeChange(c Change, en bool) string {
	state := func(o *httpapi.Outcome) string {
		if o == nil {
			return "-"
		}
		s := o.Status
		if o.Modality != "" {
			s += " (" + o.Modality + ")"
		}
		if o.Amount != "" {
			s += " " + o.Amount
		}
		return s
	}
	if en {
		return fmt.Sprintf("decision %s (household %s, %s:%d): %s for %s: %s → %s — %s", c.DecisionID, c.Household, c.File, c.Line, c.Benefit, c.Subject, state(c.Before), state(c.After), c.Why)
	}
	return fmt.Sprintf("决定 %s（户 %s，%s 第 %d 行）：%s · %s：%s → %s —— %s", c.DecisionID, c.Household, c.File, c.Line, c.Benefit, c.Subject, state(c.Before), state(c.After), c.Why)
}
