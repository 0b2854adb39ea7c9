package engine

import (
	"fmt"
	"math"
	"sync"

	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/overloads"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"

	"entitle/engine/rulepack"
)

// A rule's expressions are checked CEL. The engine runs each as a tree of
// Go closures compiled from the checked AST: variables are read from their
// slots by index, and operators call the same CEL value methods the
// interpreter calls, so the result is the same, without the interpreter's
// per-call set-up. A variable not known reads as a CEL unknown, and
// unknowns and errors travel through operators by the interpreter's rules
// (cel-go's evalAnd, evalOr, evalEq, evalBinary, evalUnary, evalList and
// conditional attribute), so partial evaluation names the same missing
// facts. An expression using anything else runs on the CEL programs.
// TestCompiledMatchesCEL checks both agree on every expression of the pack,
// on known and unknown facts alike.

// verifyCompiled makes every compiled evaluation also run on the CEL
// program and record any difference (tests only).
var (
	verifyCompiled bool
	verifyMu       sync.Mutex
	mismatches     []string
)

func recordMismatch(e *rulepack.Expr, got, want ref.Val) {
	verifyMu.Lock()
	defer verifyMu.Unlock()
	mismatches = append(mismatches, fmt.Sprintf("%s:%d %s: compiled %v, CEL %v", e.File, e.Line, e.Src, got, want))
}

// compiledFn evaluates an expression: a CEL unknown naming the variables
// it still needs when some are not known.
type compiledFn func(a *activation) ref.Val

// compileExpr compiles e, or returns nil when it uses something the
// compiler does not cover.
func (s *slots) compileExpr(e *rulepack.Expr) compiledFn {
	if e == nil || e.AST == nil {
		return nil
	}
	return s.compileNode(e, e.AST.NativeRep().Expr())
}

// compileSub compiles the subexpression of e with the given id, or
// returns nil.
func (s *slots) compileSub(e *rulepack.Expr, id int64) compiledFn {
	if e.AST == nil {
		return nil
	}
	var sub celast.Expr
	celast.PreOrderVisit(e.AST.NativeRep().Expr(), celast.NewExprVisitor(func(x celast.Expr) {
		if x.ID() == id && sub == nil {
			sub = x
		}
	}))
	if sub == nil {
		return nil
	}
	return s.compileNode(e, sub)
}

// compileNode compiles one node of e's checked AST.
func (s *slots) compileNode(e *rulepack.Expr, node celast.Expr) compiledFn {
	c := &closureCompiler{s: s, refs: e.AST.NativeRep().ReferenceMap()}
	fn, err := c.compile(node)
	if err != nil {
		return nil
	}
	return fn
}

// sameVal compares two results, errors by being errors, NaN by being NaN
// (in lists too).
func sameVal(a, b ref.Val) bool {
	if types.IsError(a) || types.IsError(b) {
		return types.IsError(a) && types.IsError(b)
	}
	if isNaN(a) || isNaN(b) {
		return isNaN(a) && isNaN(b)
	}
	if la, ok := a.(traits.Lister); ok {
		lb, ok := b.(traits.Lister)
		if !ok || la.Size() != lb.Size() {
			return false
		}
		for i := types.Int(0); i < la.Size().(types.Int); i++ {
			if !sameVal(la.Get(i), lb.Get(i)) {
				return false
			}
		}
		return true
	}
	return a.Type() == b.Type() && a.Equal(b) == types.True
}

type closureCompiler struct {
	s    *slots
	refs map[int64]*celast.ReferenceInfo
}

var errUnsupported = fmt.Errorf("not compiled")

