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
	Code   string `json:"code"`
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

// Codes are the server's problem codes.
var Codes = []struct{ Code, Title string }{
	{"S400", "Bad request"},
	{"S401", "Unauthorized"},
	{"S404", "Not found"},
	{"S405", "Method not allowed"},
	{"S408", "Evaluation deadline exceeded"},
	{"S413", "Request body too large"},
	{"S415", "Unsupported media type"},
	{"S422", "Invalid household record"},
	{"S500", "Internal error"},
}

func title(code string) string {
	for _, c := range Codes {
		if c.Code == code {
			return c.Title
		}
	}
	return code
}

// newProblem makes a problem of a code.
func newProblem(status int, code, detail string) *Problem {
	return &Problem{Type: "urn:entitle:problem:" + code, Title: title(code), Status: status, Detail: detail, Code: code}
}

// recordProblem turns household errors into a 422 problem.
func recordProblem(es household.Errors) *Problem {
	p := newProblem(http.StatusUnprocessableEntity, "S422", "the household record has problems; see errors")
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
