package rulepack

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"cel.dev/cel-go/cel"
	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/cost"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/parser"
	"go.yaml.in/yaml/v3"

	"entitle/engine/facts"
)

// Expr is a compiled CEL expression of a rule pack. Its programs are safe for
// concurrent use.
type Expr struct {
	Src  string `json:"src"`
	File string `json:"file"`
	Line int    `json:"line"`
	// Vars lists the variables the expression reads, sorted.
	Vars []string `json:"vars"`
	// Out is the expression's result type.
	Out *cel.Type `json:"-"`
	// CostMax is the estimated worst-case cost.
	CostMax uint64 `json:"cost_max"`
	// Fast evaluates with every variable known; Partial treats unknown
	// variables as CEL unknowns; Tracked records every subexpression's value
	// for explanations.
	Fast, Partial, Tracked cel.Program `json:"-"`
	// Cmp describes the root comparison, if the expression is one.
	Cmp *Comparison `json:"-"`
	// AST is the checked expression, for evaluators that compile it further.
	AST *cel.Ast `json:"-"`
	// Index numbers the pack's expressions from 1, in the order compiled,
	// so an evaluator can keep what it knows of each in a slice
	// (Pack.ExprCount long). 0: not compiled by a pack.
	Index int `json:"-"`
}

// Comparison is a condition of the form lhs OP rhs.
type Comparison struct {
	Op       string // <, <=, >, >=, ==, !=, in
	LHS, RHS Operand
}

// Operand is one side of a comparison.
type Operand struct {
	ID   int64  // expression id, to read its value from tracked state
	Src  string // the operand's source text
	Unit string // "money" for amounts of fen; else a fact's unit or ""
}

var comparisonOps = map[string]string{
	operators.Less: "<", operators.LessEquals: "<=", operators.Greater: ">", operators.GreaterEquals: ">=",
	operators.Equals: "==", operators.NotEquals: "!=", operators.In: "in",
}

// exprLoc says where an expression stands in a YAML file.
type exprLoc struct {
	file  string
	node  *yaml.Node // the scalar holding the expression
	lines []string   // the file's lines, for snippets and block indentation
}

// position maps a CEL location (1-based line, 0-based column within the
// expression) to a 1-based line and column in the file.
func (l exprLoc) position(celLine, celCol int) (int, int) {
	n := l.node
	if n == nil {
		return 0, 0
	}
	if celLine < 1 {
		celLine = 1
	}
	switch {
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		line := n.Line + celLine
		indent := 0
		if line-1 < len(l.lines) {
			s := l.lines[line-1]
			indent = len(s) - len(strings.TrimLeft(s, " "))
		}
		return line, indent + celCol + 1
	case n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0:
		if celLine == 1 {
			return n.Line, n.Column + 1 + celCol
		}
		return n.Line + celLine - 1, celCol + 1
	default:
		if celLine == 1 {
			return n.Line, n.Column + celCol
		}
		return n.Line + celLine - 1, celCol + 1
	}
}

func (l exprLoc) snippetAt(line, col int) string {
	if line < 1 || line > len(l.lines) {
		return ""
	}
	return snippet(l.lines[line-1], col)
}

// want is the result type an expression must have.
type want int

const (
	wantBool want = iota
	wantAmount
	wantTimestamp
	wantInt
)

func (w want) String() string {
	return [...]string{"bool", "int or double (fen)", "timestamp (a date)", "int"}[w]
}

// compiler compiles the expressions of one pack.
type compiler struct {
	env     *cel.Env
	budget  uint64
	limit   uint64
	enums   map[string][]string // variable -> allowed string values
	units   map[string]string   // variable -> unit ("money", …)
	benefit map[string]facts.Scope
	diags   *Diagnostics
	count   int // expressions compiled
}

func newEnv(params []*ParamDecl, defs []*DefDecl, benefits []*Benefit) (*cel.Env, error) {
	var opts []cel.EnvOption
	for _, f := range facts.All() {
		opts = append(opts, cel.Variable(f.Name, factType(f.Kind)))
	}
	for _, p := range params {
		opts = append(opts, cel.Variable("params."+p.Name, paramType(p.Type)))
	}
	for _, d := range defs {
		opts = append(opts, cel.Variable("def."+d.Name, cel.BoolType))
	}
	for _, b := range benefits {
		opts = append(opts, cel.Variable("benefit."+b.Code, cel.BoolType))
	}
	opts = append(opts, cel.Variable("as_of", cel.TimestampType))
	return cel.NewEnv(opts...)
}

