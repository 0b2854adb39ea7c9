package audit

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"entitle/engine/household"
	"entitle/engine/internal/editdist"
	"entitle/engine/money"
)

// A tabular roll has three tables: households, members and payments. Each
// column is named by its field path in the household record
// (disability.grade) or its Chinese header (残疾等级); see Columns. An empty
// cell is unknown. Member and payment rows carry the household id and come
// grouped by household, in the order of the households table.

// Column is one column of a tabular roll.
type Column struct {
	Table string // households, members or payments
	Path  string // field path, e.g. disability.grade, or a key column
	Zh    string // Chinese header
}

// Columns lists every column a tabular roll may have, in template order:
// the household id, the household's fields, the ids and fields of members,
// and the payments'. The fields' headers are their Chinese names
// (household.FieldNames).
var Columns = func() []Column {
	hid, mid := household.HouseholdIDNames[0], household.MemberIDNames[0]
	cols := []Column{{"households", "household_id", hid}}
	fields := func(table string, member bool) {
		for _, f := range household.FieldNames {
			if f.Member == member {
				cols = append(cols, Column{table, f.Path, f.Zh})
			}
		}
	}
	fields("households", false)
	cols = append(cols, Column{"members", "household_id", hid}, Column{"members", "member_id", mid})
	fields("members", true)
	return append(cols,
		Column{"payments", "household_id", hid},
		Column{"payments", "member_id", mid},
		Column{"payments", "benefit", "待遇代码"},
		Column{"payments", "monthly", "月发放金额"},
		Column{"payments", "start", "起始月份"},
		Column{"payments", "end", "截止月份"})
}()

// HeaderAliases are other headers that civil-affairs and disabled persons'
// federation systems give the same columns, accepted as the column they
// name (a member table's 身份证号码 is its 身份证号): those of the ids, the
// payments' 待遇名称 (its benefit), and the fields'
// (household.FieldNameAliases). Each names one column beyond doubt; a
// header that could mean two is not listed.
var HeaderAliases = func() map[string]string {
	m := maps.Clone(household.FieldNameAliases)
	for _, n := range household.HouseholdIDNames[1:] {
		m[n] = "household_id"
	}
	for _, n := range household.MemberIDNames[1:] {
		m[n] = "member_id"
	}
	for _, n := range []string{"待遇名称", "待遇项目", "待遇类型"} {
		m[n] = "benefit" // a benefit's code or Chinese name
	}
	return m
}()

// cellKind is how a cell's text becomes a value.
type cellKind uint8

const (
	kindString cellKind = iota
	kindBool
	kindInt
	kindList
	kindHistory
)

var kinds struct {
	once sync.Once
	m    map[string]cellKind // "households/path" or "members/path"
}

// kindOf reads a column's kind from the household schema.
func kindOf(table, path string) cellKind {
	kinds.once.Do(func() {
		kinds.m = map[string]cellKind{}
		var s map[string]any
		if json.Unmarshal(household.SchemaJSON, &s) != nil {
			return
		}
		defs, _ := s["$defs"].(map[string]any)
		resolve := func(v map[string]any) map[string]any {
			for i := 0; i < 8; i++ {
				ref, ok := v["$ref"].(string)
				if !ok {
					break
				}
				v, _ = defs[strings.TrimPrefix(ref, "#/$defs/")].(map[string]any)
			}
			return v
		}
		var walk func(table, prefix string, props map[string]any)
		walk = func(table, prefix string, props map[string]any) {
			for k, raw := range props {
				v := resolve(raw.(map[string]any))
				if sub, ok := v["properties"].(map[string]any); ok {
					walk(table, prefix+k+".", sub)
					continue
				}
				types := fmt.Sprint(v["type"])
				enum, _ := v["enum"].([]any)
				switch {
				case strings.Contains(types, "boolean") || slices.Contains(enum, any(true)):
					kinds.m[table+"/"+prefix+k] = kindBool
				case strings.Contains(types, "integer"):
					kinds.m[table+"/"+prefix+k] = kindInt
				case strings.Contains(types, "array"):
					kinds.m[table+"/"+prefix+k] = kindList
				}
			}
		}
		props, _ := s["properties"].(map[string]any)
		walk("households", "", props)
		if m, ok := defs["member"].(map[string]any); ok {
			mp, _ := m["properties"].(map[string]any)
			walk("members", "", mp)
		}
		kinds.m["households/income_history"] = kindHistory
	})
	return kinds.m[table+"/"+path]
}

