package main

import (
	"context"
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"entitle/engine"
	"entitle/engine/httpapi"
)

func init() {
	register(verb{name: "serve", summaryZh: "提供 HTTP API 和经办人员网页", summary: "serve the HTTP API and the caseworker's web page", run: runServe})
}

func runServe(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("serve", flag.ContinueOnError)
	flags.SetOutput(stderr)
	addr := flags.String("addr", "127.0.0.1:8080", both("监听地址（默认只监听本机回环地址）", "listen address (loopback by default)"))
	rulesDir := flags.String("rules", "", rulesUsage)
	tokenFile := flags.String("token-file", "", both("/v1/ 下的请求须带 Authorization: Bearer TOKEN，TOKEN 从此文件读取", "require Authorization: Bearer TOKEN on /v1/, with TOKEN read from this file"))
	tlsCert := flags.String("tls-cert", "", both("以此证书（PEM）提供 HTTPS 服务……", "serve HTTPS with this certificate (PEM) ..."))
	tlsKey := flags.String("tls-key", "", both("……并用此私钥（PEM）", "... and this key (PEM)"))
	logPath := flags.String("decision-log", "decisions.jsonl", both("把每次评估追加记入此 JSONL 决定日志（留空：不记录）", "append every evaluation served to this JSONL file (empty: none)"))
	unmasked := flags.Bool("log-unmasked", false, both("决定日志中保留身份证号、残疾人证号和姓名（默认脱敏）", "keep citizen IDs, certificate numbers and names in the decision log"))
	watch := flags.Bool("watch", false, both("--rules 目录下的文件变化时重新加载规则包（SIGHUP 信号也会重新加载）", "reload the rule pack when a file under --rules changes (SIGHUP reloads too)"))
	maxBody := flags.Int64("max-body", 1<<20, both("/v1/evaluate 请求体及批量请求每行的最大字节数", "largest request body of /v1/evaluate, and line of a batch, in bytes"))
	deadline := flags.Duration("eval-timeout", 2*time.Second, both("评估一户家庭的时限，含排队等候的时间", "deadline of one household's evaluation, its wait for a turn included"))
	maxConcurrent := flags.Int("max-concurrent", 0, both("同时进行的评估数；其余按先来后到排队（0：每个 CPU 核一个）", "evaluations run at once; more wait their turn, first come first served (0: one per core)"))
	memLimit := flags.Int("memory-limit", 256, both("Go 堆内存的软上限（MiB）：堆接近上限时才回收，而不是每翻一倍就回收（0 保持运行时默认；设置 GOGC、GOMEMLIMIT 时也保持默认）", "soft limit of the Go heap in MiB: collect as the heap nears it rather than every time it doubles (0 keeps the runtime's defaults; so do GOGC and GOMEMLIMIT)"))
	setUsage(flags, stderr, `用法：entitle serve [选项]

提供 HTTP API（POST /v1/evaluate、POST /v1/evaluate/batch、GET /v1/benefits、
/v1/jurisdictions、/v1/rules、/v1/rules/{id}、/healthz、/openapi.json）和位于 / 的
经办人员网页。SIGTERM 或 SIGINT 平稳停止；SIGHUP 重新加载规则包（有错的规则包被拒绝，
旧的继续服务）；SIGUSR1 重新打开决定日志以便轮转：先改名，再发 SIGUSR1，之后的记录
写入沿用原名的新文件。`, `Usage: entitle serve [flags]

Serves the HTTP API (POST /v1/evaluate, POST /v1/evaluate/batch, GET /v1/benefits,
/v1/jurisdictions, /v1/rules, /v1/rules/{id}, /healthz, /openapi.json) and the
caseworker's web page at /. SIGTERM or SIGINT stops it gracefully; SIGHUP
reloads the rule pack (a broken pack is refused and the old one keeps serving);
SIGUSR1 reopens the decision log, for rotation: rename the file, then send
SIGUSR1, and the records that follow go to a new file under the old name.`)
	if !parseArgs(flags, args, 0, 0) {
		return exitUsage
	}
	if (*tlsCert == "") != (*tlsKey == "") {
		return misused(stderr, "serve", "--tls-cert 和 --tls-key 须同时给出", "--tls-cert and --tls-key go together")
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	defer holdHeapUnder(*memLimit)()
	// The files are summed before the pack is read, so that --watch sees
	// any change made from then on, even before its goroutine first runs.
	var loaded string
	if *watch && *rulesDir != "" {
		loaded = fingerprint(*rulesDir)
	}
	eng, ok := loadEngine(*rulesDir, stderr)
	if !ok {
		return exitRuleErr
	}
	if !perCoreOK("serve", "max-concurrent", *maxConcurrent, stderr) {
		return exitUsage
	}
	opt := httpapi.Options{MaxBody: *maxBody, Deadline: *deadline, MaxConcurrent: *maxConcurrent, Logger: logger}
	if *tokenFile != "" {
		b, err := os.ReadFile(*tokenFile)
		if err != nil {
			fmt.Fprintln(stderr, "entitle serve:", err)
			return exitUsage
		}
		opt.Token = strings.TrimSpace(string(b))
		if opt.Token == "" {
			fmt.Fprintln(stderr, "entitle serve: the token file is empty")
			return exitUsage
		}
	}
	if *logPath != "" {
		dl, err := httpapi.OpenDecisionLog(*logPath, *unmasked)
		if err != nil {
			fmt.Fprintln(stderr, "entitle serve:", err)
			return exitIO
		}
		defer dl.Close()
		opt.Log = dl
	}
	api := httpapi.New(eng, opt)
	srv := api.HTTPServer()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(stderr, "entitle serve:", err)
		return exitIO
	}
	scheme := "http"
	if *tlsCert != "" {
		scheme = "https"
	}
	logger.Info("serving", "url", scheme+"://"+ln.Addr().String()+"/", "rule_pack", eng.Pack().Meta.Hash, "decision_log", *logPath)
	fmt.Fprintf(stdout, "%s://%s/\n", scheme, ln.Addr().String())

	reload := func(why string) {
		next, err := reloadEngine(*rulesDir)
		if err != nil {
			logger.Error("reload refused; the old rule pack keeps serving", "why", why, "err", err)
			return
		}
		api.Swap(next)
		logger.Info("rule pack reloaded", "why", why, "rule_pack", next.Pack().Meta.Hash)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	usr1 := make(chan os.Signal, 1)
	if len(reopenSignals) > 0 {
		signal.Notify(usr1, reopenSignals...)
		defer signal.Stop(usr1)
	}
	go func() {
		last := loaded
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-hup:
				reload("SIGHUP")
			case <-usr1:
				if opt.Log == nil {
					logger.Info("SIGUSR1: no decision log to reopen")
					continue
				}
				if err := opt.Log.Reopen(); err != nil {
					logger.Error("decision log not reopened", "err", err)
					continue
				}
				logger.Info("decision log reopened", "decision_log", *logPath)
			case <-tick.C:
				if !*watch || *rulesDir == "" {
					continue
				}
				if fp := fingerprint(*rulesDir); fp != last {
					last = fp
					reload("files changed")
				}
			}
		}
	}()

	errc := make(chan error, 1)
	go func() {
		if *tlsCert != "" {
			errc <- srv.ServeTLS(ln, *tlsCert, *tlsKey)
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintln(stderr, "entitle serve:", err)
			return exitIO
		}
	case <-ctx.Done():
		logger.Info("shutting down; finishing requests in flight")
		shut, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := srv.Shutdown(shut); err != nil {
			logger.Error("shutdown", "err", err)
			return exitIO
		}
	}
	return exitOK
}

func reloadEngine(dir string) (*engine.Engine, error) {
	if dir == "" {
		return engine.LoadEmbedded()
	}
	return engine.LoadDir(dir)
}

// fingerprint sums the names, sizes and times of the pack's files.
func fingerprint(dir string) string {
	h := sha256.New()
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if info, err := d.Info(); err == nil {
			fmt.Fprintf(h, "%s %d %d\n", p, info.Size(), info.ModTime().UnixNano())
		}
		return nil
	})
	return fmt.Sprintf("%x", h.Sum(nil))
}
