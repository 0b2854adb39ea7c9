package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"entitle/engine"
	"entitle/engine/household"
	"entitle/engine/report"
	"entitle/engine/rulepack"
)

func init() {
	register(verb{name: "check", summaryZh: "评估户记录（JSON 或 YAML；可给多个文件或目录；- 读标准输入）", summary: "evaluate household records (JSON or YAML; several files or a directory; - reads stdin)", run: runCheck})
}

func runCheck(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("check", flag.ContinueOnError)
	flags.SetOutput(stderr)
	rulesDir := flags.String("rules", "", rulesUsage)
	asOf := flags.String("as-of", "", both("按此日期评估，格式 YYYY-MM-DD（默认：记录中的 as_of，没有则为今天）", "evaluate as of this date, YYYY-MM-DD (default: the record's as_of, else today)"))
	lang := flags.String("lang", "zh", both("报告的语言：zh（中文）或 en（英文）", "language of the report: zh or en"))
	format := flags.String("format", "text", formatUsage)
	explain := flags.Bool("explain", false, both("逐条列出每个条件的判断过程", "show the condition-by-condition trace"))
	setUsage(flags, stderr, `用法：entitle check [选项] 文件|目录|-...

评估一户家庭，列出可以申领的每项待遇及其所依据的政策条文。
可给多个文件，或目录（读取其中的 .yaml、.yml、.json 文件，按文件名排序，不含子目录），
逐户报告；有记录无法评估时仍评估其余各户，最后汇总，退出码为 1。
多户时 --format json 输出一个数组，每项为 {"file", "result"}、{"file", "errors"}（记录有误）
或 {"file", "error"}（无法读取）。`, `Usage: entitle check [flags] FILE|DIR|-...

Evaluates one household and reports every benefit it can claim, with the policy it rests on.
Several files may be given, or a directory (its .yaml, .yml and .json files, in name
order, not its subdirectories): each household is reported in turn; a record that cannot
be evaluated does not stop the others, and a summary ends the report (exit code 1).
For several households --format json writes one array of {"file", "result"},
{"file", "errors"} (the record's problems) or {"file", "error"} (it could not be read).`)
	if !parseArgs(flags, args, 1, -1) {
		return exitUsage
	}
	if !langOK("check", *lang, stderr) {
		return exitUsage
	}
	if !formatOK("check", *format, stderr) {
		return exitUsage
	}
	var opts []engine.EvalOption
	if *asOf != "" {
		d, ok := asOfDate("check", *asOf, stderr)
		if !ok {
			return exitUsage
		}
		opts = append(opts, engine.AsOf(d))
	}
	if *explain {
		opts = append(opts, engine.Explain())
	}
	names, many, bad := recordFiles(flags.Args())
	if bad != nil {
		fmt.Fprintf(stderr, "entitle check: %s\n", unreadable(bad.name, bad.err, *lang))
		return exitFailed
	}
	var data []byte
	if !many {
		// One record: read before the pack is loaded, so that a file
		// missing is said at once.
		var err error
		if data, err = readInput(names[0], stdin); err != nil {
			fmt.Fprintf(stderr, "entitle check: %s\n", unreadable(names[0], err, *lang))
			return exitFailed
		}
	}
	eng, ok := loadEngine(*rulesDir, stderr)
	if !ok {
		return exitRuleErr
	}
	c := checker{eng: eng, stdin: stdin, opts: opts, lang: *lang, json: *format == "json", explain: *explain}
	if many {
		return c.many(names, stdout, stderr)
	}
	one := c.check(names[0], data)
	if one.ruleErr != nil {
		fmt.Fprintln(stderr, "entitle check:", one.ruleErr)
		return exitRuleErr
	}
	return c.report(one, stdout, stderr)
}

// checker evaluates the records check is given.
type checker struct {
	eng           *engine.Engine
	stdin         io.Reader
	opts          []engine.EvalOption
	lang          string
	json, explain bool
}