func factType(k facts.Kind) *cel.Type {
	switch k {
	case facts.Bool:
		return cel.BoolType
	case facts.Int, facts.Money:
		return cel.IntType
	case facts.String:
		return cel.StringType
	case facts.Date:
		return cel.TimestampType
	case facts.Rate:
		return cel.DoubleType
	case facts.StringList:
		return cel.ListType(cel.StringType)
	}
	return cel.DynType
}

func paramType(t ParamType) *cel.Type {
	switch t {
	case ParamMoney, ParamInt:
		return cel.IntType
	case ParamRate:
		return cel.DoubleType
	case ParamBool:
		return cel.BoolType
	}
	return cel.DynType
}

// VarScope says whether a variable belongs to the household or a member.
// Parameters, definitions of household scope, as_of and household benefits
// are household variables.
func (c *compiler) varScope(name string) facts.Scope {
	switch {
	case strings.HasPrefix(name, "member."):
		return facts.Member
	case strings.HasPrefix(name, "benefit."):
		return c.benefit[strings.TrimPrefix(name, "benefit.")]
	}
	return facts.Household
}

// compile parses, type-checks and plans one expression. It records
// diagnostics and returns nil when the expression cannot be used.
func (c *compiler) compile(src string, loc exprLoc, scope facts.Scope, w want, what string, defScope map[string]facts.Scope) *Expr {
	report := func(code Code, line, col int, msg string) {
		*c.diags = append(*c.diags, Diagnostic{File: loc.file, Line: line, Column: col, Code: code, Severity: Error,
			Msg: msg, Snippet: loc.snippetAt(line, col)})
	}
	line0, col0 := loc.position(1, 0)
	if strings.TrimSpace(src) == "" {
		report(CodeCEL, line0, col0, what+" is empty")
		return nil
	}
	a, iss := c.env.Compile(src)
	if iss != nil && iss.Err() != nil {
		for _, e := range iss.Errors() {
			l, col := loc.position(e.Location.Line(), e.Location.Column())
			report(CodeCEL, l, col, fmt.Sprintf("%s: %s", what, e.Message))
		}
		return nil
	}
	native := a.NativeRep()
	vars := referencedVars(native, native.Expr())

	// Scope: a household expression cannot read member facts.
	for _, v := range vars {
		vs := c.varScope(v)
		if strings.HasPrefix(v, "def.") {
			vs = defScope[strings.TrimPrefix(v, "def.")]
		}
		if scope == facts.Household && vs == facts.Member {
			report(CodeScope, line0, col0, fmt.Sprintf("%s reads %s, a member variable, but applies to the whole household", what, v))
			return nil
		}
	}

	out := a.OutputType()
	ok := false
	switch w {
	case wantBool:
		ok = out.IsExactType(cel.BoolType)
	case wantAmount:
		ok = out.IsExactType(cel.IntType) || out.IsExactType(cel.DoubleType)
	case wantTimestamp:
		ok = out.IsExactType(cel.TimestampType)
	case wantInt:
		ok = out.IsExactType(cel.IntType)
	}
	if !ok {
		report(CodeType, line0, col0, fmt.Sprintf("%s must be %s, but it is %s", what, w, out))
		return nil
	}

	est, err := c.env.EstimateCost(a, sizeEstimator{})
	if err != nil {
		report(CodeCost, line0, col0, fmt.Sprintf("%s: cost cannot be estimated: %v", what, err))
		return nil
	}
	if est.Max > c.budget {
		bound := fmt.Sprintf("%d", est.Max)
		if est.Max == ^uint64(0) {
			bound = "unbounded"
		}
		report(CodeCost, line0, col0, fmt.Sprintf("%s: estimated cost %s is over the budget of %d", what, bound, c.budget))
		return nil
	}

	for _, msg := range c.enumProblems(native) {
		report(CodeEnum, line0, col0, fmt.Sprintf("%s: %s", what, msg))
	}

	c.count++
	e := &Expr{Src: src, File: loc.file, Line: line0, Vars: vars, Out: out, CostMax: est.Max, AST: a, Index: c.count}
	// The fast program carries no cost tracker: its worst-case cost was just
	// estimated within the budget, which is below the runtime limit, for
	// inputs of the sizes validation admits (sizeEstimator). The partial and
	// explanation programs, which run on incomplete records, keep the limit.
	limit := cel.CostLimit(c.limit)
	if e.Fast, err = c.env.Program(a, cel.EvalOptions(cel.OptOptimize)); err == nil {
		if e.Partial, err = c.env.Program(a, cel.EvalOptions(cel.OptPartialEval), limit); err == nil {
			e.Tracked, err = c.env.Program(a, cel.EvalOptions(cel.OptTrackState, cel.OptPartialEval), limit)
		}
	}
	if err != nil {
		report(CodeCEL, line0, col0, fmt.Sprintf("%s: %v", what, err))
		return nil
	}
	e.Cmp = c.comparison(native)
	return e
}

