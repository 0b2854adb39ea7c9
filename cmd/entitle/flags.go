package main

import (
	"fmt"
	"io"
	"time"
)

// The flags several verbs share, worded once, and their checks: each check
// prints the mistake in Chinese and English (misused) and says whether the
// value may be used.

// Help texts of flags that several verbs declare alike.
var (
	rulesUsage  = both("规则包目录（默认：entitle 内置的规则包）", "rule pack directory (default: the pack built into entitle)")
	formatUsage = both("输出格式：text（文本）或 json", "output format: text or json")
)

// packDir is the rule pack directory of a verb that takes it as its
// argument (lint, test): the argument, or --rules as the other verbs take
// it. It says so and is not ok when the two name different directories.
func packDir(verb, arg, rules string, stderr io.Writer) (string, bool) {
	switch {
	case rules == "":
		return arg, true
	case arg == "" || arg == rules:
		return rules, true
	}
	misused(stderr, verb, fmt.Sprintf("给了两个规则包目录：%s 和 --rules %s，只能给一个", arg, rules),
		fmt.Sprintf("two rule pack directories given, %s and --rules %s: give one", arg, rules))
	return "", false
}

// langOK checks a verb's --lang: zh or en.
func langOK(verb, lang string, stderr io.Writer) bool {
	if lang == "zh" || lang == "en" {
		return true
	}
	misused(stderr, verb, fmt.Sprintf("--lang 应为 zh 或 en，不是 %q", lang), fmt.Sprintf("--lang must be zh or en, not %q", lang))
	return false
}

// formatOK checks a verb's --format: text or json.
func formatOK(verb, format string, stderr io.Writer) bool {
	if format == "text" || format == "json" {
		return true
	}
	misused(stderr, verb, fmt.Sprintf("--format 应为 text 或 json，不是 %q", format), fmt.Sprintf("--format must be text or json, not %q", format))
	return false
}

// asOfDate reads a verb's --as-of, a date YYYY-MM-DD.
func asOfDate(verb, s string, stderr io.Writer) (time.Time, bool) {
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		misused(stderr, verb, fmt.Sprintf("--as-of %q 不是 YYYY-MM-DD 格式的日期", s), fmt.Sprintf("--as-of %q is not a date YYYY-MM-DD", s))
		return time.Time{}, false
	}
	return d, true
}

// perCoreOK checks a count flag where 0 means one per core (--workers,
// --max-concurrent): it may not be negative.
func perCoreOK(verb, flag string, n int, stderr io.Writer) bool {
	if n >= 0 {
		return true
	}
	misused(stderr, verb, fmt.Sprintf("--%s %d：请给正数，或用 0 表示每个 CPU 核一个", flag, n), fmt.Sprintf("--%s %d: give a positive number, or 0 for one per core", flag, n))
	return false
}
