package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"entitle/engine/audit"
	"entitle/engine/household"
)

// exitIO: the audit could not finish (the roll could not be read, the
// report could not be written, or it was interrupted); no report is left.
const exitIO = 4

func init() {
	register(verb{name: "audit", summaryZh: "对照规则核对待遇发放名册（读入 JSONL、CSV 或 Excel；报告为 JSONL、CSV 或 Excel）", summary: "reconcile a benefit roll against the rules (JSONL, CSV or Excel in; JSONL, CSV or Excel out)", run: runAudit})
}

func runAudit(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("audit", flag.ContinueOnError)
	flags.SetOutput(stderr)
	rulesDir := flags.String("rules", "", rulesUsage)
	asOf := flags.String("as-of", "", both("按此日期核对，格式 YYYY-MM-DD（默认：今天）；核对当月有效的发放记录", "audit as of this date, YYYY-MM-DD (default: today); payments current that month are checked"))
	out := flags.String("o", "", both("报告文件（JSONL 或 .xlsx）或目录（CSV）；默认：JSONL 写到标准输出", "report file (JSONL or .xlsx) or directory (CSV); default: JSONL on standard output"))
	format := flags.String("format", "", both("报告格式：jsonl、csv 或 xlsx（默认：按 -o 判断，否则为 jsonl）", "report format: jsonl, csv or xlsx (default: from -o, else jsonl)"))
	lang := flags.String("lang", "zh", both("CSV 和 Excel 报告及错误信息的语言：zh 或 en；zh 时结尾的汇总另附中文", "language of CSV and Excel reports and of errors; zh also repeats the closing summary in Chinese: zh or en"))
	workers := flags.Int("workers", 0, both("并行评估家庭的工作协程数（默认：GOMAXPROCS）", "workers evaluating households (default: GOMAXPROCS)"))
	benefits := flags.String("benefits", "", both("要核对的待遇代码，以逗号分隔（默认：按月发放的待遇）", "comma-separated benefit codes to audit (default: those paid monthly)"))
	compare := flags.Bool("compare-example-amounts", false, both("应发金额依赖示例参数时也比对金额", "also compare amounts whose expected value rests on example parameters"))
	progress := flags.String("progress", "auto", both("在标准错误输出显示进度条：auto（是终端时显示）、always（总是）或 never（从不）", "progress bar on standard error: auto (when it is a terminal), always or never"))
	tmp := flags.String("tmp", "", both("重复检查所用临时文件的目录（默认：系统临时目录）", "directory for the duplicate check's temporary runs (default: the system's)"))
	cpuProfile := flags.String("cpuprofile", "", both("把 CPU 性能剖析写到此文件（调优用）", "write a CPU profile here (for tuning)"))
	ignore := flags.String("ignore-columns", "", both("CSV 或 Excel 名册中不读取的列，以逗号分隔（如 性别,民族,联系电话）：导出表里核对用不到的列；未列出的未知列仍会停止核对；不读取的列写入报告的核对汇总", "comma-separated headers of a CSV or Excel roll to leave unread (such as the sex, ethnicity or telephone columns): columns an export adds that the audit has no use for; any other unknown header still stops the audit; the columns left unread are listed in the report's reconciliation"))
	encoding := flags.String("encoding", "", both("CSV 名册的字符编码：auto（默认：文件开头不是 UTF-8 时按 GB18030 读取，即中文版 Excel 另存的 CSV）、utf-8 或 gb18030（含 GBK、GB2312）；按 GB18030 读取的文件写入报告的核对汇总", "character encoding of a CSV roll: auto (default: a file whose start is not UTF-8, as Chinese editions of Excel save CSV, is read as GB18030), utf-8, or gb18030 (which contains GBK and GB2312); the files read as GB18030 are listed in the report's reconciliation"))
	passwordFile := flags.String("password-file", "", both("Excel 名册设有打开密码时，存放该密码的文件（只读第一行）；密码不写在命令行上，以免留在命令历史和进程列表中", "a file holding the password of an Excel roll saved with one (its first line is read); the password is not given on the command line, where shell history and the process list would keep it"))
	template := flags.Bool("template", false, both("不核对，而是在“名册”处写出一份空白名册：.xlsx 为 Excel 工作簿（含各列的下拉选项和填写说明），否则为含三个 CSV 文件的目录；不覆盖已有文件", "write a blank roll where ROLL names instead of auditing: an Excel workbook for .xlsx (with each column's drop-down and a sheet of guidance), else a directory of three CSV files; existing files are not overwritten"))
	memLimit := flags.Int("memory-limit", 160, both("Go 堆内存的软上限（MiB）：堆接近上限时才回收垃圾，而不是每翻一倍就回收，长时间核对因此快得多；0 保持运行时默认（环境变量 GOGC、GOMEMLIMIT 也使其保持默认）", "soft limit of the Go heap in MiB: the garbage collector runs as the heap nears it rather than every time it doubles, which makes a long audit much faster; 0 keeps the runtime's defaults (GOGC and GOMEMLIMIT in the environment also keep them)"))
	setUsage(flags, stderr, `用法：entitle audit [选项] 名册

对照规则核对待遇发放名册：实发与应发是否一致。名册可以是 JSONL 文件（每行一户及其
发放记录；- 读标准输入）、含 households、members、payments 三个工作表的 Excel
工作簿（.xlsx，或 Excel 97–2003 的 .xls），或含 households.csv、members.csv、
payments.csv 的目录。

退出码：0 无发现；1 有发现（差异或无效记录）；2 用法错误；3 规则包错误；
4 名册无法读取或报告无法写出（不留下报告）。`, `Usage: entitle audit [flags] ROLL

Reconciles a benefit roll against the rules: what is paid against what is due.
ROLL is a JSONL file (one household and its payments a line; - for standard
input), an Excel workbook (.xlsx, or Excel 97–2003 .xls) with sheets
households, members and payments, or a directory with households.csv,
members.csv and payments.csv.

Exit codes: 0 no findings, 1 findings (discrepancies or invalid records),
2 usage, 3 rule pack error, 4 the roll could not be read or the report not
written (no report is left behind).`)
	if !parseArgs(flags, args, 1, 1) {
		return exitUsage
	}
	if !langOK("audit", *lang, stderr) || !perCoreOK("audit", "workers", *workers, stderr) {
		return exitUsage
	}
	roll := flags.Arg(0)
	if *template {
		return writeTemplate(roll, *rulesDir, stderr)
	}
	day := time.Now()
	if *asOf != "" {
		var ok bool
		if day, ok = asOfDate("audit", *asOf, stderr); !ok {
			return exitUsage
		}
	}
	if *format == "" {
		switch {
		case strings.HasSuffix(strings.ToLower(*out), ".xlsx"):
			*format = "xlsx"
		case *out != "" && !strings.HasSuffix(strings.ToLower(*out), ".jsonl") && !strings.HasSuffix(strings.ToLower(*out), ".json"):
			*format = "csv"
		default:
			*format = "jsonl"
		}
	}
	switch *format {
	case "jsonl":
	case "csv", "xlsx":
		if *out == "" {
			return misused(stderr, "audit", fmt.Sprintf("--format %s 须用 -o 指定报告文件或目录", *format), fmt.Sprintf("--format %s needs -o", *format))
		}
	default:
		return misused(stderr, "audit", fmt.Sprintf("--format %q 不是可用的格式（jsonl、csv 或 xlsx）", *format), fmt.Sprintf("unknown --format %q (jsonl, csv or xlsx)", *format))
	}
	eng, ok := loadEngine(*rulesDir, stderr)
	if !ok {
		return exitRuleErr
	}
	opt := audit.Options{AsOf: day, Workers: *workers, CompareExampleAmounts: *compare, TempDir: *tmp}
	if *benefits != "" {
		for _, b := range strings.Split(*benefits, ",") {
			opt.Benefits = append(opt.Benefits, strings.TrimSpace(b))
		}
	}
	var tabular []audit.TabularOption
	if *ignore != "" {
		tabular = append(tabular, audit.IgnoreColumns(strings.FieldsFunc(*ignore, func(r rune) bool { return r == ',' || r == '，' })...))
	}
	var csvOnly []audit.TabularOption
	if *encoding != "" {
		enc, err := audit.ParseEncoding(*encoding)
		if err != nil {
			return misused(stderr, "audit", "--encoding："+household.ZhMessage(err), "--encoding: "+err.Error())
		}
		csvOnly = append(csvOnly, audit.Encoding(enc))
	}
	var xlsxOnly []audit.TabularOption
	password := ""
	if *passwordFile != "" {
		var err error
		if password, err = readPassword(*passwordFile); err != nil {
			return misused(stderr, "audit", "--password-file："+errorIn(err, "zh"), "--password-file: "+err.Error())
		}
		xlsxOnly = append(xlsxOnly, audit.Password(password))
	}
	reader, err := openRoll(roll, stdin, tabular, csvOnly, xlsxOnly)
	if errors.Is(err, errNotXLSX) {
		return misused(stderr, "audit", "--password-file 只适用于 Excel 名册（.xlsx、.xls）", "--password-file applies to Excel rolls (.xlsx, .xls) only")
	}
	if err == nil && password != "" && !audit.Encrypted(roll) {
		// A workbook without a password is read as it is; the report is
		// not encrypted with a password the roll does not have.
		password = ""
		if *lang == "en" {
			fmt.Fprintln(stderr, "note: the roll has no password; the one in --password-file was not used")
		} else {
			fmt.Fprintln(stderr, "注意：名册没有设密码，未使用 --password-file 给出的密码")
		}
	}
	if errors.Is(err, errNotCSV) {
		return misused(stderr, "audit", "--encoding 只适用于 CSV 名册（含三个 CSV 文件的目录）；JSONL 总是 UTF-8，Excel 工作簿总是 Unicode",
			"--encoding applies to CSV rolls (a directory of three CSV files) only: JSONL is always UTF-8, and an Excel workbook Unicode")
	}
	if errors.Is(err, errNotTabular) {
		return misused(stderr, "audit", "--ignore-columns 只适用于 CSV 或 Excel 名册", "--ignore-columns applies to CSV and Excel rolls only")
	}
	if errors.Is(err, errCSVFile) {
		dir := filepath.Dir(roll)
		return misused(stderr, "audit", fmt.Sprintf("CSV 名册是一个目录，内含 households.csv、members.csv、payments.csv 三个文件（或 户.csv、成员.csv、发放.csv）：请给出目录 %s，而不是其中的一个文件", dir),
			fmt.Sprintf("a CSV roll is a directory of three files, households.csv, members.csv and payments.csv: give the directory %s, not one of its files", dir))
	}
	if err != nil {
		fmt.Fprintln(stderr, "entitle audit:", errorIn(err, *lang))
		return exitIO
	}
	defer reader.Close()
	bar := newProgressBar(stderr, *progress, reader)
	opt.Progress = bar.update
	a, err := audit.New(eng, opt)
	if err != nil {
		fmt.Fprintln(stderr, "entitle audit:", err)
		return exitUsage
	}

	// The audit's live heap is small and flat (chunks in flight, the
	// summary, one run of citizen IDs).
	defer holdHeapUnder(*memLimit)()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			fmt.Fprintln(stderr, "entitle audit:", err)
			return exitIO
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(stderr, "entitle audit:", err)
			return exitIO
		}
		defer pprof.StopCPUProfile()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	outFiles, sink, err := openReport(*format, *out, *lang, password, eng.Pack(), stdout)
	if err != nil {
		fmt.Fprintln(stderr, "entitle audit:", err)
		return exitIO
	}
	rep, err := a.Run(ctx, reader, sink)
	bar.done()
	if err == nil {
		err = outFiles.commit()
	}
	if err != nil {
		outFiles.abort()
		interrupted := errors.Is(err, context.Canceled)
		switch {
		case interrupted && *lang == "en":
			fmt.Fprintln(stderr, "entitle audit: interrupted; no report written")
		case interrupted:
			fmt.Fprintln(stderr, "entitle audit: 已中断，未写出报告")
		case *lang == "en":
			fmt.Fprintln(stderr, "entitle audit:", err, "(no report written)")
		default:
			fmt.Fprintf(stderr, "entitle audit: %s（未写出报告）\n", errorIn(err, *lang))
		}
		return exitIO
	}
	rec := rep.Reconciliation
	fmt.Fprintln(stderr, summary(rec))
	if *lang == "zh" {
		fmt.Fprintln(stderr, summaryZh(rec))
	}
	if password != "" {
		fmt.Fprintln(stderr, reportPasswordNote(*format, *lang))
	}
	if !rec.Balanced {
		return exitIO
	}
	if rec.TotalFindings > 0 {
		return exitFailed
	}
	return exitOK
}