// cellValue turns a cell into the value the record schema expects.
func cellValue(k cellKind, s string) (any, error) {
	switch k {
	case kindBool:
		switch strings.ToLower(s) {
		case "true", "t", "yes", "y", "1", "是", "有":
			return true, nil
		case "false", "f", "no", "n", "0", "否", "无":
			return false, nil
		}
		return nil, household.Errorf("%q is not yes or no (是/否, true/false)", "%q 不是是或否（是/否、true/false）", s)
	case kindInt:
		n, err := strconv.Atoi(household.NarrowWidth(s))
		if err != nil {
			return nil, household.Errorf("%q is not a whole number", "%q 不是整数", s)
		}
		return json.Number(strconv.Itoa(n)), nil
	case kindList:
		out := []any{}
		switch strings.ToLower(s) {
		case "无", "none", "-":
			return out, nil // an empty list: none, which is not unknown
		}
		for _, x := range splitList(s) {
			out = append(out, x)
		}
		return out, nil
	case kindHistory:
		out := []any{}
		for _, x := range splitList(s) {
			month, amount, ok := strings.Cut(x, ":")
			if !ok {
				month, amount, ok = strings.Cut(x, "：")
			}
			if !ok {
				return nil, household.Errorf("%q is not month:amount (2025-03:760.00)", "%q 不是“月份:金额”（例如 2025-03:760.00）", x)
			}
			out = append(out, map[string]any{"month": strings.TrimSpace(month), "per_capita_income": strings.TrimSpace(amount)})
		}
		return out, nil
	}
	return s, nil
}

