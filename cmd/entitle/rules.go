package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"entitle/engine/facts"
	"entitle/engine/rulepack"
)

func init() {
	register(verb{name: "rules", summary: "list benefits and rules with their citations (--jurisdiction CODE)", run: runRules})
}

// ruleOut is the JSON form of a rule for `entitle rules --format json`.
type ruleOut struct {
	ID           string              `json:"id"`
	Benefit      string              `json:"benefit"`
	Jurisdiction string              `json:"jurisdiction"`
	Modality     rulepack.Modality   `json:"modality"`
	Effect       rulepack.Effect     `json:"effect"`
	Scope        string              `json:"scope"`
	Effective    rulepack.Window     `json:"effective"`
	PlanPeriod   *rulepack.Window    `json:"plan_period,omitempty"`
	Extends      string              `json:"extends,omitempty"`
	Overrides    []string            `json:"overrides,omitempty"`
	Conditions   []conditionOut      `json:"conditions"`
	Amount       string              `json:"amount,omitempty"`
	Citations    []rulepack.Citation `json:"citations"`
	Remarks      *rulepack.Text      `json:"remarks,omitempty"`
	Notes        string              `json:"notes,omitempty"`
	File         string              `json:"file"`
	Line         int                 `json:"line"`
}

type conditionOut struct {
	ID    string        `json:"id"`
	Label rulepack.Text `json:"label"`
	Expr  string        `json:"expr"`
	From  string        `json:"from_rule"`
}

func ruleJSON(r *rulepack.Rule) ruleOut {
	o := ruleOut{ID: r.ID, Benefit: r.Benefit, Jurisdiction: r.Jurisdiction, Modality: r.Modality, Effect: r.Effect,
		Scope: r.Scope.String(), Effective: r.Effective, PlanPeriod: r.PlanPeriod, Extends: r.Extends, Overrides: r.Overrides,
		Citations: r.AllCitations, Remarks: r.Remarks, Notes: r.Notes, File: r.File, Line: r.Line, Conditions: []conditionOut{}}
	for _, c := range r.AllConditions {
		o.Conditions = append(o.Conditions, conditionOut{ID: c.ID, Label: c.Label, Expr: strings.Join(strings.Fields(c.Expr.Src), " "), From: c.Rule})
	}
	if r.Amount != nil {
		o.Amount = strings.Join(strings.Fields(r.Amount.Expr.Src), " ")
	}
	return o
}

func runRules(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("rules", flag.ContinueOnError)
	flags.SetOutput(stderr)
	rulesDir := flags.String("rules", "", "rule pack directory (default: the pack built into entitle)")
	jur := flags.String("jurisdiction", "", "only rules that apply in this GB/T 2260 code (national and local)")
	benefit := flags.String("benefit", "", "only rules for this benefit code")
	lang := flags.String("lang", "zh", "language: zh or en")
	format := flags.String("format", "text", "output format: text or json")
	flags.Usage = func() {
		fmt.Fprintln(stderr, "Usage: entitle rules [flags]\n\nLists the benefits and the rules behind them, with their citations.\n\nFlags:")
		flags.PrintDefaults()
	}
	if err := flags.Parse(args); err != nil || flags.NArg() > 0 {
		if err == nil {
			flags.Usage()
		}
		return exitUsage
	}
	eng, ok := loadEngine(*rulesDir, stderr)
	if !ok {
		return exitRuleErr
	}
	p := eng.Pack()
	if *jur != "" && !p.HasJurisdiction(*jur) {
		fmt.Fprintf(stderr, "entitle rules: jurisdiction %q is not in the pack (known: %s)\n", *jur, knownJurisdictions(p))
		return exitUsage
	}
	if *benefit != "" {
		if _, ok := p.Benefit(*benefit); !ok {
			fmt.Fprintf(stderr, "entitle rules: unknown benefit code %q\n", *benefit)
			return exitUsage
		}
	}
	selected := func(b *rulepack.Benefit) []*rulepack.Rule {
		if *benefit != "" && b.Code != *benefit {
			return nil
		}
		if *jur != "" {
			return p.RulesFor(*jur, b.Code)
		}
		var out []*rulepack.Rule
		for _, r := range p.Rules {
			if r.Benefit == b.Code {
				out = append(out, r)
			}
		}
		return out
	}
	if *format == "json" {
		type benefitOut struct {
			Code  string        `json:"code"`
			Name  rulepack.Text `json:"name"`
			Scope string        `json:"scope"`
			Rules []ruleOut     `json:"rules"`
		}
		var out []benefitOut
		for _, b := range p.Benefits {
			rs := selected(b)
			if len(rs) == 0 {
				continue
			}
			bo := benefitOut{Code: b.Code, Name: b.Name, Scope: b.Scope.String()}
			for _, r := range rs {
				bo.Rules = append(bo.Rules, ruleJSON(r))
			}
			out = append(out, bo)
		}
		writeJSON(stdout, map[string]any{"pack": p.Meta, "benefits": out})
		return exitOK
	}
	en := *lang == "en"
	mod := map[rulepack.Modality]string{rulepack.Shall: "应当给予", rulepack.May: "可以给予", rulepack.Planned: "规划目标"}
	if en {
		mod = map[rulepack.Modality]string{rulepack.Shall: "shall", rulepack.May: "may", rulepack.Planned: "planned"}
	}
	scope := map[facts.Scope]string{facts.Household: "全户", facts.Member: "成员"}
	if en {
		scope = map[facts.Scope]string{facts.Household: "household", facts.Member: "member"}
	}
	fmt.Fprintf(stdout, "%s %s（%s）\n", p.Meta.ID, p.Meta.Version, p.Meta.Hash)
	for _, b := range p.Benefits {
		rs := selected(b)
		if len(rs) == 0 {
			continue
		}
		fmt.Fprintf(stdout, "\n■ %s %s（%s）\n", b.Name.In(*lang), b.Code, scope[b.Scope])
		for _, r := range rs {
			kind := mod[r.Modality]
			if r.Effect != rulepack.Grant {
				kind = string(r.Effect)
			}
			dates := ""
			if r.Effective.From != nil {
				dates = " " + r.Effective.From.Format("2006-01-02") + "起"
				if en {
					dates = " from " + r.Effective.From.Format("2006-01-02")
				}
			}
			rel := ""
			if r.Extends != "" {
				rel = " extends " + r.Extends
			}
			if len(r.Overrides) > 0 {
				rel += " overrides " + strings.Join(r.Overrides, ", ")
			}
			fmt.Fprintf(stdout, "  %s  [%s]%s%s\n", r.ID, kind, dates, rel)
			for _, c := range r.AllConditions {
				fmt.Fprintf(stdout, "    · %s  (%s)\n", c.Label.In(*lang), strings.Join(strings.Fields(c.Expr.Src), " "))
			}
			for _, c := range r.Citations {
				doc, _ := p.Document(c.Doc)
				title := c.Doc
				if doc != nil {
					title = doc.Title
				}
				prov := ""
				if c.Provenance == "secondary" {
					prov = " [secondary]"
				}
				fmt.Fprintf(stdout, "    《%s》%s%s\n      “%s”\n", title, c.Section, prov, c.Quote)
			}
		}
	}
	return exitOK
}

func knownJurisdictions(p *rulepack.Pack) string {
	var codes []string
	for _, j := range p.Jurisdictions {
		codes = append(codes, j.Code+" "+j.Name.Zh)
	}
	return strings.Join(codes, ", ")
}
