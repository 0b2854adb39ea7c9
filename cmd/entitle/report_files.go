package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"entitle/engine/audit"
	"entitle/engine/rulepack"
)

// openReport creates the report's (temporary) files and the sink writing
// them. An Excel report is encrypted with password when it is set.
func openReport(format, out, lang, password string, pack *rulepack.Pack, stdout io.Writer) (*atomicFiles, audit.Sink, error) {
	files := &atomicFiles{}
	switch format {
	case "jsonl":
		if out == "" || out == "-" {
			return files, audit.NewJSONLSink(stdout), nil
		}
		f, err := files.create(out)
		if err != nil {
			return nil, nil, err
		}
		return files, audit.NewJSONLSink(f), nil
	case "csv":
		if err := os.MkdirAll(out, 0o755); err != nil {
			return nil, nil, err
		}
		fw, err := files.create(filepath.Join(out, "findings.csv"))
		if err != nil {
			return nil, nil, err
		}
		sw, err := files.create(filepath.Join(out, "summary.csv"))
		if err != nil {
			files.abort()
			return nil, nil, err
		}
		return files, audit.NewCSVSink(pack, fw, sw, lang), nil
	case "xlsx":
		f, err := files.create(out)
		if err != nil {
			return nil, nil, err
		}
		s, err := audit.NewXLSXSink(pack, f, lang)
		if err != nil {
			files.abort()
			return nil, nil, err
		}
		s.Password = password
		files.onAbort = append(files.onAbort, s.Close)
		return files, s, nil
	}
	return nil, nil, fmt.Errorf("unknown format %q", format)
}