// ReferencedVars lists, sorted, the variables a checked expression reads
// (as Expr.Vars does for the pack's own).
func ReferencedVars(a *cel.Ast) []string {
	native := a.NativeRep()
	return referencedVars(native, native.Expr())
}

// referencedVars lists the variables an expression (or subexpression) reads.
func referencedVars(a *celast.AST, root celast.Expr) []string {
	refs := a.ReferenceMap()
	seen := map[string]bool{}
	celast.PreOrderVisit(root, celast.NewExprVisitor(func(e celast.Expr) {
		if r, ok := refs[e.ID()]; ok && r.Name != "" && len(r.OverloadIDs) == 0 && r.Value == nil {
			seen[r.Name] = true
		}
	}))
	out := make([]string, 0, len(seen))
	for v := range seen {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}

// comparison recognises a root of the form lhs OP rhs.
func (c *compiler) comparison(a *celast.AST) *Comparison {
	root := a.Expr()
	if root.Kind() != celast.CallKind {
		return nil
	}
	call := root.AsCall()
	op, ok := comparisonOps[call.FunctionName()]
	if !ok || len(call.Args()) != 2 {
		return nil
	}
	operand := func(e celast.Expr) Operand {
		src, err := parser.Unparse(e, a.SourceInfo())
		if err != nil {
			src = ""
		}
		unit := ""
		for _, v := range referencedVars(a, e) {
			if u := c.units[v]; u == "money" {
				unit = "money"
				break
			} else if unit == "" {
				unit = u
			}
		}
		return Operand{ID: e.ID(), Src: src, Unit: unit}
	}
	return &Comparison{Op: op, LHS: operand(call.Args()[0]), RHS: operand(call.Args()[1])}
}

// enumProblems finds string literals compared with a string fact that are not
// among the fact's values: member.category == 'mentall'.
func (c *compiler) enumProblems(a *celast.AST) []string {
	refs := a.ReferenceMap()
	varOf := func(e celast.Expr) string {
		if r, ok := refs[e.ID()]; ok && r.Name != "" && r.Value == nil && len(r.OverloadIDs) == 0 {
			return r.Name
		}
		return ""
	}
	literals := func(e celast.Expr) []string {
		var out []string
		switch e.Kind() {
		case celast.LiteralKind:
			if s, ok := e.AsLiteral().(types.String); ok {
				out = append(out, string(s))
			}
		case celast.ListKind:
			for _, el := range e.AsList().Elements() {
				if el.Kind() == celast.LiteralKind {
					if s, ok := el.AsLiteral().(types.String); ok {
						out = append(out, string(s))
					}
				}
			}
		}
		return out
	}
	var problems []string
	celast.PreOrderVisit(a.Expr(), celast.NewExprVisitor(func(e celast.Expr) {
		if e.Kind() != celast.CallKind {
			return
		}
		call := e.AsCall()
		switch call.FunctionName() {
		case operators.Equals, operators.NotEquals, operators.In:
		default:
			return
		}
		args := call.Args()
		if len(args) != 2 {
			return
		}
		for i := 0; i < 2; i++ {
			v := varOf(args[i])
			allowed, ok := c.enums[v]
			if !ok {
				continue
			}
			for _, lit := range literals(args[1-i]) {
				if !slices.Contains(allowed, lit) {
					problems = append(problems, fmt.Sprintf("%q is not a value of %s (values: %s)", lit, v, strings.Join(nonEmpty(allowed), ", ")))
				}
			}
		}
	}))
	return problems
}

func nonEmpty(list []string) []string {
	var out []string
	for _, s := range list {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// sizeEstimator bounds the sizes of string and list variables so that
// expressions over them get a finite cost estimate.
type sizeEstimator struct{}

func (sizeEstimator) EstimateSize(n cost.AstNode) *cost.SizeEstimate {
	if p := n.Path(); len(p) == 1 {
		if f, ok := facts.Lookup(p[0]); ok {
			switch f.Kind {
			case facts.String:
				return &cost.SizeEstimate{Min: 0, Max: 32}
			case facts.StringList:
				return &cost.SizeEstimate{Min: 0, Max: uint64(len(f.Enum))}
			}
		}
	}
	return nil
}

func (sizeEstimator) EstimateCallCost(function, overloadID string, target *cost.AstNode, args []cost.AstNode) *cost.CallEstimate {
	return nil
}
