// Package rollgen makes synthetic benefit rolls for testing and measuring
// the audit: households with realistic categories, grades, ages, incomes
// and statuses, paid exactly what the rule pack says is due, except for a
// known number of planted discrepancies of every class, listed in a
// manifest. The same seed gives the same roll.
package rollgen

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"entitle/engine"
	"entitle/engine/audit"
	"entitle/engine/household"
	"entitle/engine/money"
	"entitle/engine/rulepack"
)

// Config says what roll to make.
type Config struct {
	Households int
	Seed       uint64
	// AsOf is the date the roll is for (payments are current that month).
	AsOf time.Time
	// Plant is how many discrepancies of each kind to plant, by the class
	// they are planted as. Nil plants DefaultPlants(Households).
	Plant map[audit.Class]int
}

// DefaultPlants plants one discrepancy of each class per 2,000 households,
// at least one.
func DefaultPlants(households int) map[audit.Class]int {
	n := max(households/2000, 1)
	out := map[audit.Class]int{}
	for _, c := range audit.Classes {
		out[c.Class] = n
	}
	return out
}

// Expected is one finding the audit of the roll must report.
type Expected struct {
	Class     audit.Class `json:"class"`
	Record    int         `json:"record"`
	Household string      `json:"household"`
	Member    string      `json:"member,omitempty"`
	Benefit   string      `json:"benefit,omitempty"`
}

// Manifest describes a generated roll and every finding planted in it.
type Manifest struct {
	Seed       uint64 `json:"seed"`
	Households int    `json:"households"`
	AsOf       string `json:"as_of"`
	RulePack   string `json:"rule_pack"`
	// CompareExampleAmounts: the amounts planted as amount_differs rest on
	// the pack's example values, so audit with this option on.
	CompareExampleAmounts bool `json:"compare_example_amounts"`
	// Planted counts the discrepancies planted, by kind.
	Planted map[audit.Class]int `json:"planted"`
	// Counts counts the findings expected, by class (a planted exclusive
	// payment is also a payment not due, and a planted duplicate is found
	// in both places).
	Counts   map[audit.Class]int `json:"counts"`
	Findings []Expected          `json:"findings"`
}

// Generate makes the roll, handing each entry to emit in order.
func Generate(eng *engine.Engine, cfg Config, emit func(*audit.Entry) error) (*Manifest, error) {
	if cfg.AsOf.IsZero() {
		return nil, fmt.Errorf("rollgen: an as-of date is required")
	}
	if cfg.Plant == nil {
		cfg.Plant = DefaultPlants(cfg.Households)
	}
	g := &gen{eng: eng, pack: eng.Pack(), cfg: cfg, asOf: cfg.AsOf, rng: rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x5eed)),
		seq: map[string]int{}}
	for _, b := range g.pack.Benefits {
		if b.Payment == "monthly" {
			g.monthly = append(g.monthly, b.Code)
		}
	}
	g.opts = []engine.EvalOption{engine.AsOf(cfg.AsOf), engine.Lean(), engine.Benefits(g.monthly...)}
	m := &Manifest{Seed: cfg.Seed, Households: cfg.Households, AsOf: cfg.AsOf.Format("2006-01-02"), RulePack: g.pack.Meta.Hash,
		CompareExampleAmounts: true, Planted: map[audit.Class]int{}, Counts: map[audit.Class]int{}, Findings: []Expected{}}
	g.man = m
	plan, err := g.plan()
	if err != nil {
		return nil, err
	}
	for i := 0; i < cfg.Households; i++ {
		e, err := g.household(i, plan[i])
		if err != nil {
			return nil, err
		}
		if err := emit(e); err != nil {
			return nil, err
		}
	}
	// Duplicates are reported after the roll: households, then persons.
	rank := func(c audit.Class) int {
		switch c {
		case audit.DuplicateHousehold:
			return 1
		case audit.DuplicatePerson:
			return 2
		}
		return 0
	}
	slices.SortStableFunc(m.Findings, func(a, b Expected) int {
		if r := cmp.Compare(rank(a.Class), rank(b.Class)); r != 0 {
			return r
		}
		return a.Record - b.Record
	})
	for _, f := range m.Findings {
		m.Counts[f.Class]++
	}
	return m, nil
}

