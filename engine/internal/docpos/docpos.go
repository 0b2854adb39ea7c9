// Package docpos converts YAML and JSON documents into the generic values a
// JSON Schema validator reads, and records where each value stands in the
// source text, so that errors can name a line and column.
//
// Paths are written field.sub[2].leaf; the root is "".
package docpos

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// Pos is a 1-based line and rune column.
type Pos struct{ Line, Col int }

// Map records the position of each path.
type Map map[string]Pos

// Locate returns the position of path or of its nearest enclosing path.
func (m Map) Locate(path string) Pos {
	for p := path; ; p = Parent(p) {
		if q, ok := m[p]; ok {
			return q
		}
		if p == "" {
			return Pos{}
		}
	}
}

// Parent strips the last element of a path.
func Parent(p string) string {
	i := strings.LastIndexAny(p, ".[")
	if i < 0 {
		return ""
	}
	return p[:i]
}

// Join appends a key to a path.
func Join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// Index appends an array index to a path.
func Index(path string, i int) string { return fmt.Sprintf("%s[%d]", path, i) }

// Token is one element of a path: an object key, or an array index (Index >= 0).
type Token struct {
	Key   string
	Index int
}

// Split breaks a path such as members[1].income.wages into tokens.
func Split(path string) []Token {
	var out []Token
	for _, part := range strings.Split(path, ".") {
		key, rest, _ := strings.Cut(part, "[")
		if key != "" {
			out = append(out, Token{Key: key, Index: -1})
		}
		for rest != "" {
			num, after, _ := strings.Cut(rest, "]")
			i, err := strconv.Atoi(num)
			if err != nil {
				i = 0
			}
			out = append(out, Token{Index: i})
			rest = strings.TrimPrefix(after, "[")
		}
	}
	return out
}

// TokensPath turns a JSON Schema instance location into a path.
func TokensPath(tokens []string) string {
	var b strings.Builder
	for _, t := range tokens {
		if _, err := strconv.Atoi(t); err == nil {
			fmt.Fprintf(&b, "[%s]", t)
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(t)
	}
	return b.String()
}

// Error is a problem found while converting, at a position.
type Error struct {
	Pos  Pos
	Path string
	Msg  string
}

// Error renders "line:column: message".
func (e *Error) Error() string { return fmt.Sprintf("%d:%d: %s", e.Pos.Line, e.Pos.Col, e.Msg) }

// MaxNodes bounds how many values a document may expand to (YAML aliases can
// multiply a small text).
const MaxNodes = 200000

// FromYAML converts a YAML node (a document or any node in it) into generic
// values: map[string]any, []any, json.Number, string, bool and nil. Dates and
// other scalars stay strings.
func FromYAML(n *yaml.Node) (any, Map, error) {
	c := &yamlConverter{at: Map{}}
	v, err := c.value(n, "")
	return v, c.at, err
}

type yamlConverter struct {
	at    Map
	nodes int
}

func (c *yamlConverter) value(n *yaml.Node, path string) (any, error) {
	c.nodes++
	if c.nodes > MaxNodes {
		return nil, &Error{Pos{n.Line, n.Column}, path, "document expands to too many values (aliases?)"}
	}
	if _, seen := c.at[path]; !seen {
		c.at[path] = Pos{n.Line, n.Column}
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return c.value(n.Content[0], path)
	case yaml.AliasNode:
		return c.value(n.Alias, path)
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode {
				return nil, &Error{Pos{k.Line, k.Column}, path, "a mapping key must be a plain name"}
			}
			if k.Value == "<<" {
				return nil, &Error{Pos{k.Line, k.Column}, path, "YAML merge keys (<<) are not supported"}
			}
			child := Join(path, k.Value)
			if _, dup := m[k.Value]; dup {
				return nil, &Error{Pos{k.Line, k.Column}, child, fmt.Sprintf("key %q appears twice", k.Value)}
			}
			c.at[child] = Pos{k.Line, k.Column}
			val, err := c.value(v, child)
			if err != nil {
				return nil, err
			}
			c.at[child] = Pos{k.Line, k.Column}
			m[k.Value] = val
		}
		return m, nil
	case yaml.SequenceNode:
		s := make([]any, 0, len(n.Content))
		for i, item := range n.Content {
			val, err := c.value(item, Index(path, i))
			if err != nil {
				return nil, err
			}
			s = append(s, val)
		}
		return s, nil
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return nil, nil
		case "!!bool":
			return strings.EqualFold(n.Value, "true"), nil
		case "!!int", "!!float":
			if IsJSONNumber(n.Value) {
				return json.Number(n.Value), nil
			}
			return n.Value, nil
		default:
			return n.Value, nil
		}
	}
	return nil, &Error{Pos{n.Line, n.Column}, path, "unsupported YAML node"}
}

