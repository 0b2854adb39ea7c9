package main

import (
	"bytes"

	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"

	"entitle/engine/packtest"
	"entitle/engine/rulepack"
	"entitle/rules"
)

func init() {
	register(verb{name: "lint", summaryZh: "检查规则包：文件结构、CEL 类型、计算成本、代码、编号、引文是否逐字一致", summary: "check a rule pack: schemas, CEL types, cost, codes, ids, verbatim citations", run: runLint})
}

func runLint(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("lint", flag.ContinueOnError)
	flags.SetOutput(stderr)
	format := flags.String("format", "text", formatUsage)
	rulesDir := flags.String("rules", "", both("规则包目录，同命令后的“目录”", "rule pack directory, as DIR"))
	setUsage(flags, stderr, `用法：entitle lint [选项] [目录]

检查目录中的规则包（默认：内置规则包）：文件结构、CEL 语法和类型、表达式计算成本、
待遇代码、重复编号、规则关系、参数，以及每条引文是否与清理后的原文逐字一致。
目录也可用 --rules 给出。`, `Usage: entitle lint [flags] [DIR]

Checks the rule pack in DIR (default: the embedded pack): file schemas, CEL syntax and types,
expression cost, benefit codes, duplicate ids, relations, parameters, and that every
citation's quote is verbatim in its cleaned source text. DIR may also be given as --rules DIR.`)
	if !parseArgs(flags, args, 0, 1) || !formatOK("lint", *format, stderr) {
		return exitUsage
	}
	dir, ok := packDir("lint", flags.Arg(0), *rulesDir, stderr)
	if !ok {
		return exitUsage
	}
	var fsys fs.FS = rules.FS
	label := "embedded pack"
	if dir != "" {
		st, err := os.Stat(dir)
		if err != nil || !st.IsDir() {
			return misused(stderr, "lint", dir+" 不是目录", dir+" is not a directory")
		}
		fsys, label = os.DirFS(dir), dir
	}
	pack, diags := rulepack.Load(fsys)
	diags = append(diags, cleanedSourceDiags(fsys)...)
	if files, err := packtest.Files(fsys, "."); err == nil {
		diags = append(diags, packtest.Check(fsys, files)...)
	}
	diags.Sort()
	if *format == "json" {
		out := map[string]any{"pack": label, "diagnostics": diags}
		if diags == nil {
			out["diagnostics"] = []rulepack.Diagnostic{}
		}
		writeJSON(stdout, out)
	} else {
		for _, d := range diags {
			fmt.Fprintln(stdout, d.String())
		}
	}
	errs := len(diags.Errors())
	if *format == "text" {
		if pack != nil {
			quotes := 0
			for _, r := range pack.Rules {
				quotes += len(r.Citations)
			}
			fmt.Fprintf(stdout, "%s: %s %s — %s, %s, %s checked verbatim against %s; %s, %s\n",
				label, pack.Meta.ID, pack.Meta.Version, count(len(pack.Rules), "rule", "rules"), count(len(pack.Conditions), "condition", "conditions"),
				count(quotes, "citation", "citations"), count(len(pack.Documents), "document", "documents"),
				count(errs, "error", "errors"), count(len(diags)-errs, "warning", "warnings"))
		} else {
			fmt.Fprintf(stdout, "%s: %s, %s\n", label, count(errs, "error", "errors"), count(len(diags)-errs, "warning", "warnings"))
		}
	}
	if errs > 0 {
		return exitFailed
	}
	return exitOK
}

// cleanedSourceDiags checks that each cleaned source is exactly what the
// cleaner makes from its raw seed, when the raw seeds are present.
func cleanedSourceDiags(fsys fs.FS) rulepack.Diagnostics {
	if _, err := fs.Stat(fsys, "sources/raw"); err != nil {
		return nil
	}
	files, repairs, err := rulepack.CleanedSources(fsys)
	if err != nil {
		return rulepack.Diagnostics{{File: "sources/sources.yaml", Code: rulepack.CodeSourceClean, Severity: rulepack.Error, Msg: err.Error()}}
	}
	files[rulepack.RepairsFile] = repairs
	var out rulepack.Diagnostics
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		old, err := fs.ReadFile(fsys, p)
		if err != nil || !bytes.Equal(old, files[p]) {
			out = append(out, rulepack.Diagnostic{File: p, Code: rulepack.CodeSourceClean, Severity: rulepack.Error,
				Msg: "differs from what the cleaner makes from its raw seed; run `go run ./cmd/cleansources`"})
		}
	}
	return out
}
