package audit_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"entitle/engine/audit"
	"entitle/engine/household"
)

// firstEntry reads the first record of a table roll, which must assemble
// without a problem, and closes the roll.
func firstEntry(t *testing.T, r *audit.TabularReader) *audit.Entry {
	t.Helper()
	defer r.Close()
	rec, err := r.Next()
	require.NoError(t, err)
	e, problems := rec.Assemble()
	require.Empty(t, problems)
	require.NotNil(t, e, "the record is assembled")
	return e
}

// writeRoll writes a CSV roll of three tables to a new directory.
func writeRoll(t *testing.T, households, members, payments string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range map[string]string{"households.csv": households, "members.csv": members, "payments.csv": payments} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644))
	}
	return dir
}

// TestHeaderAliases: a roll exported with the headers other systems give
// the same columns (身份证号码, 残疾类型, 残疾级别, 残疾证号, 待遇名称) is read
// as with the template's headers.
func TestHeaderAliases(t *testing.T) {
	dir := writeRoll(t,
		"户号,区划代码\nH1,141081\n",
		"户号,成员序号,公民身份号码,与户主的关系,残疾类型,残疾级别,残疾证号\n"+
			"H1,M1,141081200309200024,户主,智力残疾,二级,14108120030920002452\n",
		"户号,成员序号,待遇名称,月发放金额,起始月份\nH1,M1,重度残疾人护理补贴,100,2025-01\n")
	r, err := audit.OpenCSV(dir)
	require.NoError(t, err)
	e := firstEntry(t, r)
	h := e.Household
	assert.Equal(t, "H1", h.ID)
	assert.Equal(t, "141081", h.Jurisdiction)
	require.Len(t, h.Members, 1)
	m := h.Members[0]
	assert.Equal(t, "M1", m.ID)
	assert.Equal(t, "141081200309200024", m.CitizenID)
	assert.Equal(t, "户主", m.Relation, "as written; Validate reads the name")
	require.NotNil(t, m.Disability)
	assert.Equal(t, "智力残疾", m.Disability.Category)
	require.NotNil(t, m.Disability.Grade)
	assert.Equal(t, 2, *m.Disability.Grade)
	assert.Equal(t, "14108120030920002452", m.Disability.CertificateNo)
	require.Len(t, e.Payments, 1)
	assert.Equal(t, "重度残疾人护理补贴", e.Payments[0].Benefit, "as written; the audit reads the name")
}

