package rulepack

import (
	"fmt"
	"strings"
)

// CoverageFile is the pack file that accounts for every benefit ×
// jurisdiction cell without rules.
const CoverageFile = "coverage.yaml"

// Cell statuses of the coverage matrix.
const (
	CellEncoded = "encoded" // the jurisdiction has rules for the benefit
	CellAbsent  = "absent"  // the document has no such clause
	CellExcused = "excused" // the document has a clause that was left out
)

// Excuse is a clause deliberately left out, with its reason (in English,
// and in Chinese when the pack gives it).
type Excuse struct {
	Citation
	Reason   string `json:"reason"`
	ReasonZh string `json:"reason_zh,omitempty"`
}

// ReasonIn gives the reason in lang ("zh" or "en"), in English when the
// pack has no Chinese one.
func (x Excuse) ReasonIn(lang string) string { return Text{Zh: x.ReasonZh, En: x.Reason}.In(lang) }

// Cell is one benefit in one jurisdiction.
type Cell struct {
	Jurisdiction string `json:"jurisdiction"`
	// Status is encoded, absent or excused.
	Status string `json:"status"`
	// Rules are the jurisdiction's own rules for the benefit.
	Rules []string `json:"rules,omitempty"`
	// National are the national rules that apply there too.
	National []string `json:"national,omitempty"`
	// Excused are clauses of the document left out, with reasons.
	Excused []Excuse `json:"excused,omitempty"`
	// Note says why, in English, and NoteZh in Chinese when the pack gives it.
	Note   string `json:"note,omitempty"`
	NoteZh string `json:"note_zh,omitempty"`
	// InCatalogue is true when POLICY.md names a clause for this cell.
	InCatalogue bool `json:"in_catalogue,omitempty"`
}

// NoteIn gives the note in lang ("zh" or "en"), in English when the pack
// has no Chinese one.
func (c Cell) NoteIn(lang string) string { return Text{Zh: c.NoteZh, En: c.Note}.In(lang) }

// CoverageRow is one benefit across the jurisdictions.
type CoverageRow struct {
	Benefit string `json:"benefit"`
	Name    Text   `json:"name"`
	Cells   []Cell `json:"cells"`
}

type coverageSpec struct {
	Cells []struct {
		Benefit string `yaml:"benefit"`
		// Benefits lists several benefits absent from one jurisdiction's
		// document in one entry.
		Benefits     []string `yaml:"benefits"`
		Jurisdiction string   `yaml:"jurisdiction"`
		Status       string   `yaml:"status"`
		Note         string   `yaml:"note"`
		NoteZh       string   `yaml:"note_zh"`
		Doc          string   `yaml:"doc"`
		Section      string   `yaml:"section"`
		Quote        string   `yaml:"quote"`
		Reason       string   `yaml:"reason"`
		ReasonZh     string   `yaml:"reason_zh"`
	} `yaml:"cells"`
	Catalogue []struct {
		Benefit       string   `yaml:"benefit"`
		Jurisdictions []string `yaml:"jurisdictions"`
	} `yaml:"catalogue"`
}

// Coverage returns the matrix of benefits × jurisdictions, or nil when the
// pack has no coverage.yaml.
func (p *Pack) Coverage() []CoverageRow { return p.coverage }