func splitList(s string) []string {
	var out []string
	for _, x := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == '；' || r == '|' || r == '、' }) {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// table is one table of a tabular roll, read row by row.
type table interface {
	// next returns the next row's cells and its line (row) number, or io.EOF.
	next() ([]string, int, error)
	name() string
	// value is the text the record reads for a cell of the column path: a
	// CSV cell as written, an Excel cell turned from how Excel keeps it.
	value(path, cell string) string
	// unreadable says why a cell is not text in the table's encoding (in
	// English and Chinese), or gives "" when it is.
	unreadable(cell string) (en, zh string)
}

// sheet reads a table's header and maps its columns.
type sheet struct {
	t     table
	kind  string // households, members or payments
	paths []string
	hid   int // index of the household_id column
	peek  *tableRow
	eof   bool
	rows  int
}

type tableRow struct {
	cells []string
	line  int
}

func (s *sheet) hidOf(r *tableRow) string {
	if s.hid < len(r.cells) {
		return strings.TrimSpace(r.cells[s.hid])
	}
	return ""
}

// tableZh names the roll's tables in Chinese, as the CSV files and Excel
// sheets may be named.
var tableZh = map[string]string{"households": "户表", "members": "成员表", "payments": "发放表"}

// tableKinds are a tabular roll's tables, in the order they are read.
var tableKinds = []string{"households", "members", "payments"}

// openSheet reads a table's header. Headers in ignore are left unread (an
// empty path) and appended to ignored.
func openSheet(t table, kind string, ignore map[string]bool, ignored *[]IgnoredColumn) (*sheet, error) {
	header, line, err := t.next()
	if err == io.EOF {
		return nil, household.Errorf("%s: empty, a header row is needed", "%s：表格是空的，第一行须是表头", t.name())
	}
	if err != nil {
		return nil, err
	}
	s := &sheet{t: t, kind: kind, hid: -1}
	known := map[string]string{}
	for _, c := range Columns {
		if c.Table == kind {
			known[c.Path] = c.Path
			known[c.Zh] = c.Path
		}
	}
	for alias, path := range HeaderAliases {
		if _, ok := known[path]; ok {
			known[alias] = path
		}
	}
	if kind == "members" {
		known["disability"] = "disability"
		for _, h := range household.DisabilityTextNames {
			known[h] = "disability"
		}
	}
	seen := map[string]bool{}
	var unknown []unknownHeader
	for i, h := range header {
		if en, zh := t.unreadable(h); en != "" {
			return nil, household.Errorf("%[1]s:%[2]d: the header of column %[3]d is %[4]s", "%[1]s:%[2]d：第 %[3]d 列的列名%[5]s", t.name(), line, i+1, en, zh)
		}
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		path, ok := known[h]
		if ignore[h] {
			*ignored = append(*ignored, IgnoredColumn{Table: t.name(), Line: line, Column: i + 1, Header: h})
			s.paths = append(s.paths, "")
			continue
		}
		if !ok {
			unknown = append(unknown, unknownHeader{i + 1, h, nearestHeader(kind, h)})
			continue
		}
		if seen[path] {
			return nil, household.Errorf("%s:%d: column %q appears twice", "%s:%d：列“%s”出现了两次", t.name(), line, h)
		}
		seen[path] = true
		if path == "household_id" {
			s.hid = i
		}
		s.paths = append(s.paths, path)
	}
	if len(unknown) > 0 {
		return nil, unknownHeaders(t.name(), line, kind, unknown)
	}
	if s.hid < 0 {
		return nil, household.Errorf("%s:%d: the household_id (户编号) column is missing", "%s:%d：缺少“户编号”（household_id）列", t.name(), line)
	}
	if kind == "members" && !seen["member_id"] {
		return nil, household.Errorf("%s:%d: the member_id (成员编号) column is missing", "%s:%d：缺少“成员编号”（member_id）列", t.name(), line)
	}
	return s, nil
}

// unknownHeader is a header of a table that names none of its columns, with
// the column's header most like it, if one is close.
type unknownHeader struct {
	column     int
	header     string
	didYouMean string
}

// unknownHeaders is the problem of a table's unknown headers, all of them
// at once: each with the header most like it, and those like none named for
// --ignore-columns, as an export's columns the audit has no use for (性别,
// 年龄, 联系电话) are.
func unknownHeaders(file string, line int, kind string, us []unknownHeader) error {
	hints := func(u unknownHeader) (en, zh string) {
		if u.didYouMean == "" {
			return "", ""
		}
		return fmt.Sprintf(" (did you mean %q?)", u.didYouMean), fmt.Sprintf("（是否应为“%s”？）", u.didYouMean)
	}
	var msg, msgZh string
	if len(us) == 1 { // the hint after the verb: column 3 "X" is not a members column (did you mean "Y"?)
		u := us[0]
		hint, hintZh := hints(u)
		msg = fmt.Sprintf("%s:%d: column %d %q is not a %s column%s (see docs/audit.md)", file, line, u.column, u.header, kind, hint)
		msgZh = fmt.Sprintf("%s:%d：第 %d 列“%s”不是%s的列%s（列名见 docs/audit.md）", file, line, u.column, u.header, tableZh[kind], hintZh)
	} else { // each hint after its header
		var en, zh []string
		for _, u := range us {
			hint, hintZh := hints(u)
			en = append(en, fmt.Sprintf("column %d %q%s", u.column, u.header, hint))
			zh = append(zh, fmt.Sprintf("第 %d 列“%s”%s", u.column, u.header, hintZh))
		}
		msg = fmt.Sprintf("%s:%d: %s are not %s columns (see docs/audit.md)", file, line, strings.Join(en, ", "), kind)
		msgZh = fmt.Sprintf("%s:%d：%s不是%s的列（列名见 docs/audit.md）", file, line, strings.Join(zh, "、"), tableZh[kind])
	}
	var ignorable []string
	for _, u := range us {
		if u.didYouMean == "" {
			ignorable = append(ignorable, u.header)
		}
	}
	if len(ignorable) > 0 {
		list := strings.Join(ignorable, ",")
		msg += "; columns the audit has no use for are left unread with --ignore-columns " + list
		msgZh += "；审核用不到的列，可用 --ignore-columns " + list + " 略过不读"
	}
	return household.Errorf("%[1]s", "%[2]s", msg, msgZh)
}

// peekRow returns the next non-blank row without consuming it.
func (s *sheet) peekRow() (*tableRow, error) {
	for s.peek == nil && !s.eof {
		cells, line, err := s.t.next()
		if err == io.EOF {
			s.eof = true
			break
		}
		if err != nil {
			return nil, err
		}
		blank := true
		for _, c := range cells {
			if strings.TrimSpace(c) != "" {
				blank = false
				break
			}
		}
		if !blank {
			s.peek = &tableRow{cells: cells, line: line}
			s.rows++
		}
	}
	return s.peek, nil
}

func (s *sheet) take() *tableRow {
	r := s.peek
	s.peek = nil
	return r
}

// takeOf takes the rows of household hid that come next, handing each to
// fn; they end at the first row of another household (left for later).
func (s *sheet) takeOf(hid string, fn func(*tableRow)) error {
	for {
		row, err := s.peekRow()
		if err != nil {
			return err
		}
		if row == nil || s.hidOf(row) != hid {
			return nil
		}
		fn(s.take())
	}
}

// TabularReader assembles roll entries from the three tables.
type TabularReader struct {
	households, members, payments *sheet
	n                             int
	closers                       []io.Closer
	progress                      func() (int64, int64)
	ignored                       []IgnoredColumn
	encodings                     []FileEncoding
	// The household id and line of the households row read last.
	prevHid  string
	prevLine int
}

// TabularOption tunes how a CSV or Excel roll is read.
type TabularOption func(*tabularConfig)

type tabularConfig struct {
	ignore   map[string]bool
	encoding TextEncoding
	password string // of an encrypted Excel roll
}

// tabularOptions applies opts, and refuses an encoding it does not know.
func tabularOptions(opts []TabularOption) (tabularConfig, error) {
	var c tabularConfig
	for _, o := range opts {
		o(&c)
	}
	if c.encoding != "" {
		enc, err := ParseEncoding(string(c.encoding))
		if err != nil {
			return c, err
		}
		c.encoding = enc
	}
	return c, nil
}

// IgnoreColumns names headers to leave unread in any of the three tables:
// the columns an export adds that the audit has no use for (性别, 民族,
// 联系电话). A header neither listed here nor known stops the roll, as
// before. The columns left unread are listed in the report
// (Counts.IgnoredColumns), so that nothing is dropped unsaid.
func IgnoreColumns(headers ...string) TabularOption {
	return func(c *tabularConfig) {
		if c.ignore == nil {
			c.ignore = map[string]bool{}
		}
		for _, h := range headers {
			if h = strings.TrimSpace(h); h != "" {
				c.ignore[h] = true
			}
		}
	}
}

func newTabularReader(h, m, p table, c tabularConfig) (*TabularReader, error) {
	r := &TabularReader{}
	var err error
	if r.households, err = openSheet(h, "households", c.ignore, &r.ignored); err != nil {
		return nil, err
	}
	if r.members, err = openSheet(m, "members", c.ignore, &r.ignored); err != nil {
		return nil, err
	}
	if r.payments, err = openSheet(p, "payments", c.ignore, &r.ignored); err != nil {
		return nil, err
	}
	return r, nil
}

// Counts reports the member and payment rows read, the columns left
// unread, and the files not read as UTF-8.
func (r *TabularReader) Counts() Counts {
	return Counts{MemberRows: r.members.rows, PaymentRows: r.payments.rows, IgnoredColumns: r.ignored, Encodings: r.encodings}
}

// Progress reports progress through the households table, if known.
func (r *TabularReader) Progress() (int64, int64) {
	if r.progress != nil {
		return r.progress()
	}
	return 0, 0
}

// Close closes the underlying files.
func (r *TabularReader) Close() error {
	var first error
	for _, c := range r.closers {
		if err := c.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// Next assembles the next household with its members and payments; after
// the last household, rows of the other tables that matched none come as
// invalid records.
func (r *TabularReader) Next() (*Record, error) {
	hr, err := r.households.peekRow()
	if err != nil {
		return nil, err
	}
	if hr == nil {
		return r.orphans()
	}
	r.households.take()
	r.n++
	ref := fmt.Sprintf("%s:%d", r.households.t.name(), hr.line)
	rec := &Record{N: r.n, Ref: ref}
	hid := r.households.hidOf(hr)
	rec.Household = hid
	problems, err := r.twice(hr, hid, ref)
	if err != nil {
		return nil, err
	}
	hh := map[string]any{}
	r.fill(r.households, hr, hh, &problems)
	hh["id"] = hid
	members := []any{}
	var memberLines []int
	if err := r.members.takeOf(hid, func(mr *tableRow) {
		m := map[string]any{}
		r.fill(r.members, mr, m, &problems)
		members = append(members, m)
		memberLines = append(memberLines, mr.line)
	}); err != nil {
		return nil, err
	}
	rec.Members = len(members)
	hh["members"] = members
	if len(members) == 0 && len(problems) == 0 {
		next, nextZh := "", ""
		if mr, _ := r.members.peekRow(); mr != nil {
			next = fmt.Sprintf(" (the next %s row, line %d, is for household %q)", r.members.t.name(), mr.line, r.members.hidOf(mr))
			nextZh = fmt.Sprintf("（%s 的下一行，第 %d 行，属于户 %q）", r.members.t.name(), mr.line, r.members.hidOf(mr))
		}
		problems = append(problems, Problem{Ref: ref, Code: "A105", Msg: fmt.Sprintf("no rows in %s for household %q: rows must be grouped by household, in the order of %s%s",
			r.members.t.name(), hid, r.households.t.name(), next),
			Zh: fmt.Sprintf("%s 中没有户 %q 的行：各行须按户排在一起，顺序与 %s 相同%s", r.members.t.name(), hid, r.households.t.name(), nextZh)})
	}
	var pays []Payment
	if err := r.payments.takeOf(hid, func(pr *tableRow) {
		rec.Payments++
		if p, ok := r.payment(pr, &problems); ok {
			pays = append(pays, p)
		}
	}); err != nil {
		return nil, err
	}
	if len(problems) > 0 {
		rec.Problems = problems
		return rec, nil
	}
	rec.place = func(e *household.Error) Problem { return r.locate(e, ref, memberLines) }
	// The fast path first, as for a JSONL line (the engine's Validate holds
	// the record to the schema's bounds); the schema's located explanation
	// only when it fails.
	rec.assemble = func() (*Entry, []Problem) {
		if b, err := json.Marshal(hh); err == nil {
			if h, err := household.DecodeJSONFast(b); err == nil {
				return &Entry{Household: h, Payments: pays}, nil
			}
		}
		h, _, err := household.DecodeGeneric(hh, nil, household.DecodeOptions{})
		if err == nil {
			return &Entry{Household: h, Payments: pays}, nil
		}
		var es household.Errors
		if !errors.As(err, &es) {
			return nil, []Problem{{Ref: ref, Code: "A199", Msg: "the record could not be read: " + err.Error(), Zh: "记录无法读取：" + err.Error()}}
		}
		var out []Problem
		for _, e := range es {
			out = append(out, rec.place(e))
		}
		return nil, out
	}
	return rec, nil
}

// twice reports a household id on two consecutive rows of the households
// table (A107): the member and payment rows that follow are grouped by
// household id, so they cannot be told apart. The first record takes them
// all, the second none, and both are invalid; the duplicate-household
// check reports the id on both, as it does wherever the rows are.
func (r *TabularReader) twice(hr *tableRow, hid, ref string) ([]Problem, error) {
	var problems []Problem
	name := r.households.t.name()
	if hid != "" && hid == r.prevHid {
		problems = append(problems, Problem{Ref: ref, Code: "A107",
			Msg: fmt.Sprintf("household %q is also on the row before (line %d) of %s: the member and payment rows of the two cannot be told apart", hid, r.prevLine, name),
			Zh:  fmt.Sprintf("户编号 %q 与 %s 的上一行（第 %d 行）相同：两户的成员行和发放行无法区分", hid, name, r.prevLine)})
	}
	r.prevHid, r.prevLine = hid, hr.line
	next, err := r.households.peekRow()
	if err != nil {
		return nil, err
	}
	if next != nil && hid != "" && r.households.hidOf(next) == hid {
		problems = append(problems, Problem{Ref: ref, Code: "A107",
			Msg: fmt.Sprintf("household %q is also on the next row (line %d) of %s: the member and payment rows of the two cannot be told apart", hid, next.line, name),
			Zh:  fmt.Sprintf("户编号 %q 与 %s 的下一行（第 %d 行）相同：两户的成员行和发放行无法区分", hid, name, next.line)})
	}
	return problems, nil
}

// fill puts a row's cells into a record map by their paths.
func (r *TabularReader) fill(s *sheet, row *tableRow, dst map[string]any, problems *[]Problem) {
	none := "" // a disability category or grade cell that says none (无)
	text := "" // a disability written as one text (household.DisabilityTextNames)
	for i, cell := range row.cells {
		cell = strings.TrimSpace(cell)
		if i >= len(s.paths) {
			if cell != "" {
				p := beyondHeader(i, len(s.paths))
				p.Ref = fmt.Sprintf("%s:%d", s.t.name(), row.line)
				*problems = append(*problems, p)
			}
			continue
		}
		path := s.paths[i]
		if path == "" {
			continue // an ignored column
		}
		if p, bad := cellProblem(s, i, cell, row); bad {
			*problems = append(*problems, p)
			continue
		}
		if cell == "" || path == "household_id" {
			continue // empty, or the key already read
		}
		if path == "member_id" {
			path = "id"
		}
		if s.kind == "members" && (path == "disability" || path == "disability.category" || path == "disability.grade") && household.IsNoDisability(cell) {
			none = cell
			continue
		}
		if path == "disability" {
			text = cell
			continue
		}
		v, err := cellValue(kindOf(s.kind, path), s.t.value(path, cell))
		if err != nil {
			*problems = append(*problems, Problem{Ref: fmt.Sprintf("%s:%d", s.t.name(), row.line), Field: s.paths[i], Code: "H003", Msg: err.Error(), Zh: household.ZhMessage(err)})
			continue
		}
		setPath(dst, path, v)
	}
	ref := fmt.Sprintf("%s:%d", s.t.name(), row.line)
	if text != "" {
		disabilityText(dst, text, ref, problems)
	}
	if none != "" {
		noDisability(dst, none, ref, problems)
	}
}

// disabilityText reads a members cell that gives the disability's category
// and grade in one text (household.DisabilityTextNames): into the row's
// disability.category and disability.grade, which a 残疾类别 or 残疾等级 cell
// of the row must agree with (H021). A text that gives no category and
// grade is refused (H003), with the forms that are read.
func disabilityText(dst map[string]any, text, ref string, problems *[]Problem) {
	cat, grade, ok := household.ParseDisability(text)
	if !ok {
		p := Problem{Ref: ref, Field: "disability", Code: string(household.CodeSchema),
			Msg: fmt.Sprintf("this column gives the disability's category and grade in one text, e.g. 肢体二级 or 二级肢体残疾, or 无 for none; got %q", text),
			Zh:  fmt.Sprintf("本列把残疾类别和等级写在一起，例如 肢体二级、二级肢体残疾，没有残疾的写 无；填写的是 %q", text)}
		if yes, isFlag := household.FlagNames[text]; isFlag && yes {
			p.Msg += "; 是 says only that the member is disabled: that is the 是否残疾 column, and this one gives the category and grade"
			p.Zh += "；“是”只说明是残疾人，应填在“是否残疾”列，本列填类别和等级"
		}
		*problems = append(*problems, p)
		return
	}
	d, _ := dst["disability"].(map[string]any)
	if d == nil {
		d = map[string]any{}
		dst["disability"] = d
	}
	disagree := func(field, given, givenZh string) {
		*problems = append(*problems, Problem{Ref: ref, Field: "disability." + field, Code: string(household.CodeContradiction),
			Msg: fmt.Sprintf("the disability written as one text (%q) and the %s cell (%q) disagree", text, field, given),
			Zh:  fmt.Sprintf("残疾情况（%q）与%s（%q）不一致", text, givenZh, given)})
	}
	switch given, _ := d["category"].(string); {
	case given == "":
		d["category"] = cat
	default:
		if c := household.NormalizeCategory(given); c != "" && c != cat { // an unknown one is refused by the record's decoder
			disagree("category", given, "残疾类别")
		}
	}
	switch given, _ := d["grade"].(string); {
	case given == "":
		d["grade"] = json.Number(strconv.Itoa(grade))
	default:
		if g, ok := household.ParseGrade(household.NarrowWidth(given)); ok && g != grade {
			disagree("grade", given, "残疾等级")
		}
	}
}

// noDisability reads a member row whose disability category, grade or 残疾情况 says
// none (the text given: 无, 否, 非残疾人…), as an export writes it for a
// member without a disability: the record's disability is then that text,
// read as disabled: false, or refused beside 是否残疾 是 (H021). Beside
// another disability cell (a grade, a certificate) it is a contradiction.
func noDisability(dst map[string]any, text, ref string, problems *[]Problem) {
	if _, given := dst["disability"]; given {
		*problems = append(*problems, Problem{Ref: ref, Field: "disability", Code: string(household.CodeContradiction),
			Msg: fmt.Sprintf("the disability category, grade or 残疾情况 says none (%q), but the row gives other disability facts", text),
			Zh:  fmt.Sprintf("残疾类别、等级或残疾情况填的是没有残疾（%q），但这一行又填写了其他残疾信息", text)})
		return
	}
	dst["disability"] = text
}

// beyondHeader is the problem of a non-empty cell i (from 0) of a row
// whose table's header has n columns.
func beyondHeader(i, n int) Problem {
	return Problem{Code: "H002", Msg: fmt.Sprintf("cell %d is beyond the header's %d columns", i+1, n), Zh: fmt.Sprintf("第 %d 格超出了表头的 %d 列", i+1, n)}
}

func setPath(m map[string]any, path string, v any) {
	parts := strings.Split(path, ".")
	for _, p := range parts[:len(parts)-1] {
		sub, ok := m[p].(map[string]any)
		if !ok {
			sub = map[string]any{}
			m[p] = sub
		}
		m = sub
	}
	m[parts[len(parts)-1]] = v
}

// payment reads one payments row.
func (r *TabularReader) payment(row *tableRow, problems *[]Problem) (Payment, bool) {
	ref := fmt.Sprintf("%s:%d", r.payments.t.name(), row.line)
	var p Payment
	ok := true
	bad := func(field, code, msg, zh string) {
		*problems = append(*problems, Problem{Ref: ref, Field: field, Code: code, Msg: msg, Zh: zh})
		ok = false
	}
	for i, cell := range row.cells {
		cell = strings.TrimSpace(cell)
		if i >= len(r.payments.paths) {
			if cell != "" {
				p := beyondHeader(i, len(r.payments.paths))
				bad(p.Field, p.Code, p.Msg, p.Zh)
			}
			continue
		}
		if r.payments.paths[i] == "" {
			continue // an ignored column
		}
		if p, unread := cellProblem(r.payments, i, cell, row); unread {
			bad(p.Field, p.Code, p.Msg, p.Zh)
			continue
		}
		cell = r.payments.t.value(r.payments.paths[i], cell)
		switch r.payments.paths[i] {
		case "member_id":
			p.Member = cell
		case "benefit":
			p.Benefit = cell
		case "monthly":
			if cell == "" {
				continue
			}
			v, err := money.ParseYuan(household.NarrowWidth(cell))
			if err != nil {
				bad("monthly", "H019", err.Error(), household.ZhMessage(err))
				continue
			}
			p.Monthly = &v
		case "start", "end":
			if cell == "" {
				continue
			}
			var m household.Month
			if err := m.UnmarshalJSON([]byte(strconv.Quote(household.NarrowWidth(cell)))); err != nil {
				bad(r.payments.paths[i], "H018", err.Error(), household.ZhMessage(err))
				continue
			}
			if r.payments.paths[i] == "start" {
				p.Start = m
			} else {
				p.End = &m
			}
		}
	}
	return p, ok
}

// locate turns a record error into the table, line and column it came from.
func (r *TabularReader) locate(e *household.Error, ref string, memberLines []int) Problem {
	field := e.Field
	if rest, ok := strings.CutPrefix(field, "members["); ok {
		if i, tail, ok := strings.Cut(rest, "]"); ok {
			if n, err := strconv.Atoi(i); err == nil && n < len(memberLines) {
				tail = strings.TrimPrefix(tail, ".")
				if tail == "id" {
					tail = "member_id"
				}
				return recordProblem(e, fmt.Sprintf("%s:%d", r.members.t.name(), memberLines[n]), tail)
			}
		}
	}
	if field == "id" {
		field = "household_id"
	}
	return recordProblem(e, ref, field)
}

// orphans returns the member and payment rows left after the last
// household, one invalid record per household id they name.
func (r *TabularReader) orphans() (*Record, error) {
	for _, s := range []*sheet{r.members, r.payments} {
		first, err := s.peekRow()
		if err != nil {
			return nil, err
		}
		if first == nil {
			continue
		}
		hid := s.hidOf(first)
		n := 0
		for {
			row, err := s.peekRow()
			if err != nil {
				return nil, err
			}
			if row == nil || s.hidOf(row) != hid {
				break
			}
			s.take()
			n++
		}
		r.n++
		ref := fmt.Sprintf("%s:%d", s.t.name(), first.line)
		rec := &Record{N: r.n, Ref: ref, Household: hid}
		if s == r.payments {
			rec.Payments = n
		} else {
			rec.Members = n
		}
		rec.Problems = []Problem{{Ref: ref, Code: "A106",
			Msg: fmt.Sprintf("%d row(s) for household %q match no household of %s (missing there, or out of order)", n, hid, r.households.t.name()),
			Zh:  fmt.Sprintf("户 %q 的 %d 行在 %s 中找不到对应的户（那里缺少该户，或顺序不同）", hid, n, r.households.t.name())}}
		return rec, nil
	}
	return nil, io.EOF
}

// nearestHeader is the header of the table kind closest to an unknown one:
// the Chinese header for a Chinese one (残疾人等级 → 残疾等级), the field path
// for another (disability.grad → disability.grade); "" when none is within
// half its length and three edits. A Chinese header must also share a
// character with it that says what the column is, not only the words that
// say what kind of value it holds: 结束月份 is not 起始月份, nor 是否低保
// 是否残疾.
func nearestHeader(kind, h string) string {
	n := utf8.RuneCountInString(h)
	var names []string
	for _, c := range Columns {
		if c.Table != kind {
			continue
		}
		switch {
		case n == len(h): // ASCII: a field path
			names = append(names, c.Path)
		case sharesTopic(h, c.Zh):
			names = append(names, c.Zh)
		}
	}
	return editdist.Nearest(h, names, min(n/2, 3))
}

// headerFormWords are the characters of headers that say what kind of value
// a column holds (是否, 类别, 月份, 金额, 号码…) or whose it is (成员) rather
// than what it is about.
const headerFormWords = "是否类别型月份日期时间情况状态金额号码收入人员成等级数名称"

// sharesTopic reports whether two Chinese headers have a character in
// common that is not one of headerFormWords.
func sharesTopic(a, b string) bool {
	for _, r := range a {
		if !strings.ContainsRune(headerFormWords, r) && strings.ContainsRune(b, r) {
			return true
		}
	}
	return false
}
