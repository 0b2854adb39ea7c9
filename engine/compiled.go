package engine

import (
	"fmt"
	"sync"

	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/overloads"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"

	"entitle/engine/rulepack"
)

// A rule's expressions are checked CEL. When every variable an expression
// reads is known, the engine runs it as a tree of Go closures compiled from
// the checked AST: variables are read from their slots by index, and
// operators call the same CEL value methods the interpreter calls, so the
// result is the same, without the interpreter's per-call set-up. An
// expression using anything else runs on the CEL program as before.
// TestCompiledMatchesCEL checks both agree on every expression of the pack.

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

// compiledFn evaluates an expression whose variables are all known.
type compiledFn func(a *activation) ref.Val

// compileExpr compiles e, or returns nil when it uses something the
// compiler does not cover.
func (s *slots) compileExpr(e *rulepack.Expr) compiledFn {
	if e == nil || e.AST == nil {
		return nil
	}
	native := e.AST.NativeRep()
	c := &closureCompiler{s: s, refs: native.ReferenceMap()}
	fn, err := c.compile(native.Expr())
	if err != nil {
		return nil
	}
	return fn
}

// sameVal compares two results, errors by being errors.
func sameVal(a, b ref.Val) bool {
	if types.IsError(a) || types.IsError(b) {
		return types.IsError(a) && types.IsError(b)
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
		return func(a *activation) ref.Val { return a.value(sl).V }, nil
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
			for i, f := range elems {
				vals[i] = f(a)
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
			return func(a *activation) ref.Val {
				if b, ok := x(a).(types.Bool); ok {
					return !b
				}
				return types.NewErr("no such overload: !_")
			}, nil
		case operators.Negate:
			return func(a *activation) ref.Val {
				if n, ok := x(a).(traits.Negater); ok {
					return n.Negate()
				}
				return types.NewErr("no such overload: -_")
			}, nil
		case overloads.TypeConvertDouble:
			return func(a *activation) ref.Val { return x(a).ConvertToType(types.DoubleType) }, nil
		case overloads.TypeConvertInt:
			return func(a *activation) ref.Val { return x(a).ConvertToType(types.IntType) }, nil
		case overloads.Size:
			return func(a *activation) ref.Val {
				if s, ok := x(a).(traits.Sizer); ok {
					return s.Size()
				}
				return types.NewErr("no such overload: size")
			}, nil
		}
	case 2:
		l, r := args[0], args[1]
		switch fn {
		case operators.LogicalAnd:
			return func(a *activation) ref.Val {
				lv := l(a)
				if b, ok := lv.(types.Bool); ok && !bool(b) {
					return types.False
				}
				rv := r(a)
				if b, ok := rv.(types.Bool); ok && !bool(b) {
					return types.False
				}
				if lb, ok := lv.(types.Bool); ok {
					if rb, ok := rv.(types.Bool); ok {
						return lb && rb
					}
					return rv
				}
				return lv
			}, nil
		case operators.LogicalOr:
			return func(a *activation) ref.Val {
				lv := l(a)
				if b, ok := lv.(types.Bool); ok && bool(b) {
					return types.True
				}
				rv := r(a)
				if b, ok := rv.(types.Bool); ok && bool(b) {
					return types.True
				}
				if lb, ok := lv.(types.Bool); ok {
					if rb, ok := rv.(types.Bool); ok {
						return lb || rb
					}
					return rv
				}
				return lv
			}, nil
		case operators.Equals:
			return func(a *activation) ref.Val { return l(a).Equal(r(a)) }, nil
		case operators.NotEquals:
			return func(a *activation) ref.Val {
				if b, ok := l(a).Equal(r(a)).(types.Bool); ok {
					return !b
				}
				return types.NewErr("no such overload: _!=_")
			}, nil
		case operators.Less, operators.LessEquals, operators.Greater, operators.GreaterEquals:
			test := map[string]func(int64) bool{
				operators.Less:          func(c int64) bool { return c < 0 },
				operators.LessEquals:    func(c int64) bool { return c <= 0 },
				operators.Greater:       func(c int64) bool { return c > 0 },
				operators.GreaterEquals: func(c int64) bool { return c >= 0 },
			}[fn]
			return func(a *activation) ref.Val {
				lv := l(a)
				cmp, ok := lv.(traits.Comparer)
				if !ok {
					return types.NewErr("no such overload: %s", fn)
				}
				out := cmp.Compare(r(a))
				if n, ok := out.(types.Int); ok {
					return types.Bool(test(int64(n)))
				}
				return out
			}, nil
		case operators.Add:
			return func(a *activation) ref.Val {
				if x, ok := l(a).(traits.Adder); ok {
					return x.Add(r(a))
				}
				return types.NewErr("no such overload: _+_")
			}, nil
		case operators.Subtract:
			return func(a *activation) ref.Val {
				if x, ok := l(a).(traits.Subtractor); ok {
					return x.Subtract(r(a))
				}
				return types.NewErr("no such overload: _-_")
			}, nil
		case operators.Multiply:
			return func(a *activation) ref.Val {
				if x, ok := l(a).(traits.Multiplier); ok {
					return x.Multiply(r(a))
				}
				return types.NewErr("no such overload: _*_")
			}, nil
		case operators.Divide:
			return func(a *activation) ref.Val {
				if x, ok := l(a).(traits.Divider); ok {
					return x.Divide(r(a))
				}
				return types.NewErr("no such overload: _/_")
			}, nil
		case operators.Modulo:
			return func(a *activation) ref.Val {
				if x, ok := l(a).(traits.Modder); ok {
					return x.Modulo(r(a))
				}
				return types.NewErr("no such overload: _%%_")
			}, nil
		case operators.In:
			return func(a *activation) ref.Val {
				if x, ok := r(a).(traits.Container); ok {
					return x.Contains(l(a))
				}
				return types.NewErr("no such overload: @in")
			}, nil
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
					return b
				}
			}, nil
		}
	}
	return nil, errUnsupported
}
