package engine

import (
	"context"
	"fmt"
	"hash/fnv"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"

	"entitle/engine/household"
	"entitle/engine/rulepack"
)

// FuzzCompiledMatchesCEL is a differential test of the closure compiler
// against cel-go: any expression that type-checks in the pack's
// environment and that the compiler takes must give, on every subject of
// the sample households (known facts, missing facts, household and
// members), what CEL's partial evaluation gives: the same value, or an
// error for an error, or an unknown naming the same input fields. With
// every variable known it must also give the value the optimised program
// the engine would otherwise run gives, where that program gives one. TestCompiledMatchesCEL covers the pack's own
// expressions; this covers the ones a rule author may write next.
//
// Each input is an expression's text and a shape: mutated text mostly
// breaks the syntax, so the shape's bytes also build an expression from the
// grammar the compiler covers (generate).
func FuzzCompiledMatchesCEL(f *testing.F) {
	eng, err := LoadEmbedded()
	if err != nil {
		f.Fatal(err)
	}
	for _, r := range eng.pack.Rules {
		r.Exprs(func(e *rulepack.Expr) { f.Add(e.Src, []byte(nil)) })
	}
	for _, src := range []string{
		"member.grade <= 2 && member.care_needed",
		"member.grade + member.care_months > 3",
		"member.grade in [1, member.care_months]",
		"member.age / 0 > 1 || member.care_needed",
		"member.age % 0 == member.grade",
		"member.age % 7 == 1",
		"(member.care_needed ? member.grade : 1) > 0",
		"int(member.care_needed ? 1.0 : 2.0) > 0",
		"-member.grade < 0 != (member.category == 'physical')",
		"double(household.dibao_standard) * params.dibao_raise_rate > 1e300 * 1e300",
		"size(member.category + 'x') == 2 && 9223372036854775807 + member.age > 0",
		"household.above_standard_since < as_of && [1, 2.0, 3u] == [1, 2, 3]",
		"0.0 / 0.0 < double(member.age)",
	} {
		f.Add(src, []byte(nil))
	}
	for _, shape := range []string{"\x06\x04\x07\x00\x03", "\x07\x0c\x04\x11\x06\x0b\x04\x02\x00\x01", "\x08\x05\x04\x09\x06\x00\x04\x13\x00\x05"} {
		f.Add("", []byte(shape))
	}

	acts := sampleSubjects(f, eng)
	names := slices.Sorted(maps.Keys(eng.slots.byName))
	f.Fuzz(func(t *testing.T, src string, shape []byte) {
		compareCompiled(t, eng, acts, src)
		if len(shape) > 0 {
			compareCompiled(t, eng, acts, generate(shape, names))
		}
	})
}

// sampleSubjects returns an activation for the household and for each
// member of the sample records: testdata/households and one with gaps.
func sampleSubjects(f *testing.F, eng *Engine) []*activation {
	records := map[string][]byte{"gaps.json": []byte(`{"id": "H", "jurisdiction": "141081", "residence": "urban",
		"members": [{"id": "M1", "relation": "head", "birth_date": "1980-05-01", "disabled": true,
		"disability": {"category": "physical"}}, {"id": "M2"}]}`)}
	files, _ := filepath.Glob("../testdata/households/*")
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		records[filepath.Base(p)] = b
	}
	var acts []*activation
	asOf := time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)
	for _, name := range slices.Sorted(maps.Keys(records)) {
		h, _, err := household.Decode(records[name], household.DecodeOptions{File: name})
		if err != nil {
			f.Fatal(err)
		}
		ev := eng.newEvaluator(context.Background(), h, asOf, evalConfig{}, nil)
		for m := -1; m < len(h.Members); m++ {
			acts = append(acts, ev.act(m))
		}
	}
	return acts
}

