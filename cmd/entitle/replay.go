package main

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"entitle/engine"
	"entitle/engine/httpapi"
)

func init() {
	register(verb{"replay", "re-evaluate logged decisions under a rule pack and report what would change", runReplay})
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
	rulesDir := flags.String("rules", "", "rule pack to replay under (default: the pack built into entitle)")
	format := flags.String("format", "text", "text or json (one change a line)")
	lang := flags.String("lang", "zh", "language of the text report: zh or en")
	flags.Usage = func() {
		fmt.Fprint(stderr, `Usage: entitle replay [flags] LOG...

Re-evaluates each decision of a decision log (entitle serve --decision-log) on
its own date under a rule pack, and reports every determination that would
change, and why. Masked identifiers are left out; no rule reads them.
Several logs are read in the order given, e.g. the files a rotation left
(decisions.jsonl.2.gz decisions.jsonl.1 decisions.jsonl); a name ending in
.gz is read through gzip.
Exit codes: 0 nothing changes, 1 some determination changes, 2 usage,
3 rule pack error, 4 a log cannot be read.

Flags:
`)
		flags.PrintDefaults()
	}
	if !parseArgs(flags, args, 1, -1) {
		return exitUsage
	}
	eng, ok := loadEngine(*rulesDir, stderr)
	if !ok {
		return exitRuleErr
	}
	r := replayer{eng: eng, stdout: stdout, stderr: stderr, json: *format == "json", en: *lang == "en"}
	r.enc = json.NewEncoder(stdout)
	r.enc.SetEscapeHTML(false)
	for _, path := range flags.Args() {
		if err := r.file(path); err != nil {
			fmt.Fprintln(stderr, "entitle replay:", err)
			return exitIO
		}
	}
	if !r.json {
		if r.en {
			fmt.Fprintf(stdout, "%d decisions replayed under %s: %d determinations change; %d records unreadable\n", r.decisions, eng.Pack().Meta.Hash, r.changed, r.unreadable)
		} else {
			fmt.Fprintf(stdout, "已按规则包 %s 重新认定 %d 项决定：%d 项认定结果会改变；%d 条记录无法读取\n", eng.Pack().Meta.Hash, r.decisions, r.changed, r.unreadable)
		}
	}
	if r.unreadable > 0 {
		return exitIO
	}
	if r.changed > 0 {
		return exitFailed
	}
	return exitOK
}

// replayer re-evaluates the decisions of one log after another, keeping
// the counts across them.
type replayer struct {
	eng                            *engine.Engine
	stdout, stderr                 io.Writer
	enc                            *json.Encoder
	json, en                       bool
	decisions, changed, unreadable int
}

// file replays one log. It returns an error only when the file cannot be
// read; a line that is not a decision is reported and counted.
func (r *replayer) file(path string) error {
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
	line := 0
	for lines.Scan() {
		line++
		if strings.TrimSpace(lines.Text()) == "" {
			continue
		}
		var d httpapi.Decision
		if err := json.Unmarshal(lines.Bytes(), &d); err != nil || d.Input == nil {
			r.unreadable++
			fmt.Fprintf(r.stderr, "%s:%d: not a decision record: %v\n", path, line, err)
			continue
		}
		r.decisions++
		asOf, _ := time.Parse("2006-01-02", d.AsOf)
		res, err := r.eng.Evaluate(context.Background(), httpapi.Unmask(d.Input), engine.AsOf(asOf))
		if err != nil {
			fmt.Fprintf(r.stderr, "%s:%d: decision %s cannot be re-evaluated: %v\n", path, line, d.DecisionID, err)
			r.unreadable++
			continue
		}
		for _, c := range diff(d, httpapi.Outcomes(res), path, line) {
			r.changed++
			if r.json {
				r.enc.Encode(c)
				continue
			}
			fmt.Fprintln(r.stdout, describeChange(c, r.en))
		}
	}
	if err := lines.Err(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
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