// errNotTabular: options for CSV and Excel rolls given for a JSONL one.
var errNotTabular = errors.New("options for a CSV or Excel roll given for a JSONL roll")

// errCSVFile: one CSV file given where a CSV roll is a directory of three.
var errCSVFile = errors.New("a CSV file given for a CSV roll, which is a directory")

// errNotCSV: options for a CSV roll alone given for another form.
var errNotCSV = errors.New("options for a CSV roll given for another form")

// errNotXLSX: options for an Excel roll alone given for another form.
var errNotXLSX = errors.New("options for an Excel roll given for another form")

// openRoll picks the reader by the roll's form (see rollForm); tabular
// options apply to a CSV or Excel roll, csvOnly ones to a CSV roll and
// xlsxOnly ones to an Excel roll.
func openRoll(path string, stdin io.Reader, tabular, csvOnly, xlsxOnly []audit.TabularOption) (audit.Reader, error) {
	if path == "-" {
		switch {
		case len(csvOnly) > 0:
			return nil, errNotCSV
		case len(xlsxOnly) > 0:
			return nil, errNotXLSX
		case len(tabular) > 0:
			return nil, errNotTabular
		}
		return audit.NewJSONLReader("stdin", stdin, 0), nil
	}
	st, err := os.Stat(path)
	switch {
	case err != nil:
		return nil, err
	case st.IsDir() && len(xlsxOnly) > 0:
		return nil, errNotXLSX
	case st.IsDir():
		return audit.OpenCSV(path, append(tabular, csvOnly...)...)
	case len(csvOnly) > 0:
		return nil, errNotCSV
	}
	form := rollForm(path)
	if form != "workbook" && len(xlsxOnly) > 0 {
		return nil, errNotXLSX
	}
	switch form {
	case "workbook":
		return audit.OpenWorkbook(path, append(tabular, xlsxOnly...)...)
	case "csv":
		return nil, errCSVFile
	case "xls-name":
		return nil, household.Errorf("%s is named as an old Excel (.xls) or WPS (.et) workbook but is not one (a web page or text a system exported under that name?): open it in Excel or WPS and save it as an .xlsx workbook",
			"%s 的扩展名是旧版 Excel（.xls）或 WPS（.et），内容却不是工作簿（可能是系统以此扩展名导出的网页或文本）：请在 Excel 或 WPS 中打开，另存为 .xlsx 工作簿", path)
	case "":
		if len(tabular) > 0 {
			return nil, errNotTabular
		}
	}
	return audit.OpenJSONL(path)
}

