package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"entitle/engine"
	"entitle/engine/household"
	"entitle/engine/report"
	"entitle/engine/rulepack"
)

func init() {
	register(verb{name: "check", summaryZh: "评估一户家庭记录（JSON 或 YAML；- 读标准输入）", summary: "evaluate one household record (JSON or YAML; - reads stdin)", run: runCheck})
}

func runCheck(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("check", flag.ContinueOnError)
	flags.SetOutput(stderr)
	rulesDir := flags.String("rules", "", rulesUsage)
	asOf := flags.String("as-of", "", both("按此日期评估，格式 YYYY-MM-DD（默认：记录中的 as_of，没有则为今天）", "evaluate as of this date, YYYY-MM-DD (default: the record's as_of, else today)"))
	lang := flags.String("lang", "zh", both("报告的语言：zh（中文）或 en（英文）", "language of the report: zh or en"))
	format := flags.String("format", "text", formatUsage)
	explain := flags.Bool("explain", false, both("逐条列出每个条件的判断过程", "show the condition-by-condition trace"))
	setUsage(flags, stderr, `用法：entitle check [选项] 文件|-

评估一户家庭，列出可以申领的每项待遇及其所依据的政策条文。`, `Usage: entitle check [flags] FILE|-

Evaluates one household and reports every benefit it can claim, with the policy it rests on.`)
	if !parseArgs(flags, args, 1, 1) {
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
	name := flags.Arg(0)
	data, err := readInput(name, stdin)
	if err != nil {
		fmt.Fprintf(stderr, "entitle check: %s\n", unreadable(name, err, *lang))
		return exitFailed
	}
	eng, ok := loadEngine(*rulesDir, stderr)
	if !ok {
		return exitRuleErr
	}
	if name == "-" {
		name = "<stdin>"
	}
	res, err := eng.EvaluateRecord(context.Background(), data, household.DecodeOptions{File: name}, opts...)
	if err != nil {
		if engine.IsInputError(err) {
			var es household.Errors
			isRecord := errors.As(err, &es)
			if *format == "json" {
				if isRecord {
					writeJSON(stdout, map[string]any{"errors": inWords(es)})
				} else {
					writeJSON(stdout, map[string]any{"errors": err})
				}
			}
			if isRecord {
				report.WriteErrors(stderr, es, *lang)
			} else {
				fmt.Fprintln(stderr, err)
			}
			return exitFailed
		}
		fmt.Fprintln(stderr, "entitle check:", err)
		return exitRuleErr
	}
	if *format == "json" {
		if err := writeJSON(stdout, res); err != nil {
			fmt.Fprintln(stderr, "entitle check:", err)
			return exitFailed
		}
		return exitOK
	}
	h, _, _ := household.Decode(data, household.DecodeOptions{File: name})
	var names map[string]string
	if h != nil {
		names = report.NamesOf(h)
	}
	if err := report.Write(stdout, res, report.Options{Lang: *lang, Explain: *explain, Names: names, Pack: eng.Pack()}); err != nil {
		fmt.Fprintln(stderr, "entitle check:", err)
		return exitFailed
	}
	return exitOK
}

func readInput(name string, stdin io.Reader) ([]byte, error) {
	if name == "-" {
		return io.ReadAll(io.LimitReader(stdin, household.MaxRecordBytes+1))
	}
	st, err := os.Stat(name)
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return nil, errIsDir
	}
	return os.ReadFile(name)
}

// errIsDir is readInput's error for a directory given as the record.
var errIsDir = errors.New("is a directory, not a household record")

// unreadable words the failure to read the record named, in the report's
// language: a caseworker who reads only Chinese learns that the file is
// missing, not readable or a directory, and the system's own words follow.
func unreadable(name string, err error, lang string) string {
	if name == "-" {
		name = "<stdin>"
	}
	if errors.Is(err, errIsDir) {
		if lang == "en" {
			return name + " " + err.Error()
		}
		return name + " 是目录，不是户记录文件"
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
