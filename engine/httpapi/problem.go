package httpapi

import (
	"net/http"

	"entitle/engine"
	"entitle/engine/household"
	"entitle/engine/rulepack"
)

// Problem is an error response (RFC 9457, application/problem+json) with a
// stable code; docs/errors has a page for each.
type Problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail,omitempty"`
	// TitleZh and DetailZh are Title and Detail in Chinese.
	TitleZh  string `json:"title_zh"`
	DetailZh string `json:"detail_zh,omitempty"`
	Code     string `json:"code"`
	// Errors are the problems of a household record, each with its field,
	// line and column.
	Errors []FieldError `json:"errors,omitempty"`
}

// FieldError is one problem of a record.
type FieldError struct {
	Code    string `json:"code"`
	Field   string `json:"field,omitempty"`
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	Message string `json:"message"` // in English, with the value given
	// MessageZh is Message in Chinese.
	MessageZh string `json:"message_zh,omitempty"`
	// Summary is the code's one-line description in Chinese and English.
	Summary rulepack.Text `json:"summary"`
	// Label names the field in words ("第 1 位成员：残疾等级"), when it is
	// one of the record's.
	Label *rulepack.Text `json:"label,omitempty"`
}

// Codes are the server's problem codes, with their titles in English and
// Chinese (as their pages under docs/errors give them).
var Codes = []struct{ Code, Title, Zh string }{
	{"S400", "Bad request", "请求参数有误"},
	{"S401", "Unauthorized", "未授权"},
	{"S404", "Not found", "未找到"},
	{"S405", "Method not allowed", "请求方法不允许"},
	{"S408", "Evaluation deadline exceeded", "认定超时"},
	{"S413", "Request body too large", "请求体过大"},
	{"S415", "Unsupported media type", "不支持的内容类型"},
	{"S422", "Invalid household record", "家庭记录无效"},
	{"S500", "Internal error", "内部错误"},
}

// newProblem makes a problem of a code, with its detail in English and
// Chinese.
func newProblem(status int, code, detail, detailZh string) *Problem {
	p := &Problem{Type: "urn:entitle:problem:" + code, Title: code, TitleZh: code, Status: status, Detail: detail, DetailZh: detailZh, Code: code}
	for _, c := range Codes {
		if c.Code == code {
			p.Title, p.TitleZh = c.Title, c.Zh
		}
	}
	return p
}

// recordProblem turns household errors into a 422 problem.
func recordProblem(es household.Errors) *Problem {
	p := newProblem(http.StatusUnprocessableEntity, "S422", "the household record has problems; see errors", "家庭记录有问题，见 errors")
	for _, e := range es {
		fe := FieldError{Code: string(e.Code), Field: e.Field, Line: e.Line, Column: e.Column, Message: e.Msg, MessageZh: e.Zh}
		fe.Summary, fe.Label = engine.Describe(e.Code, e.Field)
		p.Errors = append(p.Errors, fe)
	}
	return p
}

func writeProblem(w http.ResponseWriter, p *Problem) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	send(w, p.Status, "application/problem+json", p)
}
