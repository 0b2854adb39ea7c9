// Package audit reconciles a benefit roll, the households on it and what
// each member is paid, against what the rule pack says is due. It streams
// the roll through a pool of workers, keeps memory flat whatever the roll's
// size, and writes the same findings, in the same order, whatever the number
// of workers.
//
// A roll comes as JSONL (one household a line), as three CSV files
// (households, members, payments) or as an Excel workbook with the same
// three sheets; see docs/audit.md for the formats.
package audit

import (
	"fmt"
	"strconv"

	"entitle/engine/household"
	"entitle/engine/money"
)

// Payment is one benefit a roll pays: to a member, or to the household when
// Member is empty.
type Payment struct {
	// Member is the member paid; empty for a household benefit (dibao).
	Member string `json:"member,omitempty"`
	// Benefit is a benefit code of the pack (benefits.yaml).
	Benefit string `json:"benefit"`
	// Monthly is the amount paid a month, in yuan.
	Monthly *money.Fen `json:"monthly"`
	// Start is the first month paid; End the last, if the payment is due to stop.
	Start household.Month  `json:"start"`
	End   *household.Month `json:"end,omitempty"`
}

// Entry is one household of a roll with its payments.
type Entry struct {
	Household *household.Household `json:"household"`
	Payments  []Payment            `json:"payments"`
}

// Record is one entry as a reader delivers it: a JSONL line or a table's
// rows for a worker to decode (Assemble), or the problems that made it
// unreadable.
type Record struct {
	// N is the record's 1-based position in the roll.
	N int
	// Ref says where it came from, e.g. "roll.jsonl:17" or "households.csv:17".
	Ref string
	// Line is a JSONL line, decoded by a worker.
	Line []byte
	// Entry is an entry assembled from a table's rows (CSV, Excel); see
	// Assemble.
	Entry *Entry
	// Household is the household id when known, for an unreadable record.
	Household string
	// Members and Payments are the numbers of member and payment rows a
	// reader (CSV, Excel) took for the record, or that an invalid JSONL
	// line holds: counted in the reconciliation even when the record is
	// invalid and has no Entry.
	Members, Payments int
	// Problems make the record invalid: it is reported, never dropped.
	Problems []Problem

	// assemble, when set, builds Entry from the cells a table reader read.
	// A worker runs it (Assemble), so that the one reader only reads.
	assemble func() (*Entry, []Problem)
	// place, when set, places a problem of the household record at the
	// table row it came from.
	place func(*household.Error) Problem
}

// problem reports a problem of the household record where it is: at its
// table row (place), or at its field under household in a JSONL line.
func (r *Record) problem(e *household.Error) Problem {
	if r.place != nil {
		return r.place(e)
	}
	return recordProblem(e, "", "household."+e.Field)
}

// Assemble returns the record's entry, or the problems that make it
// invalid: it decodes a JSONL line, or builds the entry from a table's
// rows where the reader left that to the worker.
func (r *Record) Assemble() (*Entry, []Problem) {
	if r.assemble != nil {
		r.Entry, r.Problems = r.assemble()
		r.assemble = nil
	}
	if r.Entry == nil && r.Line != nil && len(r.Problems) == 0 {
		e, problems := decodeLine(r.Line)
		if e == nil {
			r.Household, r.Members, r.Payments = salvage(r.Line)
		}
		return e, problems
	}
	return r.Entry, r.Problems
}

// Problem is one thing wrong with a record, located as precisely as the
// format allows.
type Problem struct {
	Ref   string `json:"ref,omitempty"` // file:line of the row, if not the record's own
	Field string `json:"field,omitempty"`
	Code  string `json:"code,omitempty"`
	Msg   string `json:"message"`
	Zh    string `json:"message_zh,omitempty"` // Msg in Chinese, when there is one
}

// recordProblem is a problem of the household record, as the household
// package found it; ref and field say where it stands in the roll.
func recordProblem(e *household.Error, ref, field string) Problem {
	return Problem{Ref: ref, Field: field, Code: string(e.Code), Msg: e.Msg, Zh: e.Zh}
}

// String renders "ref: CODE field: message", as the reports list problems.
func (p Problem) String() string { return p.In("en") }

// In renders the problem as String does, with the message in lang: in
// Chinese unless lang is "en" or the problem has no Chinese message.
func (p Problem) In(lang string) string {
	s := p.Msg
	if lang != "en" && p.Zh != "" {
		s = p.Zh
	}
	if p.Field != "" {
		s = p.Field + ": " + s
	}
	if p.Code != "" {
		s = p.Code + " " + s
	}
	if p.Ref != "" {
		s = p.Ref + ": " + s
	}
	return s
}