// rollForm tells a roll file's form by its first bytes, then by its name:
// "workbook" for an Excel workbook by its bytes, whatever its name (a zip,
// or the compound file of Excel 97–2003, WPS, or an .xlsx saved with a
// password; audit.OpenWorkbook tells these apart) or for a name ending
// .xlsx; "csv" for a name ending .csv; "xls-name" for a name ending .xls or
// .et whose bytes are not a workbook; and "" for anything else (read as
// JSONL). Read as JSONL, a workbook or one CSV file would be a roll of
// invalid records, one a line.
func rollForm(path string) string {
	if audit.WorkbookFile(path) != "" {
		return "workbook"
	}
	switch name := strings.ToLower(path); {
	case strings.HasSuffix(name, ".xlsx"):
		return "workbook"
	case strings.HasSuffix(name, ".csv"):
		return "csv"
	case strings.HasSuffix(name, ".xls"), strings.HasSuffix(name, ".et"):
		return "xls-name"
	}
	return ""
}

// reportPasswordNote says whether the report of a roll read with a
// password is encrypted too: an Excel report is, with the same password; a
// JSONL or CSV one cannot be.
func reportPasswordNote(format, lang string) string {
	switch {
	case format == "xlsx" && lang == "en":
		return "the report is encrypted with the roll's password (--password-file)"
	case format == "xlsx":
		return "报告已用名册的密码（--password-file）加密"
	case lang == "en":
		return "note: the roll has a password, but a " + format + " report cannot have one: it is not encrypted, and holds the roll's citizen IDs; keep it as carefully, or write an Excel report (-o FILE.xlsx)"
	}
	return "注意：名册设有密码，" + strings.ToUpper(format) + " 报告却无法加密，其中有名册中的身份证号，请同样妥善保管，或改写 Excel 报告（-o 文件.xlsx）"
}

