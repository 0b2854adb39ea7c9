package rollgen

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/xuri/excelize/v2"

	"entitle/engine/audit"
)

// TableWriter writes a roll as the three tables of a tabular roll: CSV files
// in a directory, or the sheets of an Excel workbook. Headers are the
// Chinese ones of audit.Columns, as a caseworker's 花名册 has them.
type TableWriter struct {
	format string
	cols   map[string][]audit.Column
	csv    map[string]*csv.Writer
	bufs   []*bufio.Writer
	files  []*os.File
	xlsx   *excelize.File
	sw     map[string]*excelize.StreamWriter
	rows   map[string]int
	path   string
}

var tableNames = []string{"households", "members", "payments"}

// NewTableWriter writes to dir (csv) or to an .xlsx file.
func NewTableWriter(format, out string) (*TableWriter, error) {
	t := &TableWriter{format: format, cols: map[string][]audit.Column{}, csv: map[string]*csv.Writer{}, sw: map[string]*excelize.StreamWriter{},
		rows: map[string]int{}, path: out}
	for _, c := range audit.Columns {
		t.cols[c.Table] = append(t.cols[c.Table], c)
	}
	switch format {
	case "csv":
		if err := os.MkdirAll(out, 0o755); err != nil {
			return nil, err
		}
		for _, name := range tableNames {
			f, err := os.Create(filepath.Join(out, name+".csv"))
			if err != nil {
				t.Abort()
				return nil, err
			}
			b := bufio.NewWriter(f)
			t.files, t.bufs = append(t.files, f), append(t.bufs, b)
			t.csv[name] = csv.NewWriter(b)
		}
	case "xlsx":
		t.xlsx = excelize.NewFile()
		for i, name := range tableNames {
			if i == 0 {
				t.xlsx.SetSheetName("Sheet1", name)
			} else if _, err := t.xlsx.NewSheet(name); err != nil {
				return nil, err
			}
			sw, err := t.xlsx.NewStreamWriter(name)
			if err != nil {
				return nil, err
			}
			t.sw[name] = sw
		}
	default:
		return nil, fmt.Errorf("unknown table format %q", format)
	}
	for _, name := range tableNames {
		var header []string
		for _, c := range t.cols[name] {
			header = append(header, c.Zh)
		}
		if err := t.row(name, header); err != nil {
			return nil, err
		}
	}
	return t, nil
}

func (t *TableWriter) row(table string, cells []string) error {
	if t.format == "csv" {
		return t.csv[table].Write(cells)
	}
	t.rows[table]++
	vals := make([]any, len(cells))
	for i, c := range cells {
		vals[i] = c
	}
	cell, _ := excelize.CoordinatesToCellName(1, t.rows[table])
	return t.sw[table].SetRow(cell, vals)
}

// Write adds one household with its members and payments.
func (t *TableWriter) Write(e *audit.Entry) error {
	raw, err := json.Marshal(e.Household)
	if err != nil {
		return err
	}
	var h map[string]any
	if err := json.Unmarshal(raw, &h); err != nil {
		return err
	}
	hid := fmt.Sprint(h["id"])
	if err := t.row("households", t.cells("households", h, hid)); err != nil {
		return err
	}
	members, _ := h["members"].([]any)
	for _, m := range members {
		mm, _ := m.(map[string]any)
		mm["member_id"] = mm["id"]
		if err := t.row("members", t.cells("members", mm, hid)); err != nil {
			return err
		}
	}
	for _, p := range e.Payments {
		end := ""
		if p.End != nil {
			end = p.End.String()
		}
		amount := ""
		if p.Monthly != nil {
			amount = p.Monthly.Yuan()
		}
		if err := t.row("payments", []string{hid, p.Member, p.Benefit, amount, p.Start.String(), end}); err != nil {
			return err
		}
	}
	return nil
}

// cells lays out a record map by the table's columns.
func (t *TableWriter) cells(table string, m map[string]any, hid string) []string {
	var out []string
	for _, c := range t.cols[table] {
		if c.Path == "household_id" {
			out = append(out, hid)
			continue
		}
		out = append(out, cellText(lookup(m, c.Path), c.Path))
	}
	return out
}

func lookup(m map[string]any, path string) any {
	var v any = m
	for _, part := range strings.Split(path, ".") {
		mm, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = mm[part]
	}
	return v
}

func cellText(v any, path string) string {
	switch x := v.(type) {
	case nil:
		return ""
	case bool:
		if x {
			return "是"
		}
		return "否"
	case []any:
		if len(x) == 0 {
			return "无" // none, as opposed to an empty cell: unknown
		}
		var parts []string
		for _, e := range x {
			if m, ok := e.(map[string]any); ok && path == "income_history" {
				parts = append(parts, fmt.Sprintf("%v:%v", m["month"], m["per_capita_income"]))
				continue
			}
			parts = append(parts, fmt.Sprint(e))
		}
		return strings.Join(parts, ";")
	case float64:
		return fmt.Sprint(x)
	}
	return fmt.Sprint(v)
}

// Close finishes the files.
func (t *TableWriter) Close() error {
	if t.format == "csv" {
		for i, name := range tableNames {
			t.csv[name].Flush()
			if err := t.csv[name].Error(); err != nil {
				return err
			}
			if err := t.bufs[i].Flush(); err != nil {
				return err
			}
			if err := t.files[i].Close(); err != nil {
				return err
			}
		}
		return nil
	}
	for _, name := range tableNames {
		if err := t.sw[name].Flush(); err != nil {
			return err
		}
	}
	if err := t.xlsx.SaveAs(t.path); err != nil {
		return err
	}
	return t.xlsx.Close()
}

// Abort closes without finishing.
func (t *TableWriter) Abort() {
	for _, f := range t.files {
		f.Close()
	}
	if t.xlsx != nil {
		t.xlsx.Close()
	}
}