// Reader delivers a roll's records in order. Next returns io.EOF after the
// last one; any other error stops the audit (the input cannot be read).
type Reader interface {
	Next() (*Record, error)
	// Progress reports how far the reader is, in bytes (or rows) of a
	// known total; total is 0 when unknown.
	Progress() (done, total int64)
	Close() error
}

// Counts is what a reader read beyond records: rows of the member and
// payment tables (CSV, Excel).
type Counts struct {
	MemberRows  int `json:"member_rows,omitempty"`
	PaymentRows int `json:"payment_rows,omitempty"`
	// IgnoredColumns are the columns left unread at the auditor's request
	// (IgnoreColumns, entitle audit --ignore-columns).
	IgnoredColumns []IgnoredColumn `json:"ignored_columns,omitempty"`
	// Encodings are the CSV files read as GB18030 rather than UTF-8
	// (Encoding; entitle audit --encoding).
	Encodings []FileEncoding `json:"encodings,omitempty"`
}

// IgnoredColumn is a column of a CSV or Excel roll left unread.
type IgnoredColumn struct {
	Table  string `json:"table"`  // the file, or the workbook and sheet
	Line   int    `json:"line"`   // the header's line (row)
	Column int    `json:"column"` // from 1
	Header string `json:"header"`
}

// String gives the column as file:line:column and its header:
// "households.csv:1:5 性别".
func (c IgnoredColumn) String() string {
	return fmt.Sprintf("%s:%d:%d %s", c.Table, c.Line, c.Column, c.Header)
}

// checkPayments checks the payments of a decoded entry against its
// household and the pack's benefits, and writes each benefit given by its
// Chinese name as its code (benefit reads either).
func checkPayments(e *Entry, benefit func(name string) (code string, member, ok bool)) []Problem {
	var out []Problem
	members := map[string]bool{}
	for _, m := range e.Household.Members {
		members[m.ID] = true
	}
	for i, p := range e.Payments {
		at := "payments[" + strconv.Itoa(i) + "]"
		code, isMember, ok := benefit(p.Benefit)
		if ok {
			e.Payments[i].Benefit, p.Benefit = code, code
		}
		switch {
		case p.Benefit == "":
			out = append(out, Problem{Field: at + ".benefit", Code: "A101", Msg: "benefit code missing", Zh: "缺少待遇代码"})
			continue
		case !ok:
			out = append(out, Problem{Field: at + ".benefit", Code: "A101", Msg: fmt.Sprintf("unknown benefit code %q: give a benefit's code or its Chinese name, as `entitle rules` lists them", p.Benefit),
				Zh: fmt.Sprintf("未知的待遇代码 %q：应填 `entitle rules` 列出的待遇代码或待遇名称", p.Benefit)})
			continue
		}
		switch {
		case isMember && p.Member == "":
			out = append(out, Problem{Field: at + ".member", Code: "A102", Msg: fmt.Sprintf("%s is paid to a member: say which", p.Benefit),
				Zh: fmt.Sprintf("%s 发给个人：须填写发给哪位成员", p.Benefit)})
		case p.Member != "" && !members[p.Member]:
			out = append(out, Problem{Field: at + ".member", Code: "A102", Msg: fmt.Sprintf("no member %q in household %s", p.Member, e.Household.ID),
				Zh: fmt.Sprintf("户 %[2]s 中没有成员 %[1]q", p.Member, e.Household.ID)})
		}
		if p.Start.IsZero() {
			out = append(out, Problem{Field: at + ".start", Code: "A103", Msg: "start month missing", Zh: "缺少起始月份"})
		}
		if p.End != nil && !p.Start.IsZero() && p.End.Before(p.Start.Time) {
			out = append(out, Problem{Field: at + ".end", Code: "A103", Msg: fmt.Sprintf("ends (%s) before it starts (%s)", p.End, p.Start),
				Zh: fmt.Sprintf("截止月份（%s）早于起始月份（%s）", p.End, p.Start)})
		}
		switch {
		case p.Monthly == nil:
			out = append(out, Problem{Field: at + ".monthly", Code: "A104", Msg: "monthly amount missing", Zh: "缺少月发放金额"})
		case *p.Monthly < 0:
			out = append(out, Problem{Field: at + ".monthly", Code: "A104", Msg: "a negative amount", Zh: "金额为负数"})
		}
	}
	return out
}