// readPassword is the first line of the file at path, without its line
// ending: the password of an encrypted Excel roll.
func readPassword(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	line, _, _ := strings.Cut(string(b), "\n")
	line = strings.TrimSuffix(strings.TrimPrefix(line, "\ufeff"), "\r")
	if line == "" {
		return "", household.Errorf("%s: its first line is empty; it should hold the workbook's password", "%s 的第一行是空的，应为工作簿的密码", path)
	}
	return line, nil
}

// atomicFiles are report files written under temporary names and renamed
// into place only when the audit finished: a killed run leaves no
// half-written report.
type atomicFiles struct {
	files []*os.File
	final []string
	close []func() error
	// onAbort releases what a sink holds besides the files (an Excel
	// workbook's temporary sheets).
	onAbort []func() error
}

func (a *atomicFiles) create(final string) (*os.File, error) {
	f, err := os.CreateTemp(filepath.Dir(final), "."+filepath.Base(final)+".tmp-*")
	if err != nil {
		return nil, err
	}
	a.files = append(a.files, f)
	a.final = append(a.final, final)
	return f, nil
}

func (a *atomicFiles) commit() error {
	for _, c := range a.close {
		if err := c(); err != nil {
			return err
		}
	}
	for _, f := range a.files {
		if err := f.Sync(); err != nil {
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	for i, f := range a.files {
		if err := os.Rename(f.Name(), a.final[i]); err != nil {
			return err
		}
	}
	return nil
}

func (a *atomicFiles) abort() {
	for _, f := range a.onAbort {
		f()
	}
	for _, f := range a.files {
		f.Close()
		os.Remove(f.Name())
	}
}

// summary is the reconciliation in one line, the same in every language
// (scripts and docs read it).
func summary(rec audit.Reconciliation) string {
	var b strings.Builder
	fmt.Fprintf(&b, "records %d = evaluated %d + invalid %d (%s); payments %d: checked %d, not current %d, in invalid records %d; findings %d",
		rec.Records, rec.Evaluated, rec.Invalid, map[bool]string{true: "balanced", false: "NOT BALANCED"}[rec.Balanced],
		rec.Payments, rec.PaymentsChecked, rec.PaymentsNotCurrent, rec.PaymentsInInvalid, rec.TotalFindings)
	if parts := findingCounts(rec, func(c audit.ClassInfo) string { return string(c.Class) }); len(parts) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(parts, ", "))
	}
	if cols := ignoredColumns(rec); cols != "" {
		fmt.Fprintf(&b, "; columns left unread (--ignore-columns) %d: %s", len(rec.IgnoredColumns), cols)
	}
	if files, detected := transcoded(rec); files != "" {
		fmt.Fprintf(&b, "; read as GB18030 (GBK): %s", files)
		if detected {
			b.WriteString(" (detected: not UTF-8 at the start)")
		}
	}
	return b.String()
}