// checked is one record evaluated, or why it could not be.
type checked struct {
	name     string // as reports name it: <stdin> for -
	res      *engine.Result
	names    map[string]string // member ids to names, for the text report
	problems household.Errors  // what is wrong with the record
	inputErr error             // an input error that is not a record's problem
	ruleErr  error             // the pack could not evaluate it
}

// check evaluates one record's bytes.
func (c *checker) check(name string, data []byte) checked {
	name = shown(name)
	out := checked{name: name}
	res, err := c.eng.EvaluateRecord(context.Background(), data, household.DecodeOptions{File: name}, c.opts...)
	switch {
	case err == nil:
		out.res = res
		if !c.json {
			if h, _, _ := household.Decode(data, household.DecodeOptions{File: name}); h != nil {
				out.names = report.NamesOf(h)
			}
		}
	case engine.IsInputError(err):
		if !errors.As(err, &out.problems) {
			out.inputErr = err
		}
	default:
		out.ruleErr = err
	}
	return out
}

// report writes one record's result, or its problems, as check does for
// a single record.
func (c *checker) report(one checked, stdout, stderr io.Writer) int {
	if one.res == nil {
		if c.json {
			if one.problems != nil {
				writeJSON(stdout, map[string]any{"errors": inWords(one.problems)})
			} else {
				writeJSON(stdout, map[string]any{"errors": one.inputErr})
			}
		}
		c.sayProblems(one, stderr)
		return exitFailed
	}
	if c.json {
		if err := writeJSON(stdout, one.res); err != nil {
			fmt.Fprintln(stderr, "entitle check:", err)
			return exitFailed
		}
		return exitOK
	}
	if err := report.Write(stdout, one.res, report.Options{Lang: c.lang, Explain: c.explain, Names: one.names, Pack: c.eng.Pack()}); err != nil {
		fmt.Fprintln(stderr, "entitle check:", err)
		return exitFailed
	}
	return exitOK
}

// sayProblems writes why a record could not be evaluated.
func (c *checker) sayProblems(one checked, w io.Writer) {
	if one.problems != nil {
		report.WriteErrors(w, one.problems, c.lang)
	} else {
		fmt.Fprintln(w, one.inputErr)
	}
}

// checkedJSON is one record of several as check --format json writes it.
type checkedJSON struct {
	File   string           `json:"file"`
	Result *engine.Result   `json:"result,omitempty"`
	Errors []problemInWords `json:"errors,omitempty"`
	// Error is an input error that is not one of a record's problems
	// (the file could not be read).
	Error string `json:"error,omitempty"`
}

// many evaluates several records in the order given, reporting each, and
// then how many were evaluated; a record that cannot be read or evaluated
// is reported and counted, and the others go on.
func (c *checker) many(names []string, stdout, stderr io.Writer) int {
	var all []checkedJSON
	evaluated, failed := 0, 0
	for i, name := range names {
		var one checked
		data, err := readInput(name, c.stdin)
		if err != nil {
			one = checked{name: shown(name), inputErr: errors.New(unreadable(name, err, c.lang))}
		} else {
			one = c.check(name, data)
		}
		if one.ruleErr != nil {
			fmt.Fprintln(stderr, "entitle check:", one.ruleErr)
			return exitRuleErr
		}
		if one.res != nil {
			evaluated++
		} else {
			failed++
		}
		if c.json {
			j := checkedJSON{File: one.name, Result: one.res}
			switch {
			case one.problems != nil:
				j.Errors = inWords(one.problems)
			case one.inputErr != nil:
				j.Error = one.inputErr.Error()
			}
			all = append(all, j)
			if one.res == nil {
				c.sayProblems(one, stderr)
			}
			continue
		}
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		fmt.Fprintf(stdout, "━━ %s\n", one.name)
		if one.res == nil {
			switch {
			case c.lang == "en" && one.problems != nil:
				fmt.Fprintln(stdout, "Not evaluated: the record has problems (listed on standard error).")
			case c.lang == "en":
				fmt.Fprintln(stdout, "Not evaluated: the record could not be read (see standard error).")
			case one.problems != nil:
				fmt.Fprintln(stdout, "未评估：记录有误（问题见标准错误输出）。")
			default:
				fmt.Fprintln(stdout, "未评估：无法读取记录（见标准错误输出）。")
			}
			c.sayProblems(one, stderr)
			continue
		}
		if code := c.report(one, stdout, stderr); code != exitOK {
			return code
		}
	}
	if c.json {
		if err := writeJSON(stdout, all); err != nil {
			fmt.Fprintln(stderr, "entitle check:", err)
			return exitFailed
		}
	} else if c.lang == "en" {
		fmt.Fprintf(stdout, "\n%s: %d evaluated, %d not evaluated\n", count(len(names), "record", "records"), evaluated, failed)
	} else {
		fmt.Fprintf(stdout, "\n共 %d 户：已评估 %d 户，未评估 %d 户\n", len(names), evaluated, failed)
	}
	if failed > 0 {
		return exitFailed
	}
	return exitOK
}

