package main

import (
	"flag"
	"fmt"
	"io"
	"sort"
)

// The command line's help is Chinese first, with the English under it, for
// every verb and flag: the people at a township office and the developers
// who wire entitle into their systems read the same text.

// both joins a help text in Chinese and its English, one under the other.
func both(zh, en string) string { return zh + "\n" + en }

// setUsage makes a verb's -h print its synopsis and description in Chinese,
// then in English, then its flags.
func setUsage(flags *flag.FlagSet, w io.Writer, zh, en string) {
	flags.Usage = func() {
		fmt.Fprint(w, zh, "\n\n", en, "\n\n选项 / Flags:\n")
		flags.PrintDefaults()
	}
}

// usage is entitle's own help: the verbs, each with its summary in
// Chinese and then in English, and the exit codes.
func usage(w io.Writer) {
	fmt.Fprint(w, `entitle：依据政策规则（YAML 中的 CEL 表达式）认定残疾人福利待遇
entitle: disability-assistance entitlements from policy rules (CEL in YAML)

用法：entitle 命令 [选项] [参数]
Usage: entitle COMMAND [flags] [args]

命令 / Commands:
`)
	names := make([]string, 0, len(verbs))
	for n := range verbs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-8s %s\n  %-8s %s\n", n, verbs[n].summaryZh, "", verbs[n].summary)
	}
	fmt.Fprint(w, `
运行 entitle 命令 -h（或 entitle help 命令）查看该命令的选项。
退出码：0 正常；1 输入无效、检查或测试未通过、核对有发现；2 用法错误；
3 规则包错误；4 输入或输出失败（audit、serve、replay）。
Run 'entitle COMMAND -h' (or 'entitle help COMMAND') for a command's flags.
Exit codes: 0 ok, 1 invalid input, failed check or audit findings, 2 usage,
3 rule pack error, 4 input or output failed (audit, serve, replay).
`)
}

// argumentsWanted words how many arguments a verb takes, between min and
// max (max < 0: no upper bound), in Chinese and in English.
func argumentsWanted(min, max int) (zh, en string) {
	switch {
	case max < 0:
		return fmt.Sprintf("至少应有 %d 个参数", min), fmt.Sprint("at least ", min)
	case max == 0:
		return "不带参数", "no"
	case min == 0:
		return fmt.Sprintf("至多可有 %d 个参数", max), fmt.Sprint("at most ", max)
	case min < max:
		return fmt.Sprintf("应有 %d 至 %d 个参数", min, max), fmt.Sprint(min, " to ", max)
	}
	return fmt.Sprintf("应有 %d 个参数", min), fmt.Sprint(min)
}

// misused prints a mistake in how entitle or one of its verbs was called,
// in Chinese and then in English as the help words it, and returns
// exitUsage.
func misused(w io.Writer, verb, zh, en string) int {
	name := "entitle"
	if verb != "" {
		name += " " + verb
	}
	fmt.Fprintf(w, "%s：%s\n%s: %s\n", name, zh, name, en)
	return exitUsage
}
