// Command entitle evaluates households for Chinese disability-assistance
// benefits against a rule pack, and checks and tests rule packs.
//
//	entitle check FILE|-        evaluate one household (Chinese report; --lang en, --format json, --explain)
//	entitle rules               list benefits and rules with their citations
//	entitle lint [DIR]          check a rule pack
//	entitle test [DIR]          run a rule pack's test cases, with coverage
//	entitle audit ROLL          reconcile a benefit roll against the rules
//	entitle serve               the HTTP API and the caseworker's web page
//	entitle replay LOG          re-evaluate logged decisions under a rule pack
//
// Every verb uses the rule pack compiled into the binary unless --rules DIR
// names another.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"regexp"
	"strings"

	"entitle/engine/household"
)

// Exit codes, the same for every verb.
const (
	exitOK      = 0 // done; for check, the record was evaluated
	exitFailed  = 1 // the input was invalid, lint found errors, or a test failed
	exitUsage   = 2 // bad flags or arguments
	exitRuleErr = 3 // the rule pack could not be loaded
)

// verb is one of entitle's commands: its name, its one-line summary in
// Chinese and in English, and what runs it.
type verb struct {
	name, summaryZh, summary string
	run                      func(args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

var verbs = map[string]verb{}

func register(v verb) { verbs[v.name] = v }

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 2 && args[0] == "help" {
		// entitle help VERB: the verb's own help, as asked for, on stdout.
		if v, ok := verbs[args[1]]; ok {
			v.run([]string{"-h"}, stdin, stdout, stdout)
			return exitOK
		}
		args = args[1:] // an unknown verb, said as such below
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	v, ok := verbs[args[0]]
	if !ok {
		misused(stderr, "", fmt.Sprintf("没有命令 %q", args[0]), fmt.Sprintf("unknown command %q", args[0]))
		fmt.Fprintln(stderr)
		usage(stderr)
		return exitUsage
	}
	return v.run(args[1:], stdin, stdout, stderr)
}

// parseArgs parses a verb's flags and checks it was given between min and
// max arguments (max < 0: no upper bound), printing the verb's usage when
// not (flag already prints it for a bad flag). Flags may come after the
// arguments too (entitle audit roll.csv -o report.xlsx), as people type
// them; after "--" everything is an argument.
func parseArgs(flags *flag.FlagSet, args []string, min, max int) bool {
	var positional []string
	for rest := args; len(rest) > 0; {
		if err := parseFlags(flags, rest); err != nil {
			return false
		}
		left := flags.Args()
		if n := len(rest) - len(left); n > 0 && rest[n-1] == "--" {
			positional = append(positional, left...)
			break
		}
		if len(left) == 0 {
			break
		}
		positional = append(positional, left[0])
		rest = left[1:]
	}
	// Parsing "--" and the arguments sets flags.Args() to them, and keeps
	// the flags already set.
	if err := flags.Parse(append([]string{"--"}, positional...)); err != nil {
		return false
	}
	if n := flags.NArg(); n < min || max >= 0 && n > max {
		wantZh, wantEn := argumentsWanted(min, max)
		misused(flags.Output(), flags.Name(), fmt.Sprintf("%s，给了 %d 个", wantZh, n), fmt.Sprintf("%s argument(s) expected, %d given", wantEn, n))
		fmt.Fprintln(flags.Output())
		flags.Usage()
		return false
	}
	return true
}

// parseFlags parses args as flags.Parse does, but says a mistake in
// Chinese, then in English (the flag package's own words), before the
// usage.
func parseFlags(flags *flag.FlagSet, args []string) error {
	out, usage := flags.Output(), flags.Usage
	flags.SetOutput(io.Discard)
	flags.Usage = func() {}
	err := flags.Parse(args)
	flags.SetOutput(out)
	flags.Usage = usage
	switch {
	case err == nil:
		return nil
	case errors.Is(err, flag.ErrHelp):
		flags.Usage()
		return err
	}
	misused(out, flags.Name(), flagErrorZh(err.Error()), err.Error())
	fmt.Fprintln(out)
	flags.Usage()
	return err
}

// badFlagValue matches the flag package's message for a value it cannot
// parse: "invalid value "x" for flag -n: parse error", or for a boolean
// "invalid boolean value "x" for -v: parse error".
var badFlagValue = regexp.MustCompile(`^invalid (boolean )?value ("(?:[^"\\]|\\.)*") for (?:flag )?-([^:]+): (.*)$`)

// flagErrorZh says in Chinese what the flag package's message en says.
func flagErrorZh(en string) string {
	if name, ok := strings.CutPrefix(en, "flag provided but not defined: -"); ok {
		return fmt.Sprintf("没有选项 -%s（可用的选项见下）", name)
	}
	if name, ok := strings.CutPrefix(en, "flag needs an argument: -"); ok {
		return fmt.Sprintf("选项 -%s 后须给一个值", name)
	}
	if m := badFlagValue.FindStringSubmatch(en); m != nil {
		name, why := m[3], m[4]
		switch why {
		case "parse error":
			why = "无法解析"
		case "value out of range":
			why = "超出范围"
		}
		if m[1] == "boolean " {
			return fmt.Sprintf("选项 -%s 的值 %s 不是 true 或 false", name, m[2])
		}
		return fmt.Sprintf("选项 -%s 的值 %s 无效（%s）", name, m[2], why)
	}
	if rest, ok := strings.CutPrefix(en, "bad flag syntax: "); ok {
		return fmt.Sprintf("选项写法有误：%s", rest)
	}
	return en
}

// fileErrorZh says in Chinese that the file named is missing or may not
// be read, with the system's own words after; ok is false for other errors.
func fileErrorZh(name string, err error) (msg string, ok bool) {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Sprintf("找不到文件 %s（%v）", name, err), true
	case errors.Is(err, fs.ErrPermission):
		return fmt.Sprintf("没有读取文件 %s 的权限（%v）", name, err), true
	}
	return "", false
}

// errorIn words err in the language asked for: under zh, the Chinese the
// error carries (household.Errorf), or a file that is missing or may not be
// read; otherwise, and for errors that have no Chinese, the English.
func errorIn(err error, lang string) string {
	if lang == "en" {
		return err.Error()
	}
	if zh := household.ZhMessage(err); zh != "" {
		return zh
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		if msg, ok := fileErrorZh(pe.Path, err); ok {
			return msg
		}
	}
	return err.Error()
}