// inputError is a record file (or directory) that cannot be read.
type inputError struct {
	name string
	err  error
}

// recordFiles lists the records the arguments name: a file or "-" as
// given, a directory as its .yaml, .yml and .json files in name order.
// many is whether check reports several records (more than one argument,
// or a directory), whatever their number.
func recordFiles(args []string) (names []string, many bool, _ *inputError) {
	many = len(args) > 1
	for _, a := range args {
		if a == "-" {
			names = append(names, a)
			continue
		}
		st, err := os.Stat(a)
		if err != nil {
			if many {
				names = append(names, a) // reported in its turn
				continue
			}
			return nil, false, &inputError{a, err}
		}
		if !st.IsDir() {
			names = append(names, a)
			continue
		}
		many = true
		entries, err := os.ReadDir(a)
		if err != nil {
			return nil, false, &inputError{a, err}
		}
		n := len(names)
		for _, e := range entries {
			switch strings.ToLower(filepath.Ext(e.Name())) {
			case ".yaml", ".yml", ".json":
				if !e.IsDir() {
					names = append(names, filepath.Join(a, e.Name()))
				}
			}
		}
		if len(names) == n {
			return nil, false, &inputError{a, errNoRecords}
		}
	}
	return names, many, nil
}

// readInput reads the record named: a file, or standard input for "-".
func readInput(name string, stdin io.Reader) ([]byte, error) {
	if name == "-" {
		return io.ReadAll(io.LimitReader(stdin, household.MaxRecordBytes+1))
	}
	return os.ReadFile(name)
}

// shown is a record's name as reports give it: <stdin> for "-".
func shown(name string) string {
	if name == "-" {
		return "<stdin>"
	}
	return name
}

// errNoRecords is the error for a directory with no record files.
var errNoRecords = errors.New("holds no household records (.yaml, .yml or .json files)")

// unreadable words the failure to read the record named, in the report's
// language: a caseworker who reads only Chinese learns that the file is
// missing, not readable or a directory, and the system's own words follow.
func unreadable(name string, err error, lang string) string {
	name = shown(name)
	if errors.Is(err, errNoRecords) {
		if lang == "en" {
			return name + " " + err.Error()
		}
		return "目录 " + name + " 中没有户记录文件（.yaml、.yml 或 .json）"
	}
	if lang == "en" {
		return err.Error()
	}
	if msg, ok := fileErrorZh(name, err); ok {
		return msg
	}
	return fmt.Sprintf("无法读取 %s（%v）", name, err)
}

// problemInWords is a record's problem as --format json writes it: as
// household.Error has it, with the code's summary and the field's label in
// Chinese and English, as the HTTP API's problems have them.
type problemInWords struct {
	*household.Error
	Summary rulepack.Text  `json:"summary"`
	Label   *rulepack.Text `json:"label,omitempty"`
}

func inWords(es household.Errors) []problemInWords {
	out := make([]problemInWords, len(es))
	for i, e := range es {
		out[i].Error = e
		out[i].Summary, out[i].Label = engine.Describe(e.Code, e.Field)
	}
	return out
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