type gen struct {
	eng     *engine.Engine
	pack    *rulepack.Pack
	cfg     Config
	asOf    time.Time
	rng     *rand.Rand
	man     *Manifest
	monthly []string
	opts    []engine.EvalOption
	seq     map[string]int // citizen ID sequence by region and birth date
	// lastClean is a person from the latest clean household, for planting a duplicate.
	lastClean     *household.Member
	lastJur       string
	lastRecord    int
	lastHousehold string
	// cleanIDs are the ids and records of the two latest clean households,
	// latest last, for planting a duplicate household id.
	cleanIDs [2]struct {
		id     string
		record int
	}
}

// plan picks which households get which plant. A plant never follows
// another: a duplicate copies an earlier clean household. The classes
// added last (duplicate household ids, benefits paid twice) are placed
// last, by a stream of their own, so that the other plants fall where they
// did before (the roll differs only in what those plant).
func (g *gen) plan() ([]audit.Class, error) {
	plan := make([]audit.Class, g.cfg.Households)
	total := 0
	for _, n := range g.cfg.Plant {
		total += n
	}
	if total*3 > g.cfg.Households {
		return nil, fmt.Errorf("rollgen: %d plants need at least %d households", total, total*3)
	}
	place := func(c audit.Class, rng *rand.Rand, from int) {
		for k := 0; k < g.cfg.Plant[c]; k++ {
			for {
				i := from + rng.IntN(g.cfg.Households-from)
				if plan[i] == "" && plan[i-1] == "" && (c != audit.DuplicateHousehold || i+1 == len(plan) || plan[i+1] == "") {
					plan[i] = c
					break
				}
			}
		}
	}
	late := []audit.Class{audit.DuplicateHousehold, audit.PaidTwice}
	for _, c := range audit.Classes {
		if !slices.Contains(late, c.Class) {
			place(c.Class, g.rng, 1)
		}
	}
	// A duplicate household id is not next to the household whose id it
	// copies: the two clean ones before it (a tabular roll cannot tell
	// apart two consecutive rows of one id, A107); nor just before another
	// plant.
	rng := rand.New(rand.NewPCG(g.cfg.Seed^0xd0b1e, g.cfg.Seed))
	for _, c := range late {
		place(c, rng, 2)
	}
	return plan, nil
}

func (g *gen) expect(class audit.Class, record int, h *household.Household, member, benefit string) {
	g.man.Findings = append(g.man.Findings, Expected{Class: class, Record: record, Household: h.ID, Member: member, Benefit: benefit})
}

