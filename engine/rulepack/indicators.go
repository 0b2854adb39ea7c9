package rulepack

import (
	"fmt"
	"strings"
	"time"

	"entitle/engine/facts"
)

// Indicator is a target a jurisdiction's plan sets, for an audit to report
// against: the coverage of a benefit among those eligible, or the share of
// disabled people for whom a fact holds (participation in insurance).
type Indicator struct {
	ID           string     `json:"id"`
	Jurisdiction string     `json:"jurisdiction"`
	Measure      string     `json:"measure"` // coverage or participation
	Benefit      string     `json:"benefit,omitempty"`
	Fact         string     `json:"fact,omitempty"`
	Name         Text       `json:"name"`
	Op           string     `json:"op"` // >= or >
	Percent      float64    `json:"percent"`
	Binding      bool       `json:"binding"`
	By           *time.Time `json:"by,omitempty"`
	Source       Citation   `json:"source"`
	Note         string     `json:"note,omitempty"`
}

// Met reports whether a rate (in percent) meets the target.
func (in *Indicator) Met(percent float64) bool {
	if in.Op == ">" {
		return percent > in.Percent
	}
	return percent >= in.Percent
}

type indicatorsSpec struct {
	Jurisdiction string `yaml:"jurisdiction"`
	Indicators   []struct {
		ID      string       `yaml:"id"`
		Measure string       `yaml:"measure"`
		Benefit string       `yaml:"benefit"`
		Fact    string       `yaml:"fact"`
		Zh      string       `yaml:"zh"`
		En      string       `yaml:"en"`
		Op      string       `yaml:"op"`
		Percent float64      `yaml:"percent"`
		Binding bool         `yaml:"binding"`
		By      string       `yaml:"by"`
		Source  citationSpec `yaml:"source"`
		Note    string       `yaml:"note"`
	} `yaml:"indicators"`
}

// Indicators returns a jurisdiction's plan indicators.
func (p *Pack) Indicators(jurisdiction string) []*Indicator { return p.indicators[jurisdiction] }

func (l *loader) loadIndicators() {
	for _, path := range l.files.indicators {
		f, s := readSpec[indicatorsSpec](l, path, "indicators")
		if s == nil {
			continue
		}
		jur := s.Jurisdiction
		if _, ok := l.p.jurByCode[jur]; !ok {
			l.diags = append(l.diags, f.diag("jurisdiction", CodeJurisdiction, Error, "unknown jurisdiction %q", jur))
			continue
		}
		seen := map[string]bool{}
		for i, x := range s.Indicators {
			at := fmt.Sprintf("indicators[%d]", i)
			if seen[x.ID] {
				l.diags = append(l.diags, f.diag(at+".id", CodeDuplicate, Error, "indicator %q is listed twice", x.ID))
				continue
			}
			seen[x.ID] = true
			in := &Indicator{ID: x.ID, Jurisdiction: jur, Measure: x.Measure, Benefit: x.Benefit, Fact: x.Fact,
				Name: Text{x.Zh, x.En}, Op: x.Op, Percent: x.Percent, Binding: x.Binding, Note: x.Note}
			var err error
			if in.By, err = parseDate(x.By); err != nil {
				l.diags = append(l.diags, f.diag(at+".by", CodeDates, Error, "%v", err))
				continue
			}
			if x.Benefit != "" {
				if _, ok := l.p.benefitByCode[x.Benefit]; !ok {
					l.diags = append(l.diags, f.diag(at+".benefit", CodeBenefit, Error, "unknown benefit code %q", x.Benefit))
					continue
				}
			}
			if x.Fact != "" {
				fact, ok := facts.Lookup(x.Fact)
				if !ok || fact.Kind != facts.Bool || !strings.HasPrefix(x.Fact, "member.") {
					l.diags = append(l.diags, f.diag(at+".fact", CodeSchema, Error, "%q is not a boolean member fact (see docs/facts.md)", x.Fact))
					continue
				}
			}
			c, ok := l.citation(f, at+".source", x.Source, jur)
			if !ok {
				continue
			}
			in.Source = c
			l.p.indicators[jur] = append(l.p.indicators[jur], in)
		}
	}
}