// summaryZh is the reconciliation in Chinese (classes by their short names,
// as the Excel sheets have them), printed after summary when
// the report's language is Chinese.
func summaryZh(rec audit.Reconciliation) string {
	var b strings.Builder
	fmt.Fprintf(&b, "记录 %d 条 = 已评估 %d + 无效 %d（%s）；发放 %d 笔：已核对 %d，不在评估月 %d，属无效记录 %d；发现问题 %d 条",
		rec.Records, rec.Evaluated, rec.Invalid, map[bool]string{true: "逐条核对，无遗漏", false: "不平衡：有记录未计入"}[rec.Balanced],
		rec.Payments, rec.PaymentsChecked, rec.PaymentsNotCurrent, rec.PaymentsInInvalid, rec.TotalFindings)
	if parts := findingCounts(rec, func(c audit.ClassInfo) string { return c.Sheet.Zh }); len(parts) > 0 {
		fmt.Fprintf(&b, "（%s）", strings.Join(parts, "，"))
	}
	if cols := ignoredColumns(rec); cols != "" {
		fmt.Fprintf(&b, "；按 --ignore-columns 未读取 %d 列：%s", len(rec.IgnoredColumns), cols)
	}
	if files, detected := transcoded(rec); files != "" {
		fmt.Fprintf(&b, "；按 GB18030（GBK）编码读取：%s", files)
		if detected {
			b.WriteString("（自动识别：文件开头不是 UTF-8）")
		}
	}
	return b.String()
}