// loadCoverage reads coverage.yaml, if present, and checks that every cell
// without local rules is accounted for and every catalogue clause is encoded
// or accounted for.
func (l *loader) loadCoverage() {
	if len(l.files.coverage) == 0 {
		return
	}
	type key struct{ benefit, jur string }
	local := map[key][]string{}
	national := map[string][]string{}
	for _, r := range l.p.Rules {
		if r.Effect != Grant {
			continue
		}
		if r.Jurisdiction == "national" {
			national[r.Benefit] = append(national[r.Benefit], r.ID)
		} else {
			k := key{r.Benefit, r.Jurisdiction}
			local[k] = append(local[k], r.ID)
		}
	}
	cells := map[key]*Cell{}
	for _, b := range l.p.Benefits {
		for _, j := range l.p.Jurisdictions {
			k := key{b.Code, j.Code}
			c := &Cell{Jurisdiction: j.Code, Rules: local[k], National: national[b.Code]}
			if len(c.Rules) > 0 {
				c.Status = CellEncoded
			}
			cells[k] = c
		}
	}
	for _, path := range l.files.coverage {
		f, s := readSpec[coverageSpec](l, path, "catalog")
		if s == nil {
			continue
		}
		for i, e := range s.Cells {
			at := fmt.Sprintf("cells[%d]", i)
			benefits := e.Benefits
			if e.Benefit != "" {
				benefits = append([]string{e.Benefit}, benefits...)
			}
			if len(benefits) == 0 {
				l.diags = append(l.diags, f.diag(at, CodeCoverage, Error, "an entry names a benefit or a list of benefits"))
				continue
			}
			if len(benefits) > 1 && e.Status != CellAbsent {
				l.diags = append(l.diags, f.diag(at, CodeCoverage, Error, "only absent entries may list several benefits: an excused clause is quoted for one benefit"))
				continue
			}
			for _, benefit := range benefits {
				k := key{benefit, e.Jurisdiction}
				c, ok := cells[k]
				if !ok {
					l.diags = append(l.diags, l.unknownCell(f, at, benefit, e.Jurisdiction))
					continue
				}
				switch e.Status {
				case CellAbsent:
					if c.Status == CellEncoded {
						l.diags = append(l.diags, f.diag(at+".status", CodeCoverage, Error, "%s in %s has rules (%s), so it cannot be absent", benefit, e.Jurisdiction, strings.Join(c.Rules, ", ")))
						continue
					}
					if c.Status != "" {
						l.diags = append(l.diags, f.diag(at, CodeDuplicate, Error, "%s in %s is listed twice", benefit, e.Jurisdiction))
						continue
					}
					c.Status, c.Note, c.NoteZh = CellAbsent, e.Note, e.NoteZh
				case CellExcused:
					cit, ok := l.citation(f, at, citationSpec{Doc: e.Doc, Section: e.Section, Quote: e.Quote}, e.Jurisdiction)
					if !ok {
						continue
					}
					if c.Status == CellAbsent {
						l.diags = append(l.diags, f.diag(at+".status", CodeCoverage, Error, "%s in %s is listed as absent and excused", benefit, e.Jurisdiction))
						continue
					}
					if c.Status == "" {
						c.Status = CellExcused
					}
					c.Excused = append(c.Excused, Excuse{Citation: cit, Reason: e.Reason, ReasonZh: e.ReasonZh})
					if e.Note != "" {
						c.Note, c.NoteZh = e.Note, e.NoteZh
					}
				}
			}
		}
		for i, e := range s.Catalogue {
			for _, j := range e.Jurisdictions {
				c, ok := cells[key{e.Benefit, j}]
				if !ok {
					l.diags = append(l.diags, l.unknownCell(f, fmt.Sprintf("catalogue[%d]", i), e.Benefit, j))
					continue
				}
				c.InCatalogue = true
			}
		}
	}
	for _, b := range l.p.Benefits {
		row := CoverageRow{Benefit: b.Code, Name: b.Name}
		for _, j := range l.p.Jurisdictions {
			c := cells[key{b.Code, j.Code}]
			if c.InCatalogue && c.Status == CellAbsent && c.Note == "" {
				l.diags = append(l.diags, Diagnostic{File: CoverageFile, Code: CodeCoverage, Severity: Error,
					Msg: fmt.Sprintf("the policy catalogue names a clause for %s in %s, but it is listed as absent without a note saying why", b.Code, j.Code)})
			}
			if c.Status == "" {
				l.diags = append(l.diags, Diagnostic{File: CoverageFile, Code: CodeCoverage, Severity: Error,
					Msg: fmt.Sprintf("%s in %s has no rules and is not accounted for: add it to cells as absent or excused", b.Code, j.Code)})
			}
			row.Cells = append(row.Cells, *c)
		}
		l.p.coverage = append(l.p.coverage, row)
	}
}

// unknownCell explains why a coverage entry names no cell of the matrix.
func (l *loader) unknownCell(f *yamlFile, at, benefit, jur string) Diagnostic {
	if _, ok := l.p.benefitByCode[benefit]; !ok {
		return f.diag(at, CodeBenefit, Error, "unknown benefit code %q (see benefits.yaml)", benefit)
	}
	return f.diag(at, CodeJurisdiction, Error, "unknown jurisdiction %q (see jurisdictions.yaml)", jur)
}