// IsJSONNumber reports whether s is a JSON number literal.
func IsJSONNumber(s string) bool {
	var v any
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return false
	}
	_, ok := v.(json.Number)
	return ok && !dec.More()
}

// LineIndex maps byte offsets of a text to lines and rune columns.
type LineIndex struct {
	data   []byte
	starts []int
}

// NewLineIndex indexes the line starts of data.
func NewLineIndex(data []byte) *LineIndex {
	li := &LineIndex{data: data, starts: []int{0}}
	for i, b := range data {
		if b == '\n' {
			li.starts = append(li.starts, i+1)
		}
	}
	return li
}

// At returns the position of a byte offset.
func (li *LineIndex) At(off int) Pos {
	if off > len(li.data) {
		off = len(li.data)
	}
	if off < 0 {
		off = 0
	}
	lo, hi := 0, len(li.starts)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if li.starts[mid] <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return Pos{lo + 1, utf8.RuneCount(li.data[li.starts[lo]:off]) + 1}
}

// JSONError is a JSON syntax problem at a position.
type JSONError struct {
	Pos Pos
	Msg string
	Zh  string // Msg in Chinese, when there is one
}

// Error is the message, without the position (the caller places it).
func (e *JSONError) Error() string { return e.Msg }

// FromJSON checks the syntax of one JSON value and records the position of
// every value in it (for object members, the position of the key).
func FromJSON(data []byte) (Map, error) {
	li := NewLineIndex(data)
	at := Map{}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	valueStart := func() int {
		off := int(dec.InputOffset())
		for off < len(data) && strings.IndexByte(" \t\r\n:,", data[off]) >= 0 {
			off++
		}
		return off
	}
	var walk func(path string, depth int) error
	walk = func(path string, depth int) error {
		if depth > 64 {
			return errors.New("nested too deeply")
		}
		start := valueStart()
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		at[path] = li.At(start)
		d, ok := tok.(json.Delim)
		if !ok {
			return nil
		}
		switch d {
		case '{':
			seen := map[string]bool{}
			for dec.More() {
				kstart := valueStart()
				k, err := dec.Token()
				if err != nil {
					return err
				}
				key, _ := k.(string)
				if seen[key] {
					// encoding/json would keep the last silently; which one
					// was meant cannot be known (YAML refuses it too).
					return &JSONError{Pos: li.At(kstart), Msg: fmt.Sprintf("key %q appears twice in one object", key),
						Zh: fmt.Sprintf("键 %q 在同一个对象中出现了两次", key)}
				}
				seen[key] = true
				child := Join(path, key)
				if err := walk(child, depth+1); err != nil {
					return err
				}
				at[child] = li.At(kstart)
			}
		case '[':
			for i := 0; dec.More(); i++ {
				if err := walk(Index(path, i), depth+1); err != nil {
					return err
				}
			}
		}
		_, err = dec.Token()
		return err
	}
	err := walk("", 0)
	if err == nil {
		if _, err2 := dec.Token(); err2 != io.EOF {
			if err2 == nil {
				err = errors.New("more than one JSON value")
			} else {
				err = err2
			}
		}
	}
	var je *JSONError
	if errors.As(err, &je) {
		return nil, je
	}
	if err != nil {
		pos := li.At(int(dec.InputOffset()))
		var se *json.SyntaxError
		if errors.As(err, &se) {
			pos = li.At(int(se.Offset))
		}
		msg := strings.TrimPrefix(err.Error(), "json: ")
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			pos, msg = li.At(len(data)), "unexpected end of input"
		}
		return nil, &JSONError{Pos: pos, Msg: msg}
	}
	return at, nil
}

// YAMLErrorLine extracts the line number from a yaml.v3 error message.
func YAMLErrorLine(err error) int {
	msg := err.Error()
	line := 0
	if i := strings.Index(msg, "line "); i >= 0 {
		fmt.Sscanf(msg[i+5:], "%d", &line)
	}
	return line
}

// Lines splits a YAML file into its lines as YAML counts them: a line ends
// at "\r\n", "\n", a lone "\r", or NEL, LS or PS (U+0085, U+2028, U+2029,
// line breaks in YAML 1.1, which go.yaml.in/yaml/v3 reads), so that the
// line a node or an error is on is Lines(data)[line-1].
func Lines(data []byte) []string {
	return strings.Split(lineBreaks.Replace(string(data)), "\n")
}

var lineBreaks = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\u0085", "\n", "\u2028", "\n", "\u2029", "\n")