func (c *closureCompiler) compile(e celast.Expr) (compiledFn, error) {
	if e.Kind() == celast.SelectKind && e.AsSelect().IsTestOnly() {
		return nil, errUnsupported
	}
	if r, ok := c.refs[e.ID()]; ok && (e.Kind() == celast.IdentKind || e.Kind() == celast.SelectKind) {
		if r.Value != nil {
			v := r.Value
			return func(*activation) ref.Val { return v }, nil
		}
		sl, ok := c.s.byName[r.Name]
		if !ok {
			return nil, errUnsupported
		}
		// Unknowns never change (merging makes a new one), so the one
		// this read gives when its fact is missing is made once.
		unknown := types.NewUnknown(e.ID(), types.NewAttributeTrail(r.Name))
		c.s.unknowns[unknown] = sl
		return func(a *activation) ref.Val {
			if v := a.value(sl).V; v != nil {
				return v
			}
			return unknown
		}, nil
	}
	switch e.Kind() {
	case celast.LiteralKind:
		v := e.AsLiteral()
		return func(*activation) ref.Val { return v }, nil
	case celast.ListKind:
		var elems []compiledFn
		constant := true
		for _, x := range e.AsList().Elements() {
			f, err := c.compile(x)
			if err != nil {
				return nil, err
			}
			constant = constant && x.Kind() == celast.LiteralKind
			elems = append(elems, f)
		}
		if constant {
			vals := make([]ref.Val, len(elems))
			for i, f := range elems {
				vals[i] = f(nil)
			}
			list := types.DefaultTypeAdapter.NativeToValue(vals)
			return func(*activation) ref.Val { return list }, nil
		}
		return func(a *activation) ref.Val {
			vals := make([]ref.Val, len(elems))
			var unk *types.Unknown
			for i, f := range elems {
				vals[i] = f(a)
				switch v := vals[i].(type) {
				case *types.Err:
					return v
				case *types.Unknown:
					unk = types.MergeUnknowns(unk, v)
				}
			}
			if unk != nil {
				return unk
			}
			return types.DefaultTypeAdapter.NativeToValue(vals)
		}, nil
	case celast.CallKind:
		return c.call(e.AsCall())
	}
	return nil, errUnsupported
}

func (c *closureCompiler) call(call celast.CallExpr) (compiledFn, error) {
	if call.IsMemberFunction() {
		return nil, errUnsupported
	}
	args := make([]compiledFn, len(call.Args()))
	for i, x := range call.Args() {
		f, err := c.compile(x)
		if err != nil {
			return nil, err
		}
		args[i] = f
	}
	fn := call.FunctionName()
	switch len(args) {
	case 1:
		x := args[0]
		switch fn {
		case operators.LogicalNot:
			return unary(x, func(v ref.Val) ref.Val {
				if b, ok := v.(types.Bool); ok {
					return !b
				}
				return types.NewErr("no such overload: !_")
			}), nil
		case operators.Negate:
			return unary(x, func(v ref.Val) ref.Val {
				if n, ok := v.(traits.Negater); ok && !types.IsBool(v) {
					return n.Negate() // a bool is a Negater too, for !_, but -true has no overload
				}
				return types.NewErr("no such overload: -_")
			}), nil
		case overloads.TypeConvertDouble:
			return unary(x, func(v ref.Val) ref.Val { return v.ConvertToType(types.DoubleType) }), nil
		case overloads.TypeConvertInt:
			return unary(x, func(v ref.Val) ref.Val { return v.ConvertToType(types.IntType) }), nil
		case overloads.Size:
			return unary(x, func(v ref.Val) ref.Val {
				if s, ok := v.(traits.Sizer); ok {
					return s.Size()
				}
				return types.NewErr("no such overload: size")
			}), nil
		}
	case 2:
		l, r := args[0], args[1]
		switch fn {
		case operators.LogicalAnd:
			return logical(l, r, types.False), nil
		case operators.LogicalOr:
			return logical(l, r, types.True), nil
		case operators.Equals, operators.NotEquals:
			return equality(l, r, fn == operators.NotEquals), nil
		case operators.Less, operators.LessEquals, operators.Greater, operators.GreaterEquals:
			test := map[string]func(int64) bool{
				operators.Less:          func(c int64) bool { return c < 0 },
				operators.LessEquals:    func(c int64) bool { return c <= 0 },
				operators.Greater:       func(c int64) bool { return c > 0 },
				operators.GreaterEquals: func(c int64) bool { return c >= 0 },
			}[fn]
			return binary(l, r, func(lv, rv ref.Val) ref.Val {
				if isNaN(lv) || isNaN(rv) {
					return types.False // as cel-go's relations: NaN is not ordered, and no ordering holds
				}
				cmp, ok := lv.(traits.Comparer)
				if !ok {
					return types.NewErr("no such overload: %s", fn)
				}
				out := cmp.Compare(rv)
				if n, ok := out.(types.Int); ok {
					return types.Bool(test(int64(n)))
				}
				return out
			}), nil
		case operators.Add:
			return binary(l, r, func(lv, rv ref.Val) ref.Val {
				if x, ok := lv.(traits.Adder); ok {
					return x.Add(rv)
				}
				return types.NewErr("no such overload: _+_")
			}), nil
		case operators.Subtract:
			return binary(l, r, func(lv, rv ref.Val) ref.Val {
				if x, ok := lv.(traits.Subtractor); ok {
					return x.Subtract(rv)
				}
				return types.NewErr("no such overload: _-_")
			}), nil
		case operators.Multiply:
			return binary(l, r, func(lv, rv ref.Val) ref.Val {
				if x, ok := lv.(traits.Multiplier); ok {
					return x.Multiply(rv)
				}
				return types.NewErr("no such overload: _*_")
			}), nil
		case operators.Divide:
			return binary(l, r, func(lv, rv ref.Val) ref.Val {
				if x, ok := lv.(traits.Divider); ok {
					return x.Divide(rv)
				}
				return types.NewErr("no such overload: _/_")
			}), nil
		case operators.Modulo:
			return binary(l, r, func(lv, rv ref.Val) ref.Val {
				if x, ok := lv.(traits.Modder); ok {
					return x.Modulo(rv)
				}
				return types.NewErr("no such overload: _%%_")
			}), nil
		case operators.In:
			return binary(l, r, func(lv, rv ref.Val) ref.Val {
				if x, ok := rv.(traits.Container); ok {
					return x.Contains(lv)
				}
				return types.NewErr("no such overload: @in")
			}), nil
		}
	case 3:
		if fn == operators.Conditional {
			cond, t, f := args[0], args[1], args[2]
			return func(a *activation) ref.Val {
				switch b := cond(a).(type) {
				case types.Bool:
					if b {
						return t(a)
					}
					return f(a)
				default:
					return b // an unknown or an error
				}
			}, nil
		}
	}
	return nil, errUnsupported
}

