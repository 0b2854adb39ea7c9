package main

import (
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"entitle/engine/packtest"
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
	setUsage(flags, stderr, `用法：entitle test [选项] [目录]

运行目录中规则包（默认：内置规则包）的测试用例，并报告覆盖率。`, `Usage: entitle test [flags] [DIR]

Runs the test cases of the rule pack in DIR (default: the embedded pack) and reports coverage.`)
	if !parseArgs(flags, args, 0, 1) {
		return exitUsage
	}
	dir := flags.Arg(0)
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
	rep := packtest.Run(eng, fsys, files)
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
	fmt.Fprintf(stdout, "\n%s, %d passed, %d failed (%s)\n", count(len(rep.Results), "case", "cases"), len(rep.Results)-rep.Failed(), rep.Failed(), count(len(files), "file", "files"))
	fmt.Fprintf(stdout, "coverage: %d/%d rules exercised; %d/%d conditions seen both true and false\n", c.RulesExercised, c.Rules, c.ConditionsBothWays, c.Conditions)
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
	if rep.Failed() > 0 || len(rep.Diagnostics) > 0 {
		return exitFailed
	}
	if *strict && (len(c.NeverEvaluated)+len(c.NeverTrue)+len(c.NeverFalse)+len(c.ConditionsNeverTrue)+len(c.ConditionsNeverFalse)) > 0 {
		fmt.Fprintln(stdout, "coverage is incomplete (--coverage-strict)")
		return exitFailed
	}
	return exitOK
}
