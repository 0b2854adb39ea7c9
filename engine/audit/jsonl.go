package audit

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"entitle/engine/household"
	"entitle/engine/internal/lines"
)

// JSONLReader reads a roll with one entry a line:
//
//	{"household": {...a household record...}, "payments": [{"member": "M1", "benefit": "living_allowance", "monthly": "100.00", "start": "2024-01"}]}
//
// Blank lines are skipped; a line that is not a valid entry becomes an
// invalid record, never a silent gap.
type JSONLReader struct {
	name  string
	r     *bufio.Reader
	c     io.Closer
	line  int
	n     int
	done  int64
	total int64
}

// OpenJSONL opens a JSONL roll; "-" reads standard input.
func OpenJSONL(path string) (*JSONLReader, error) {
	if path == "-" {
		return NewJSONLReader("stdin", os.Stdin, 0), nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	var size int64
	if st, err := f.Stat(); err == nil {
		size = st.Size()
	}
	r := NewJSONLReader(path, f, size)
	r.c = f
	return r, nil
}

// NewJSONLReader reads a JSONL roll from r; name is used in references,
// size (0 if unknown) for progress.
func NewJSONLReader(name string, r io.Reader, size int64) *JSONLReader {
	return &JSONLReader{name: name, r: bufio.NewReaderSize(r, 1<<20), total: size}
}

// Next returns the next record.
func (j *JSONLReader) Next() (*Record, error) {
	rec, _, err := j.NextAppend(nil)
	return rec, err
}

// NextAppend returns the next record with its line appended to buf (and
// the extended buffer): a chunk of records shares one buffer, reused.
func (j *JSONLReader) NextAppend(buf []byte) (*Record, []byte, error) {
	for {
		start := len(buf)
		out, n, err := lines.ReadAppend(j.r, household.MaxRecordBytes, buf)
		j.done += int64(n)
		switch {
		case errors.Is(err, io.EOF):
			return nil, buf, io.EOF
		case errors.Is(err, lines.ErrTooLong):
		case err != nil:
			return nil, buf, fmt.Errorf("%s: %w", j.name, err)
		}
		j.line++
		trimmed := bytes.TrimSpace(out[start:])
		if j.line == 1 {
			// The byte-order mark Notepad and some exports write first.
			trimmed = bytes.TrimSpace(bytes.TrimPrefix(trimmed, []byte("\ufeff")))
		}
		if err == nil && len(trimmed) == 0 {
			continue
		}
		if j.n == 0 && err == nil {
			if err := notLines(j.name, j.line, trimmed); err != nil {
				return nil, buf, err
			}
		}
		j.n++
		rec := &Record{N: j.n, Ref: j.name + ":" + strconv.Itoa(j.line)}
		if err != nil {
			rec.Problems = []Problem{{Code: "H023", Msg: fmt.Sprintf("the line has more than the %d bytes a record may have", household.MaxRecordBytes),
				Zh: fmt.Sprintf("这一行超过了一条记录的上限 %d 字节", household.MaxRecordBytes)}}
			return rec, out, nil
		}
		rec.Line = trimmed
		return rec, out, nil
	}
}

// notLines refuses a roll whose first entry shows that it is JSON but not
// one entry a line: a JSON array, or entries spread over lines as a
// pretty-printer writes them. Each of its lines would be an invalid record.
func notLines(name string, line int, first []byte) error {
	switch {
	case first[0] == '[':
		return household.Errorf("%[1]s:%[2]d: a JSON array, not JSON Lines: write one entry a line (for example jq -c '.[]' %[1]s > roll.jsonl)",
			"%[1]s:%[2]d：这是一个 JSON 数组，不是每行一条的 JSON Lines：请改为每行一条（例如 jq -c '.[]' %[1]s > roll.jsonl）", name, line)
	case string(first) == "{":
		return household.Errorf("%[1]s:%[2]d: an entry spread over several lines (pretty-printed JSON), not JSON Lines: write one entry a line (for example jq -c . %[1]s > roll.jsonl)",
			"%[1]s:%[2]d：一条记录分成了多行（排版过的 JSON），不是每行一条的 JSON Lines：请改为每行一条（例如 jq -c . %[1]s > roll.jsonl）", name, line)
	}
	return nil
}

// Progress reports bytes read of the file's size.
func (j *JSONLReader) Progress() (done, total int64) { return j.done, j.total }

// Close closes the file.
func (j *JSONLReader) Close() error {
	if j.c != nil {
		return j.c.Close()
	}
	return nil
}

// decodeLine decodes one JSONL entry. Problems name the field (and column)
// at fault.
func decodeLine(line []byte) (*Entry, []Problem) {
	e, err := decodeEntry(line)
	if err == nil && e.Household == nil {
		return nil, []Problem{{Field: "household", Code: "H004", Msg: "the entry has no household", Zh: "这一条没有 household（户的记录）"}}
	}
	if err == nil {
		return e, nil
	}
	if e := household.NotUTF8(line); e != nil {
		return nil, []Problem{{Code: string(e.Code), Msg: fmt.Sprintf("column %d: %s", e.Column, e.Msg), Zh: fmt.Sprintf("第 %d 列：%s", e.Column, e.Zh)}}
	}
	// Explain: the household through the schema, with its field paths.
	var raw struct {
		Household json.RawMessage `json:"household"`
		Payments  json.RawMessage `json:"payments"`
	}
	if json.Unmarshal(line, &raw) != nil {
		detail := jsonError(err, line)
		return nil, []Problem{{Code: "H001", Msg: "not valid JSON: " + detail, Zh: household.WithDetail("不是有效的 JSON", detail)}}
	}
	var out []Problem
	if len(raw.Household) > 0 {
		if _, _, herr := household.Decode(raw.Household, household.DecodeOptions{Format: household.FormatJSON}); herr != nil {
			var es household.Errors
			if errors.As(herr, &es) {
				for _, x := range es {
					out = append(out, recordProblem(x, "", "household."+x.Field))
				}
			}
		}
	}
	if len(out) == 0 {
		detail := jsonError(err, line)
		out = append(out, Problem{Code: "H003", Msg: detail, Zh: household.WithDetail("值的类型或形式不对", detail)})
	}
	return nil, out
}

// salvage reads what it can of a JSONL line that does not decode: the
// household id, and how many members and payments it holds, so that the
// invalid record's finding names its household and its payments are
// counted in the reconciliation (payments in invalid records), not lost.
// A line that is not JSON at all gives nothing.
func salvage(line []byte) (id string, members, payments int) {
	var raw struct {
		Household struct {
			ID      json.RawMessage   `json:"id"`
			Members []json.RawMessage `json:"members"`
		} `json:"household"`
		Payments []json.RawMessage `json:"payments"`
	}
	// encoding/json skips a value of the wrong type and goes on, so a bad
	// field elsewhere leaves these three readable.
	if err := json.Unmarshal(line, &raw); err != nil {
		var te *json.UnmarshalTypeError
		if !errors.As(err, &te) {
			return "", 0, 0
		}
	}
	if json.Unmarshal(raw.Household.ID, &id) != nil || !utf8.ValidString(id) {
		id = ""
	}
	return id, len(raw.Household.Members), len(raw.Payments)
}

// jsonError words a decoding error with the field it concerns.
func jsonError(err error, line []byte) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("%s: wrong type (%s where %s is expected)", te.Field, te.Value, te.Type)
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("column %d: %s", se.Offset, se.Error())
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

// decodeEntry decodes a roll entry in one pass (the household by the
// household package's fast decoder).
func decodeEntry(line []byte) (*Entry, error) {
	r := household.NewJSONReader(line)
	e := &Entry{}
	err := r.Record(func(key string) error {
		var err error
		switch key {
		case "household":
			if r.Null() {
				return nil
			}
			e.Household, err = r.Household()
		case "payments":
			if r.Null() {
				return nil
			}
			e.Payments = []Payment{}
			err = r.Array(func() error {
				var p Payment
				err := r.Object(func(key string) error {
					var err error
					switch key {
					case "member":
						p.Member, err = r.String()
					case "benefit":
						p.Benefit, err = r.String()
					case "monthly":
						p.Monthly, err = r.Yuan()
					case "start":
						var m *household.Month
						if m, err = r.Month(); m != nil {
							p.Start = *m
						}
					case "end":
						p.End, err = r.Month()
					default:
						err = fmt.Errorf("unknown field payments.%s", key)
					}
					return err
				})
				e.Payments = append(e.Payments, p)
				return err
			})
		default:
			err = fmt.Errorf("unknown field %q", key)
		}
		return err
	})
	return e, err
}