// TestUnknownHeader: a header no column has stops the audit before any
// record is read, naming the file, line and column, and the header most
// like it when one is close.
func TestUnknownHeader(t *testing.T) {
	tests := []struct {
		name, members, want, wantZh string
	}{
		{"Chinese, close", "户编号,成员编号,残疾人等级\n",
			`members.csv:1: column 3 "残疾人等级" is not a members column (did you mean "残疾等级"?)`,
			`members.csv:1：第 3 列“残疾人等级”不是成员表的列（是否应为“残疾等级”？）`},
		{"field path, close", "household_id,member_id,disability.grad\n",
			`column 3 "disability.grad" is not a members column (did you mean "disability.grade"?)`,
			`第 3 列“disability.grad”不是成员表的列（是否应为“disability.grade”？）`},
		{"nothing close", "户编号,成员编号,性别\n",
			`column 3 "性别" is not a members column (see docs/audit.md)`,
			`第 3 列“性别”不是成员表的列（列名见 docs/audit.md）`},
		{"nothing close: leave it unread", "户编号,成员编号,性别\n",
			`columns the audit has no use for are left unread with --ignore-columns 性别`,
			`；审核用不到的列，可用 --ignore-columns 性别 略过不读`},
		// Only the words of the value's kind in common is not close:
		// 是否低保 is not 是否残疾, so it is left to --ignore-columns.
		{"sharing only 是否", "户编号,成员编号,是否低保\n",
			`column 3 "是否低保" is not a members column (see docs/audit.md); columns the audit has no use for are left unread with --ignore-columns 是否低保`,
			`第 3 列“是否低保”不是成员表的列（列名见 docs/audit.md）`},
		{"whose, not what", "户编号,成员编号,成员姓名\n",
			`column 3 "成员姓名" is not a members column (did you mean "姓名"?)`,
			`第 3 列“成员姓名”不是成员表的列（是否应为“姓名”？）`},
		// Every unknown header at once, so that one run names them all;
		// those like no column are the ones to leave unread.
		{"several", "户编号,成员编号,年龄,残疾人等级,联系电话\n",
			`members.csv:1: column 3 "年龄", column 4 "残疾人等级" (did you mean "残疾等级"?), column 5 "联系电话" are not members columns (see docs/audit.md); columns the audit has no use for are left unread with --ignore-columns 年龄,联系电话`,
			`members.csv:1：第 3 列“年龄”、第 4 列“残疾人等级”（是否应为“残疾等级”？）、第 5 列“联系电话”不是成员表的列（列名见 docs/audit.md）；审核用不到的列，可用 --ignore-columns 年龄,联系电话 略过不读`},
		{"an alias twice", "户编号,成员编号,身份证号,身份证号码\n",
			`column "身份证号码" appears twice`, `列“身份证号码”出现了两次`},
		{"no member id", "户编号,姓名\n",
			`the member_id (成员编号) column is missing`, `缺少“成员编号”（member_id）列`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeRoll(t, "户编号,行政区划代码\nH1,141081\n", tt.members+"H1,M1\n", "户编号,待遇代码\n")
			r, err := audit.OpenCSV(dir)
			if err == nil {
				defer r.Close()
				_, err = r.Next()
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.Contains(t, household.ZhMessage(err), tt.wantZh)
		})
	}
	// The columns the message names for --ignore-columns, once left
	// unread, leave the one a typo named.
	dir := writeRoll(t, "户编号,行政区划代码\nH1,141081\n", "户编号,成员编号,年龄,残疾人等级,联系电话\nH1,M1\n", "户编号,待遇代码\n")
	_, err := audit.OpenCSV(dir, audit.IgnoreColumns("年龄", "联系电话"))
	require.Error(t, err)
	assert.Equal(t, `members.csv:1: column 4 "残疾人等级" is not a members column (did you mean "残疾等级"?) (see docs/audit.md)`, err.Error())
}

// TestHeaderAliasesNameColumns: every alias names a column of the
// template, and none is itself a header, which it would shadow.
func TestHeaderAliasesNameColumns(t *testing.T) {
	paths, headers := map[string]bool{}, map[string]bool{}
	for _, c := range audit.Columns {
		paths[c.Path] = true
		headers[c.Path], headers[c.Zh] = true, true
	}
	doc, err := os.ReadFile("../../docs/audit.md")
	require.NoError(t, err)
	for alias, path := range audit.HeaderAliases {
		assert.True(t, paths[path], "alias %q names %q, which no column has", alias, path)
		assert.False(t, headers[alias], "alias %q is a header already", alias)
		assert.Contains(t, string(doc), alias, "docs/audit.md lists the alias")
	}
}

// TestRowNotCSV: a row that cannot be split into cells stops the audit with
// the file, line and column, and how to write the cell, in both languages.
// It stops at H1, whose member rows end where H2's bad row is peeked at: no
// record is returned half-read.
func TestRowNotCSV(t *testing.T) {
	tests := []struct {
		name, row, want, wantZh string
	}{
		{"bare quote", `H2,M"1` + "\n",
			`members.csv:3:5: bare " in non-quoted-field (a cell with a quote mark in it is quoted whole`,
			`members.csv:3:5：未加引号的单元格中有引号`},
		{"unclosed quote", `H2,"M1` + "\n",
			`members.csv:3:8: extraneous or missing " in quoted-field (a quoted cell lacks its closing quote mark`,
			`members.csv:3:8：引号不成对`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeRoll(t, "户编号,行政区划代码\nH1,141081\nH2,141081\n", "户编号,成员编号\nH1,M1\n"+tt.row, "户编号,待遇代码\n")
			r, err := audit.OpenCSV(dir)
			require.NoError(t, err)
			defer r.Close()
			_, err = r.Next()
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.Contains(t, household.ZhMessage(err), tt.wantZh)
		})
	}
}

