package engine

import (
	"context"
	"fmt"
	"sync"

	"entitle/engine/household"
	"entitle/engine/rulepack"
)

// Brief gives the least a roll audit needs to compare payments with
// entitlements: each determination carries its benefit, subject, status,
// modality, amount and period, all as in a full result, and nothing else (no
// rules, citations, reasons, missing facts, caveats or errors), and the
// result lists no benefits as not determined. A condition
// found false ends its rule's evaluation. Evaluate again without Brief for
// the determinations that need explaining. Brief implies Lean; with
// Explain, or while recording coverage, it has no effect (those need every
// condition).
func Brief() EvalOption { return func(c *evalConfig) { c.lean, c.brief = true, true } }

// determineBrief is determine for Brief: the same status, modality, amount
// and period, without the explanation.
func (ev *evaluator) determineBrief(b *rulepack.Benefit, subject string, rules []*rulepack.Rule, a *activation) Determination {
	d := Determination{Benefit: b.Code, BenefitName: b.Name, Subject: subject}
	pt := ev.partition(rules, a, nil)
	switch {
	case len(pt.trueDeny) > 0:
		d.Status = Ineligible
	case len(pt.trueGrant) > 0 && len(pt.openDeny) == 0:
		d.Status = Eligible
		d.Modality = pt.trueGrant[0].modality
		ev.amountAndPeriod(&d, pt.trueGrant, a)
	case len(pt.trueGrant) > 0, len(pt.openGrant) > 0:
		d.Status = Undetermined
	default:
		d.Status = Ineligible
		ev.endedPeriod(&d, pt.falseGrant, a)
	}
	d.Missing, d.Caveats, d.Errors = nil, nil, nil
	return d
}

// verifyBrief makes every evaluation without Brief also evaluate with it
// and record any difference in status, modality, amount or period (tests
// only; TestBriefMatchesFull).
var (
	verifyBrief     bool
	briefMu         sync.Mutex
	briefMismatches []string
)

func (e *Engine) checkBrief(ctx context.Context, h *household.Household, c evalConfig, full []Determination) {
	bc := evalConfig{asOf: c.asOf, only: c.only, onlyKey: c.onlyKey, lean: true, brief: true}
	res, err := e.evaluate(ctx, h, bc, nil)
	var diffs []string
	switch {
	case err != nil:
		diffs = append(diffs, fmt.Sprintf("%s: brief: %v", h.ID, err))
	case len(res.Determinations) != len(full):
		diffs = append(diffs, fmt.Sprintf("%s: brief gives %d determinations, full %d", h.ID, len(res.Determinations), len(full)))
	default:
		for i, b := range res.Determinations {
			if k, w := briefKey(b), briefKey(full[i]); k != w {
				diffs = append(diffs, fmt.Sprintf("%s: brief %s, full %s", h.ID, k, w))
			}
		}
	}
	if len(diffs) > 0 {
		briefMu.Lock()
		briefMismatches = append(briefMismatches, diffs...)
		briefMu.Unlock()
	}
}

// briefKey is what Brief promises to keep from a determination.
func briefKey(d Determination) string {
	s := fmt.Sprintf("%s/%s %s %s", d.Benefit, d.Subject, d.Status, d.Modality)
	if d.Amount != nil {
		s += fmt.Sprintf(" amount %d %s/%s example=%v", d.Amount.Fen, d.Amount.Yuan, d.Amount.Per, d.Amount.Example)
	}
	if d.Period != nil {
		s += fmt.Sprintf(" period %s..%s", d.Period.From, d.Period.To)
	}
	return s
}