// household makes household i, clean or with its plant.
func (g *gen) household(i int, plant audit.Class) (*audit.Entry, error) {
	record := i + 1
	for attempt := 0; ; attempt++ {
		if attempt > 200 {
			return nil, fmt.Errorf("rollgen: cannot plant %s in household %d", plant, record)
		}
		kind := plainHousehold
		if plant == audit.PaidPastPhaseOut {
			kind = phaseOutHousehold
		}
		h := g.makeHousehold(i, kind)
		if plant == audit.DuplicateHousehold {
			// The id of the clean household before the latest one.
			if g.cleanIDs[0].id == "" {
				return nil, fmt.Errorf("rollgen: no earlier household whose id to duplicate")
			}
			h.ID = g.cleanIDs[0].id
		}
		if plant == audit.DuplicatePerson {
			if g.lastClean == nil {
				return nil, fmt.Errorf("rollgen: no earlier person to duplicate")
			}
			// The same person (ID and birth date) also on another household.
			m := &h.Members[len(h.Members)-1]
			m.CitizenID, m.BirthDate = g.lastClean.CitizenID, g.lastClean.BirthDate
		}
		res, err := g.eng.Evaluate(context.Background(), h, g.opts...)
		if err != nil {
			return nil, fmt.Errorf("rollgen: household %d: %w", record, err)
		}
		if undetermined(res) {
			continue // a clean household must be decidable
		}
		pays := g.payments(h, res)
		e := &audit.Entry{Household: h, Payments: pays}
		ok := true
		switch plant {
		case "":
		case audit.DuplicateHousehold:
			g.expect(audit.DuplicateHousehold, record, h, "", "")
			g.man.Findings = append(g.man.Findings, Expected{Class: audit.DuplicateHousehold, Record: g.cleanIDs[0].record, Household: h.ID})
		case audit.DuplicatePerson:
			m := &h.Members[len(h.Members)-1]
			g.expect(audit.DuplicatePerson, record, h, m.ID, "")
			g.man.Findings = append(g.man.Findings, Expected{Class: audit.DuplicatePerson, Record: g.lastRecord, Household: g.lastHousehold, Member: g.lastClean.ID})
		default:
			ok = g.plantIn(plant, record, e, res)
		}
		if !ok {
			continue
		}
		if plant != "" {
			g.man.Planted[plant]++
		}
		if plant == "" {
			g.cleanIDs[0], g.cleanIDs[1] = g.cleanIDs[1], g.cleanIDs[0]
			g.cleanIDs[1].id, g.cleanIDs[1].record = h.ID, record
		}
		if plant == "" || plant == audit.DuplicateHousehold {
			// A duplicate household id is otherwise clean: its people may
			// be copied by a duplicate person after it.
			g.remember(record, h)
		}
		return e, nil
	}
}

func undetermined(res *engine.Result) bool {
	for _, d := range res.Determinations {
		if d.Status == engine.Undetermined {
			return true
		}
	}
	return false
}

// remember keeps a person with a citizen ID of a clean household.
func (g *gen) remember(record int, h *household.Household) {
	for k := range h.Members {
		if h.Members[k].CitizenID != "" {
			m := h.Members[k]
			g.lastClean, g.lastJur, g.lastRecord, g.lastHousehold = &m, h.Jurisdiction, record, h.ID
			return
		}
	}
}

// payments are what a correct roll pays: every shall entitlement, half of
// the may ones, none of the planned ones, at the amount due.
func (g *gen) payments(h *household.Household, res *engine.Result) []audit.Payment {
	var out []audit.Payment
	now := monthOf(g.asOf)
	for _, d := range res.Determinations {
		if d.Status != engine.Eligible {
			continue
		}
		switch d.Modality {
		case rulepack.Planned:
			continue
		case rulepack.May:
			if g.rng.IntN(2) == 0 {
				continue
			}
		}
		b, _ := g.pack.Benefit(d.Benefit)
		p := audit.Payment{Benefit: d.Benefit}
		if d.Subject != "household" {
			p.Member = d.Subject
		}
		amount := money.Fen(30000 + 100*g.rng.IntN(6000))
		if d.Amount != nil && d.Amount.Per == "month" {
			amount = money.Fen(d.Amount.Fen)
		}
		p.Monthly = &amount
		p.Start = household.Month{Time: now.AddDate(0, -g.rng.IntN(36), 0)}
		if d.Period != nil {
			// A phase-out is paid as the benefit it continues, until it ends.
			if b.PaidAs != "" {
				p.Benefit = b.PaidAs
			}
			end := household.Month{Time: monthOf(mustDate(d.Period.To))}
			p.End = &end
			if p.Start.After(end.Time) {
				p.Start = end
			}
		}
		out = append(out, p)
	}
	return out
}

// determination is the result's determination of a benefit for a subject, or nil.
func determination(res *engine.Result, benefit, subject string) *engine.Determination {
	d, _ := res.Determination(benefit, subject)
	return d
}

func monthOf(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC) }

func mustDate(s string) time.Time {
	t, _ := time.Parse("2006-01-02", s)
	return t
}
