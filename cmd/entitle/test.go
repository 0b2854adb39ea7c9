package main

import (
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"regexp"
	"strings"

	"entitle/engine/packtest"
	"entitle/engine/rulepack"
	"entitle/rules"
)

func init() {
	register(verb{name: "test", summaryZh: "运行规则包的测试用例（*.test.yaml）并报告覆盖率", summary: "run a rule pack's test cases (*.test.yaml) and report coverage", run: runTest})
}

func runTest(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("test", flag.ContinueOnError)
	flags.SetOutput(stderr)
	verbose := flags.Bool("v", false, both("列出每个用例，而不只是失败的", "list every case, not only failures"))
	strict := flags.Bool("coverage-strict", false, both("有规则从未被用例触发，或有条件未同时出现真和假时，判为失败", "fail when a rule is never exercised or a condition is not seen both true and false"))
	run := flags.String("run", "", both("只运行“文件:用例名”与此正则表达式匹配的用例（例如 '371581/' 或 'phase-out'）",
		"run only the cases whose FILE:NAME this regular expression matches (e.g. '371581/' or 'phase-out')"))
	format := flags.String("format", "text", formatUsage)
	rulesDir := flags.String("rules", "", both("规则包目录，同命令后的“目录”", "rule pack directory, as DIR"))
	setUsage(flags, stderr, `用法：entitle test [选项] [目录]

运行目录中规则包（默认：内置规则包）的测试用例，并报告覆盖率。目录也可用 --rules 给出。`, `Usage: entitle test [flags] [DIR]

Runs the test cases of the rule pack in DIR (default: the embedded pack) and reports coverage.
DIR may also be given as --rules DIR.`)
	if !parseArgs(flags, args, 0, 1) || !formatOK("test", *format, stderr) {
		return exitUsage
	}
	var opts []packtest.Option
	if *run != "" {
		re, err := regexp.Compile(*run)
		if err != nil {
			return misused(stderr, "test", "--run 不是有效的正则表达式："+err.Error(), "--run is not a valid regular expression: "+err.Error())
		}
		if *strict {
			return misused(stderr, "test", "--coverage-strict 不能与 --run 同用：只运行部分用例时覆盖率必然不全",
				"--coverage-strict cannot be used with --run: the coverage of some cases is incomplete by design")
		}
		opts = append(opts, packtest.Match(re))
	}
	dir, ok := packDir("test", flags.Arg(0), *rulesDir, stderr)
	if !ok {
		return exitUsage
	}
	eng, ok := loadEngine(dir, stderr)
	if !ok {
		return exitRuleErr
	}
	var fsys fs.FS = rules.FS
	if dir != "" {
		fsys = os.DirFS(dir)
	}
	files, err := packtest.Files(fsys, ".")
	if err != nil {
		fmt.Fprintln(stderr, "entitle test:", err)
		return exitFailed
	}
	if len(files) == 0 {
		fmt.Fprintln(stderr, "entitle test: no *.test.yaml files found")
		return exitFailed
	}
	rep := packtest.Run(eng, fsys, files, opts...)
	if *format == "json" {
		writeTestJSON(stdout, rep, len(files))
		return testExit(rep, *strict, nil)
	}
	for _, d := range rep.Diagnostics {
		fmt.Fprintln(stdout, d.String())
	}
	for _, r := range rep.Results {
		if r.Passed() {
			if *verbose {
				fmt.Fprintf(stdout, "ok    %s:%d %s\n", r.File, r.Line, r.Name)
			}
			continue
		}
		fmt.Fprintf(stdout, "FAIL  %s:%d %s\n", r.File, r.Line, r.Name)
		for _, f := range r.Failures {
			fmt.Fprintf(stdout, "        %s\n", f)
		}
	}
	c := rep.Coverage
	skipped := ""
	if rep.Skipped > 0 {
		skipped = fmt.Sprintf(", %d skipped (--run)", rep.Skipped)
	}
	fmt.Fprintf(stdout, "\n%s, %d passed, %d failed%s (%s)\n", count(len(rep.Results), "case", "cases"), len(rep.Results)-rep.Failed(), rep.Failed(), skipped, count(len(files), "file", "files"))
	if len(rep.Results) == 0 && rep.Skipped > 0 {
		fmt.Fprintf(stdout, "no case matches --run %q\n", *run)
		return exitFailed
	}
	of := ""
	if rep.Skipped > 0 {
		of = " (of the cases run)"
	}
	fmt.Fprintf(stdout, "coverage%s: %d/%d rules exercised; %d/%d conditions seen both true and false\n", of, c.RulesExercised, c.Rules, c.ConditionsBothWays, c.Conditions)
	list := func(title string, items []string) {
		if len(items) > 0 {
			fmt.Fprintf(stdout, "  %s (%d):\n    %s\n", title, len(items), strings.Join(items, "\n    "))
		}
	}
	list("rules never evaluated", c.NeverEvaluated)
	list("rules never true", c.NeverTrue)
	list("rules never false", c.NeverFalse)
	list("conditions never true", c.ConditionsNeverTrue)
	list("conditions never false", c.ConditionsNeverFalse)
	return testExit(rep, *strict, stdout)
}

// testExit is the exit code of a test run: failed when a case failed, a
// test file is wrong, --run matched nothing, or --coverage-strict finds
// coverage incomplete (said on w, when given).
func testExit(rep *packtest.Report, strict bool, w io.Writer) int {
	if rep.Failed() > 0 || len(rep.Diagnostics) > 0 || len(rep.Results) == 0 {
		return exitFailed
	}
	c := rep.Coverage
	if strict && (len(c.NeverEvaluated)+len(c.NeverTrue)+len(c.NeverFalse)+len(c.ConditionsNeverTrue)+len(c.ConditionsNeverFalse)) > 0 {
		if w != nil {
			fmt.Fprintln(w, "coverage is incomplete (--coverage-strict)")
		}
		return exitFailed
	}
	return exitOK
}

// testCaseJSON is a case as `entitle test --format json` gives it.
type testCaseJSON struct {
	File     string   `json:"file"`
	Line     int      `json:"line"`
	Name     string   `json:"name"`
	Passed   bool     `json:"passed"`
	Failures []string `json:"failures"`
}

// writeTestJSON writes a test run as one JSON object: the cases run, the
// counts, the coverage and the problems with the test files.
func writeTestJSON(w io.Writer, rep *packtest.Report, files int) {
	cases := make([]testCaseJSON, 0, len(rep.Results))
	for _, r := range rep.Results {
		cases = append(cases, testCaseJSON{File: r.File, Line: r.Line, Name: r.Name, Passed: r.Passed(), Failures: nonNil(r.Failures)})
	}
	c := rep.Coverage
	for _, l := range []*[]string{&c.NeverEvaluated, &c.NeverTrue, &c.NeverFalse, &c.ConditionsNeverTrue, &c.ConditionsNeverFalse} {
		*l = nonNil(*l)
	}
	diags := rep.Diagnostics
	if diags == nil {
		diags = rulepack.Diagnostics{}
	}
	writeJSON(w, map[string]any{
		"cases": cases, "files": files, "passed": len(rep.Results) - rep.Failed(), "failed": rep.Failed(), "skipped": rep.Skipped,
		"coverage": c, "diagnostics": diags,
	})
}

// nonNil is l, or an empty list for nil (so that JSON says [] rather than null).
func nonNil(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}