// ignoredColumns lists the columns left unread, or is "".
func ignoredColumns(rec audit.Reconciliation) string {
	var cols []string
	for _, c := range rec.IgnoredColumns {
		cols = append(cols, c.String())
	}
	return strings.Join(cols, ", ")
}

// transcoded lists the CSV files read as GB18030, or is "", and says
// whether any was so read because its start is not UTF-8.
func transcoded(rec audit.Reconciliation) (files string, detected bool) {
	var names []string
	for _, e := range rec.Encodings {
		names = append(names, e.Table)
		detected = detected || e.Detected
	}
	return strings.Join(names, ", "), detected
}

// findingCounts lists the classes with findings, each named by name, in
// the order of audit.Classes.
func findingCounts(rec audit.Reconciliation, name func(audit.ClassInfo) string) []string {
	var parts []string
	for _, c := range audit.Classes {
		if n := rec.Findings[c.Class]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", name(c), n))
		}
	}
	return parts
}

// writeTemplate writes a blank roll at out (entitle audit --template): an
// Excel workbook for a .xlsx name, else a directory of CSV files.
func writeTemplate(out, rulesDir string, stderr io.Writer) int {
	eng, ok := loadEngine(rulesDir, stderr)
	if !ok {
		return exitRuleErr
	}
	var err error
	if strings.HasSuffix(strings.ToLower(out), ".xlsx") {
		var f *os.File
		if err = os.MkdirAll(filepath.Dir(out), 0o755); err == nil { // as the CSV template makes its directory
			f, err = os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		}
		if err == nil {
			err = audit.WriteTemplateXLSX(f, eng.Pack())
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				os.Remove(out)
			}
		}
	} else {
		err = audit.WriteTemplateCSV(out)
	}
	if pe := (*fs.PathError)(nil); errors.As(err, &pe) && errors.Is(err, fs.ErrExist) {
		fmt.Fprintf(stderr, "entitle audit --template：%s 已存在，未覆盖；请换一个文件名或目录\nentitle audit --template: %s exists and was not overwritten; give another name\n", pe.Path, pe.Path)
		return exitIO
	}
	if err != nil {
		fmt.Fprintln(stderr, "entitle audit --template:", err)
		return exitIO
	}
	fmt.Fprintf(stderr, "已写出空白名册 %s；填写后用 entitle audit %s 核对\nwrote a blank roll to %s; fill it in and audit it with entitle audit %s\n", out, out, out, out)
	return exitOK
}
