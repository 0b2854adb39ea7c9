// Command rollgen makes a synthetic benefit roll for testing and measuring
// `entitle audit`: households drawn with realistic categories, grades, ages,
// incomes and statuses, paid what the rule pack says is due, except for a
// known number of planted discrepancies of every class, listed with every
// finding they must cause in a manifest. The same seed gives the same roll.
//
//	go run ./cmd/rollgen -n 100000 -seed 1 -o roll.jsonl -manifest manifest.json
//	go run ./cmd/rollgen -n 1000 -format csv -o rolldir     # households.csv, members.csv, payments.csv
//	go run ./cmd/rollgen -n 1000 -format xlsx -o roll.xlsx
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"time"

	"entitle/engine"
	"entitle/engine/audit"
	"entitle/engine/audit/rollgen"
)

func main() {
	n := flag.Int("n", 10000, "households")
	seed := flag.Uint64("seed", 1, "random seed")
	asOf := flag.String("as-of", "2025-06-30", "date the roll is for (audit it with the same --as-of)")
	out := flag.String("o", "-", "output: a JSONL file (- for standard output), a directory (csv) or an .xlsx file")
	format := flag.String("format", "jsonl", "jsonl, csv or xlsx")
	manifest := flag.String("manifest", "", "write the manifest of planted findings here")
	per := flag.Int("plant-every", 2000, "plant one discrepancy of each class per this many households (0: plant none)")
	rulesDir := flag.String("rules", "", "rule pack directory (default: the embedded pack)")
	flag.Parse()
	if err := run(*n, *seed, *asOf, *out, *format, *manifest, *per, *rulesDir); err != nil {
		fmt.Fprintln(os.Stderr, "rollgen:", err)
		os.Exit(1)
	}
}

func run(n int, seed uint64, asOf, out, format, manifest string, per int, rulesDir string) error {
	day, err := time.Parse("2006-01-02", asOf)
	if err != nil {
		return fmt.Errorf("-as-of: %w", err)
	}
	var eng *engine.Engine
	if rulesDir == "" {
		eng, err = engine.LoadEmbedded()
	} else {
		eng, err = engine.LoadDir(rulesDir)
	}
	if err != nil {
		return err
	}
	if n < 0 {
		return fmt.Errorf("-n %d: the number of households cannot be negative", n)
	}
	if per < 0 {
		return fmt.Errorf("-plant-every %d: give a positive number of households, or 0 to plant nothing", per)
	}
	plants := map[audit.Class]int{}
	for _, c := range audit.Classes {
		if per > 0 {
			plants[c.Class] = max(n/per, 1)
		}
	}
	cfg := rollgen.Config{Households: n, Seed: seed, AsOf: day, Plant: plants}
	var m *rollgen.Manifest
	switch format {
	case "jsonl":
		w := os.Stdout
		if out != "-" {
			f, err := os.Create(out)
			if err != nil {
				return err
			}
			defer f.Close()
			w = f
		}
		bw := bufio.NewWriterSize(w, 1<<20)
		enc := json.NewEncoder(bw)
		enc.SetEscapeHTML(false)
		if m, err = rollgen.Generate(eng, cfg, func(e *audit.Entry) error { return enc.Encode(e) }); err != nil {
			return err
		}
		if err := bw.Flush(); err != nil {
			return err
		}
	case "csv", "xlsx":
		tw, err := rollgen.NewTableWriter(format, out)
		if err != nil {
			return err
		}
		if m, err = rollgen.Generate(eng, cfg, tw.Write); err != nil {
			tw.Abort()
			return err
		}
		if err := tw.Close(); err != nil {
			return err
		}
	default:
		return fmt.Errorf("unknown -format %q", format)
	}
	if manifest != "" {
		b, err := json.MarshalIndent(m, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(manifest, append(b, '\n'), 0o644); err != nil {
			return err
		}
	}
	fmt.Fprintf(os.Stderr, "rollgen: %d households, %d findings planted (%v)\n", n, len(m.Findings), m.Counts)
	return nil
}