// TestDisabilityTextColumn: a members column that gives the disability's
// category and grade in one cell (残疾情况 肢体二级) is read as the two, and
// says none as 残疾类别 无 does; beside 残疾类别 or 残疾等级 the cells must
// agree, and a cell that gives no category and grade is refused with the
// forms that are read. No row is dropped: each refusal names the row.
func TestDisabilityTextColumn(t *testing.T) {
	tests := []struct {
		name, header, cells string
		category            string // the record's category, when read
		grade               int
		disabled            *bool
		code, field, zh     string // the problem, when refused
	}{
		{name: "category and grade", header: "残疾情况", cells: "肢体二级", category: "physical", grade: 2},
		{name: "short name, grade first", header: "残疾类别及等级", cells: "二级智残", category: "intellectual", grade: 2},
		{name: "beside the certificate", header: "残疾类别等级,残疾人证号", cells: "精神残疾3级,14108120030920002463", category: "mental", grade: 3},
		{name: "beside agreeing cells", header: "残疾情况,残疾类别,残疾等级", cells: "肢体二级,肢体残疾,2", category: "肢体残疾", grade: 2},
		{name: "beside an empty category", header: "残疾情况,残疾类别", cells: "视残一级,", category: "visual", grade: 1},
		{name: "none", header: "残疾情况", cells: "无", disabled: new(bool)},
		{name: "category disagrees", header: "残疾情况,残疾类别", cells: "肢体二级,视力",
			code: "H021", field: "disability.category", zh: `残疾情况（"肢体二级"）与残疾类别（"视力"）不一致`},
		{name: "grade disagrees", header: "残疾等级,残疾情况", cells: "三级,肢体二级",
			code: "H021", field: "disability.grade", zh: `残疾情况（"肢体二级"）与残疾等级（"三级"）不一致`},
		{name: "grade in full width disagrees", header: "残疾情况,残疾等级", cells: "肢体三级,２",
			code: "H021", field: "disability.grade", zh: `残疾情况（"肢体三级"）与残疾等级（"２"）不一致`},
		{name: "none beside a category", header: "残疾类别,残疾情况", cells: "无,肢体二级",
			code: "H021", field: "disability", zh: "残疾类别、等级或残疾情况填的是没有残疾"},
		{name: "none beside a certificate", header: "残疾情况,残疾人证号", cells: "无,14108120030920002452",
			code: "H021", field: "disability", zh: "残疾类别、等级或残疾情况填的是没有残疾"},
		{name: "yes is not a category and grade", header: "残疾情况", cells: "是",
			code: "H003", field: "disability", zh: `本列把残疾类别和等级写在一起，例如 肢体二级、二级肢体残疾，没有残疾的写 无；填写的是 "是"；“是”只说明是残疾人，应填在“是否残疾”列，本列填类别和等级`},
		{name: "the grade alone", header: "残疾类型及等级", cells: "二级",
			code: "H003", field: "disability", zh: `填写的是 "二级"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeRoll(t, "户编号,行政区划代码\nH1,141081\n",
				"户编号,成员编号,"+tt.header+"\nH1,M1,"+tt.cells+"\n", "户编号,待遇代码\n")
			r, err := audit.OpenCSV(dir)
			require.NoError(t, err)
			if tt.code == "" {
				m := firstEntry(t, r).Household.Members[0]
				if tt.disabled != nil {
					require.NotNil(t, m.Disabled)
					assert.Equal(t, *tt.disabled, *m.Disabled)
					assert.Nil(t, m.Disability)
					return
				}
				require.NotNil(t, m.Disability)
				assert.Equal(t, tt.category, m.Disability.Category)
				require.NotNil(t, m.Disability.Grade)
				assert.Equal(t, tt.grade, *m.Disability.Grade)
				return
			}
			defer r.Close()
			rec, err := r.Next()
			require.NoError(t, err)
			_, problems := rec.Assemble()
			require.Len(t, problems, 1, "%+v", problems)
			p := problems[0]
			assert.Equal(t, "members.csv:2", p.Ref)
			assert.Equal(t, tt.code, p.Code)
			assert.Equal(t, tt.field, p.Field)
			assert.Contains(t, p.Zh, tt.zh)
		})
	}
}