func isNaN(v ref.Val) bool {
	d, ok := v.(types.Double)
	return ok && math.IsNaN(float64(d))
}

// unary makes a strict unary operator: an error or unknown operand is the
// result, as in the interpreter's evalUnary; op sees only values.
func unary(x compiledFn, op func(v ref.Val) ref.Val) compiledFn {
	return func(a *activation) ref.Val {
		v := x(a)
		switch v.(type) {
		case *types.Err, *types.Unknown:
			return v
		}
		return op(v)
	}
}

// binary makes a strict binary operator as the interpreter's evalBinary:
// an error on the left is the result; an unknown on the left is too,
// merged with an unknown on the right; then an error or unknown on the
// right. op sees only values.
func binary(l, r compiledFn, op func(lv, rv ref.Val) ref.Val) compiledFn {
	return func(a *activation) ref.Val {
		lv := l(a)
		switch x := lv.(type) {
		case *types.Err:
			return x
		case *types.Unknown:
			if ru, ok := r(a).(*types.Unknown); ok {
				return types.MergeUnknowns(x, ru)
			}
			return x
		}
		rv := r(a)
		switch rv.(type) {
		case *types.Err, *types.Unknown:
			return rv
		}
		return op(lv, rv)
	}
}

// equality makes == or != as the interpreter's evalEq and evalNe: an error
// on either side (left first) is the result, then the unknowns of both.
func equality(l, r compiledFn, ne bool) compiledFn {
	return func(a *activation) ref.Val {
		lv := l(a)
		if _, ok := lv.(*types.Err); ok {
			return lv
		}
		rv := r(a)
		if _, ok := rv.(*types.Err); ok {
			return rv
		}
		lu, lok := lv.(*types.Unknown)
		ru, rok := rv.(*types.Unknown)
		if lok || rok {
			return types.MergeUnknowns(lu, ru)
		}
		return types.Bool((types.Equal(lv, rv) == types.True) != ne)
	}
}

// logical makes && (settle = false) or || (settle = true) as the
// interpreter's evalAnd and evalOr: a term equal to settle decides;
// otherwise the unknowns of both terms, merged, then the first error (a
// term neither boolean nor unknown is one), then the other boolean.
func logical(l, r compiledFn, settle types.Bool) compiledFn {
	return func(a *activation) ref.Val {
		lv := l(a)
		if lv == settle {
			return settle
		}
		rv := r(a)
		if rv == settle {
			return settle
		}
		lu, lok := lv.(*types.Unknown)
		ru, rok := rv.(*types.Unknown)
		if lok || rok {
			return types.MergeUnknowns(lu, ru)
		}
		for _, v := range []ref.Val{lv, rv} {
			if _, ok := v.(types.Bool); !ok {
				if types.IsError(v) {
					return v
				}
				return types.MaybeNoSuchOverloadErr(v)
			}
		}
		return !settle
	}
}
