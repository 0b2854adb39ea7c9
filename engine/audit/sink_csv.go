package audit

import (
	"bufio"
	"encoding/csv"
	"io"

	"entitle/engine/rulepack"
)

// tableNames looks up benefit names for tabular reports.
type tableNames struct {
	pack *rulepack.Pack
}

func (t *tableNames) benefit(code string) rulepack.Text {
	if t.pack != nil {
		if b, ok := t.pack.Benefit(code); ok {
			return b.Name
		}
	}
	return rulepack.Text{Zh: code, En: code}
}

// CSVSink writes findings to one CSV stream and the summary (with the
// reconciliation below it) to another. With lang zh (the default) headers
// are Chinese and each file starts with a byte-order mark so Excel reads it
// as UTF-8.
type CSVSink struct {
	tableNames
	lang              string
	fw, sw            *bufio.Writer
	findings, summary *csv.Writer
	started           bool
}

// NewCSVSink writes findings to findings and the summary to summary.
func NewCSVSink(pack *rulepack.Pack, findings, summary io.Writer, lang string) *CSVSink {
	s := &CSVSink{tableNames: tableNames{pack}, lang: lang, fw: bufio.NewWriter(findings), sw: bufio.NewWriter(summary)}
	s.findings, s.summary = csv.NewWriter(s.fw), csv.NewWriter(s.sw)
	return s
}

func (s *CSVSink) start() error {
	if s.started {
		return nil
	}
	s.started = true
	if s.lang != "en" {
		s.fw.WriteString("\ufeff")
		s.sw.WriteString("\ufeff")
	}
	return s.findings.Write(header(findingHeader, s.lang))
}

// Finding writes one finding row.
func (s *CSVSink) Finding(f *Finding) error {
	if err := s.start(); err != nil {
		return err
	}
	return s.findings.Write(s.findingRow(f, s.lang))
}

// Finish writes the summary, then a blank row and the reconciliation.
func (s *CSVSink) Finish(r *Report) error {
	if err := s.start(); err != nil {
		return err
	}
	s.findings.Flush()
	if err := s.findings.Error(); err != nil {
		return err
	}
	if err := s.fw.Flush(); err != nil {
		return err
	}
	s.summary.Write(header(summaryColumns(), s.lang))
	for i := range r.Summary {
		s.summary.Write(summaryRow(&r.Summary[i], s.lang))
	}
	s.summary.Write(nil)
	for _, row := range reconciliationRows(r, s.lang) {
		s.summary.Write(row)
	}
	s.summary.Flush()
	if err := s.summary.Error(); err != nil {
		return err
	}
	return s.sw.Flush()
}