// compareCompiled fails t if src compiles to closures that disagree with
// its CEL programs on one of the subjects.
func compareCompiled(t *testing.T, eng *Engine, acts []*activation, src string) {
	if len(src) > 400 {
		return
	}
	ast, iss := eng.pack.Env.Compile(src)
	if iss.Err() != nil {
		return
	}
	// Fresh slots, so that the unknowns this compile registers do not pile
	// up in the engine's own over a long run.
	s := &slots{byName: eng.slots.byName, unknowns: map[*types.Unknown]*slot{}}
	fn := s.compileExpr(&rulepack.Expr{Src: src, AST: ast})
	if fn == nil {
		return // not compiled: the engine runs it on CEL
	}
	fast, err := eng.pack.Env.Program(ast, cel.EvalOptions(cel.OptOptimize))
	if err != nil {
		return
	}
	partial, err := eng.pack.Env.Program(ast, cel.EvalOptions(cel.OptPartialEval))
	if err != nil {
		t.Fatalf("%s: the fast program builds but not the partial one: %v", src, err)
	}
	vars := rulepack.ReferencedVars(ast)
	for i, shared := range acts {
		a := *shared
		a.s = s
		var patterns []*cel.AttributePatternType
		for _, name := range vars {
			if sl := s.byName[name]; sl != nil && !a.known(sl) {
				patterns = append(patterns, sl.pattern)
			}
		}
		pv, err := cel.PartialVars(&a, patterns...)
		if err != nil {
			t.Fatal(err)
		}
		want, _, err := partial.Eval(pv)
		if err != nil {
			want = types.WrapErr(err)
		}
		got := fn(&a)
		if msg := differ(got, want, &a); msg != "" {
			t.Fatalf("%s on subject %d: %s", src, i, msg)
		}
		// The optimised program is held to the value only where both give
		// one: cel-go's optimiser folds some terms away past an error (x in
		// [] is false even when x is an error) and fails on others (b'a' in
		// [-0.0, 1]: "hash of unhashable type types.Bytes").
		if len(patterns) == 0 && !types.IsError(want) {
			want, _, err := fast.Eval(&a)
			if err != nil || types.IsError(want) {
				continue
			}
			if msg := differ(got, want, &a); msg != "" {
				t.Fatalf("%s on subject %d, every fact known: %s (optimised program)", src, i, msg)
			}
		}
	}
}

// differ says how a compiled result differs from CEL's, or "" if it does not.
func differ(got, want ref.Val, a *activation) string {
	gu, gok := got.(*types.Unknown)
	wu, wok := want.(*types.Unknown)
	if gok || wok {
		if !gok || !wok {
			return fmt.Sprintf("compiled %s, CEL %s", show(got), show(want))
		}
		if gm, wm := missingOf(gu, a), missingOf(wu, a); !slices.Equal(gm, wm) {
			return fmt.Sprintf("missing fields: compiled %v, CEL %v", gm, wm)
		}
		return ""
	}
	if !sameVal(got, want) {
		return fmt.Sprintf("compiled %s, CEL %s", show(got), show(want))
	}
	return ""
}

func show(v ref.Val) string {
	if e, ok := v.(*types.Err); ok {
		return "error " + e.String()
	}
	return fmt.Sprintf("%s %v", v.Type().TypeName(), v.Value())
}

// generate builds an expression from the bytes of shape: literals of each
// type (edge values among them), the pack's variables (timestamps among
// them), and the operators, conversions, lists and conditionals the closure
// compiler covers. Many are ill-typed; the checker turns those away.
func generate(shape []byte, names []string) string {
	// Once the bytes run out, a generator seeded by them goes on, so that a
	// short shape still gives a varied expression.
	h := fnv.New64a()
	h.Write(shape)
	state := h.Sum64()
	next := func() int {
		if len(shape) > 0 {
			b := shape[0]
			shape = shape[1:]
			return int(b)
		}
		state = state*6364136223846793005 + 1442695040888963407
		return int(state >> 33)
	}
	literals := []string{"0", "1", "2", "-1", "7", "9223372036854775807", "-9223372036854775808",
		"0.0", "1.5", "-0.0", "1e308", "0u", "3u", "18446744073709551615u",
		"''", "'physical'", "'x'", "true", "false", "null", "b'a'"}
	binary := []string{"+", "-", "*", "/", "%", "<", "<=", ">", ">=", "==", "!=", "&&", "||", "in"}
	var expr func(depth int) string
	expr = func(depth int) string {
		k := next()
		if depth >= 3 {
			k %= 2 // a leaf
		}
		switch k % 9 {
		case 0:
			return literals[next()%len(literals)]
		case 1:
			return names[next()%len(names)]
		case 2:
			return []string{"!", "-"}[next()%2] + "(" + expr(depth+1) + ")"
		case 3, 4:
			op := binary[next()%len(binary)]
			return "(" + expr(depth+1) + " " + op + " " + expr(depth+1) + ")"
		case 5:
			return "(" + expr(depth+1) + " ? " + expr(depth+1) + " : " + expr(depth+1) + ")"
		case 6:
			n := next() % 4
			elems := make([]string, n)
			for i := range elems {
				elems[i] = expr(depth + 1)
			}
			return "[" + strings.Join(elems, ", ") + "]"
		case 7:
			return []string{"int", "double", "size"}[next()%3] + "(" + expr(depth+1) + ")"
		default:
			return names[next()%len(names)]
		}
	}
	return expr(0)
}
