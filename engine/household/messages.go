package household

import (
	"errors"
	"fmt"
	"strings"

	"entitle/engine/money"
)

// Every problem found in a record has its message in English (Error.Msg)
// and in Chinese (Error.Zh), for the caseworker who reads the Chinese. The
// helpers here keep the two together from where a problem is found to the
// Error that reports it.

// zhError is an error whose message is given in Chinese too.
type zhError struct{ en, zh string }

func (e *zhError) Error() string { return e.en }

// Zh returns the message in Chinese.
func (e *zhError) Zh() string { return e.zh }

// Errorf formats an error in English and in Chinese, with the same
// arguments (use %[n]v where the two orders differ). Its Error is the
// English; ZhMessage finds the Chinese.
func Errorf(en, zh string, args ...any) error {
	return &zhError{fmt.Sprintf(en, args...), fmt.Sprintf(zh, args...)}
}

// ZhMessage returns err's message in Chinese: the one it carries, the one
// known for the money package's errors, or "" when there is none.
func ZhMessage(err error) string {
	var z interface{ Zh() string }
	switch {
	case err == nil:
		return ""
	case errors.As(err, &z):
		return z.Zh()
	case errors.Is(err, money.ErrSyntax):
		return "不是有效的金额（数字，最多两位小数，例如 812.50）"
	case errors.Is(err, money.ErrRange):
		return "金额超出可处理的范围"
	}
	return ""
}

// problem makes an Error with its message in both languages.
func problem(field string, code Code, en, zh string, args ...any) *Error {
	return &Error{Field: field, Code: code, Msg: fmt.Sprintf(en, args...), Zh: fmt.Sprintf(zh, args...)}
}

// problemOf makes an Error from err, in Chinese too when err has it.
func problemOf(field string, code Code, err error) *Error {
	return &Error{Field: field, Code: code, Msg: err.Error(), Zh: ZhMessage(err)}
}

// typeNamesZh names JSON Schema types in Chinese.
var typeNamesZh = map[string]string{
	"string": "文字", "number": "数字", "integer": "整数", "boolean": "是或否",
	"array": "列表", "object": "对象（键值）", "null": "空值",
}

// typesZh names a list of JSON Schema types in Chinese, null as "left
// empty": "列表（或留空）".
func typesZh(ts []string) string {
	out := make([]string, 0, len(ts))
	empty := false
	for _, t := range ts {
		switch z, ok := typeNamesZh[t]; {
		case t == "null" && len(ts) > 1:
			empty = true
		case ok:
			out = append(out, z)
		default:
			out = append(out, t)
		}
	}
	s := strings.Join(out, "或")
	if empty {
		s += "（或留空）"
	}
	return s
}

// WithDetail words a problem in Chinese whose detail only a library gives,
// in English (a JSON or YAML parser's, say): the Chinese lead, then the
// detail in brackets, "JSON 格式错误（invalid character…）".
func WithDetail(lead, detail string) string { return lead + "（" + detail + "）" }

// withZh gives err a Chinese message: its own when it has one, else what
// (记录无法读取, say) with the English as its detail.
func withZh(err error, what string) error {
	if ZhMessage(err) != "" {
		return err
	}
	return &zhError{err.Error(), WithDetail(what, err.Error())}
}
