// Command load runs concurrent clients against the HTTP API on loopback for
// a bounded time and prints throughput, latency percentiles, errors, and the
// server's memory and goroutines before and after (a leak shows as
// goroutines that stay). It is a measurement, not a test.
//
//	cd bench && go run ./load                 # 64 clients, 10 s
//	cd bench && go run ./load -c 64 -d 30s
//	cd bench && go run ./load -cpuprofile /tmp/load.prof   # where the CPU goes
//	cd bench && go run ./load -memprofile /tmp/load.mem    # what is allocated
//	cd bench && go run ./load -static   # the floor: a fixed answer, no evaluation
//	cd bench && go run ./load -client net   # Go's net/http client instead of the light one
//	cd bench && go run ./load -rate 8000    # open loop: 8,000 requests/s in all, spread over the clients
//	cd bench && go run ./load -addr 127.0.0.1:8080   # a running `entitle serve`, from this second process
//	cd bench && go run ./load -log          # with the decision log entitle serve keeps by default
//
// By default each client is a light HTTP/1.1 client on one keep-alive
// connection (as wrk or hey would be): the clients share the two cores with
// the server, and net/http's client costs as much CPU per request as a
// small answer does, so it would measure the clients more than the server.
//
// By default the clients run a closed loop: each sends its next request as
// soon as the last is answered, so the server is always saturated and the
// mean latency is the clients divided by the throughput, whatever the
// server does. With -rate the load is open: requests are due on a fixed
// schedule, and each latency counts from when its request was due, not
// when it was sent, so a stalled server cannot hide its stalls by slowing
// the clients down (the correction wrk2 makes for "coordinated omission").
//
// Latency is shown twice. The first figure runs until the client has read
// the answer. The second runs until the answer's last byte reached the
// client's socket, by the kernel's receive timestamp (SO_TIMESTAMPNS, read
// on Linux by the light client): the difference is the time the client's
// goroutine waited for a core after its answer had arrived. The clients
// share the two cores and the Go scheduler with the server, so under a
// saturating load that wait is a large part of the first figure.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"sync"
	"time"

	"entitle/engine"
	"entitle/engine/audit"
	"entitle/engine/audit/rollgen"
	"entitle/engine/httpapi"
)

func main() {
	clients := flag.Int("c", 64, "concurrent clients")
	dur := flag.Duration("d", 10*time.Second, "how long to run")
	n := flag.Int("households", 500, "distinct generated households to send")
	query := flag.String("query", "as_of=2025-06-30", "query of each POST /v1/evaluate (e.g. add &lean=true)")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the run (server and clients) to this file")
	memprofile := flag.String("memprofile", "", "write a profile of what the run allocated (server and clients) to this file")
	clientKind := flag.String("client", "raw", "raw: a light HTTP/1.1 client per connection; net: Go's net/http client")
	rate := flag.Float64("rate", 0, "open loop: requests per second in all, spread evenly over the clients (0: closed loop, each client sends as soon as it is answered)")
	addr := flag.String("addr", "", "load a server already running at this host:port (entitle serve) instead of one in this process; its memory and goroutines are then not measured")
	logOn := flag.Bool("log", false, "keep a decision log, as entitle serve does by default (in a temporary file, removed afterwards)")
	static := flag.Bool("static", false, "serve one pre-encoded result of the same query instead of evaluating: the floor the HTTP stack and the clients set on this machine")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "load:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	if *clientKind != "raw" && *clientKind != "net" {
		fmt.Fprintf(os.Stderr, "load: -client %q: give raw or net\n", *clientKind)
		os.Exit(2)
	}
	if *memprofile != "" {
		runtime.MemProfileRate = 4096
	}
	if *rate < 0 {
		fmt.Fprintln(os.Stderr, "load: -rate must not be negative")
		os.Exit(2)
	}
	if *addr != "" && (*static || *cpuprofile != "" || *memprofile != "") {
		fmt.Fprintln(os.Stderr, "load: -static, -cpuprofile and -memprofile are for a server in this process, not with -addr")
		os.Exit(2)
	}
	cfg := config{clients: *clients, dur: *dur, households: *n, query: *query, static: *static, raw: *clientKind == "raw", rate: *rate, addr: *addr, log: *logOn}
	if err := run(cfg); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
	if *memprofile != "" {
		f, err := os.Create(*memprofile)
		if err == nil {
			err = pprof.Lookup("allocs").WriteTo(f, 0)
			f.Close()
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "load:", err)
			os.Exit(1)
		}
	}
}

func memMB() (float64, int) {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.HeapAlloc) / (1 << 20), runtime.NumGoroutine()
}

// config is one run's settings (the flags).
type config struct {
	clients    int
	dur        time.Duration
	households int
	query      string
	static     bool    // a fixed answer instead of evaluating
	raw        bool    // the light client, not net/http's
	rate       float64 // open loop at this many requests/s; 0: closed loop
	addr       string  // a server already running; "": one in this process
	log        bool    // the in-process server keeps a decision log
}

func run(cfg config) error {
	clients, dur, n, query, raw, rate := cfg.clients, cfg.dur, cfg.households, cfg.query, cfg.raw, cfg.rate
	eng, err := engine.LoadEmbedded()
	if err != nil {
		return err
	}
	// As `entitle serve` runs by default (--memory-limit 256).
	if os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(256 << 20)
		debug.SetGCPercent(-1)
	}
	asOf := time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)
	var bodies [][]byte
	_, err = rollgen.Generate(eng, rollgen.Config{Households: n, Seed: 7, AsOf: asOf, Plant: map[audit.Class]int{}}, func(e *audit.Entry) error {
		b, err := json.Marshal(e.Household)
		bodies = append(bodies, b)
		return err
	})
	if err != nil {
		return err
	}
	path := "/v1/evaluate?" + query
	addr := cfg.addr
	var srv *inProcess
	if addr == "" {
		if srv, err = serve(eng, path, bodies[0], cfg.static, cfg.log); err != nil {
			return err
		}
		addr = srv.addr
	}
	url := "http://" + addr + path
	var heapBefore float64
	var gBefore int
	if srv != nil {
		heapBefore, gBefore = memMB()
	}

	transport := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}
	client := &http.Client{Transport: transport, Timeout: 10 * time.Second}
	var primer net.Conn
	if raw {
		// The kernel starts stamping received data a moment after the
		// first socket asks for it: ask, and wait that moment, before the
		// clients start, so that their first answers are stamped too.
		if c, err := net.Dial("tcp", addr); err == nil {
			if _, err := newStampConn(c); err == nil {
				time.Sleep(50 * time.Millisecond)
			}
			primer = c
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), dur)
	defer cancel()
	var mu sync.Mutex
	var lat, sockLat []time.Duration
	errs := 0
	var wg sync.WaitGroup
	start := time.Now()
	// due gives, in open loop, when a client's k-th request is due: the
	// clients take turns, rate/clients requests a second each.
	due := func(c, k int) time.Time { return time.Time{} }
	if rate > 0 {
		due = func(c, k int) time.Time {
			return start.Add(time.Duration((float64(k*clients+c) / rate) * float64(time.Second)))
		}
	}
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			var mine, mineSock []time.Duration
			bad := 0
			if raw {
				mine, mineSock, bad = rawClient(ctx, addr, path, bodies, c, clients, func(k int) time.Time { return due(c, k) })
			}
			for i, k := c, 0; !raw && ctx.Err() == nil; i, k = i+clients, k+1 {
				t0 := wait(ctx, due(c, k))
				if ctx.Err() != nil {
					break
				}
				resp, err := client.Post(url, "application/json", bytes.NewReader(bodies[i%len(bodies)]))
				if err != nil {
					if ctx.Err() == nil {
						bad++
					}
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 && resp.StatusCode != 422 {
					bad++
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			lat = append(lat, mine...)
			sockLat = append(sockLat, mineSock...)
			errs += bad
			mu.Unlock()
		}(c)
	}
	wg.Wait()
	elapsed := time.Since(start)
	if primer != nil {
		primer.Close()
	}
	transport.CloseIdleConnections()

	slices.Sort(lat)
	slices.Sort(sockLat)
	pctOf := func(lat []time.Duration, p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[int(p*float64(len(lat)-1))].Round(time.Microsecond)
	}
	pct := func(p float64) time.Duration { return pctOf(lat, p) }
	mode := "closed loop"
	if rate > 0 {
		mode = fmt.Sprintf("open loop, %.0f requests/s offered, latency counted from when each was due", rate)
	}
	fmt.Printf("clients %d (%s), duration %s, %d requests, %d errors\n", clients, mode, elapsed.Round(time.Millisecond), len(lat), errs)
	fmt.Printf("throughput %.0f requests/s\n", float64(len(lat))/elapsed.Seconds())
	fmt.Printf("latency p50 %s, p99 %s, max %s (until the client has read the answer)\n", pct(0.50), pct(0.99), pct(1))
	switch {
	case !raw:
		// net/http's client does not read receive timestamps.
	case len(sockLat) != len(lat):
		fmt.Printf("latency at the client's socket: not measured (%d of %d answers without a usable receive timestamp)\n", len(lat)-len(sockLat), len(lat))
	case len(lat) > 0:
		fmt.Printf("latency at the client's socket p50 %s, p99 %s, max %s (until the answer's last byte reached it: the kernel's receive timestamp)\n",
			pctOf(sockLat, 0.50), pctOf(sockLat, 0.99), pctOf(sockLat, 1))
	}
	if srv == nil {
		fmt.Printf("server at %s, not in this process: its memory and goroutines are not measured here\n", addr)
		return nil
	}
	serverLat, logged, err := srv.stop()
	if err != nil {
		return err
	}
	heapAfter, gAfter := memMB()
	slices.Sort(serverLat)
	if n := len(serverLat); n > 0 {
		fmt.Printf("server time per request (headers read to answer written) p50 %s, p99 %s\n",
			serverLat[n/2].Round(time.Microsecond), serverLat[int(0.99*float64(n-1))].Round(time.Microsecond))
	}
	if cfg.log {
		fmt.Printf("decision log: %d records, %.1f MB\n", logged.records, float64(logged.bytes)/(1<<20))
	}
	fmt.Printf("server heap %.1f MB before, %.1f MB after; goroutines %d before, %d after\n", heapBefore, heapAfter, gBefore, gAfter)
	if gAfter > gBefore+2 {
		return fmt.Errorf("goroutines did not return to their count before the load (%d → %d)", gBefore, gAfter)
	}
	return nil
}

// inProcess is the HTTP API served in this process, on loopback.
type inProcess struct {
	addr string
	srv  *http.Server
	mu   sync.Mutex
	lat  []time.Duration // the server's own time for each request
	// log is the decision log, if kept, in the temporary directory logDir.
	log    *httpapi.DecisionLog
	logDir string
}

// logged is what the decision log holds after a run.
type logged struct {
	records int
	bytes   int64
}

// serve starts the API on a loopback port; with static, every request is
// answered with the answer the first body gets; with log, the server keeps
// a decision log as entitle serve does by default.
func serve(eng *engine.Engine, path string, first []byte, static, log bool) (*inProcess, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &inProcess{addr: ln.Addr().String()}
	var opts httpapi.Options
	if log {
		if s.logDir, err = os.MkdirTemp("", "load-decisions-"); err != nil {
			return nil, err
		}
		if s.log, err = httpapi.OpenDecisionLog(filepath.Join(s.logDir, "decisions.jsonl"), false); err != nil {
			return nil, err
		}
		opts.Log = s.log
	}
	var handler http.Handler = httpapi.New(eng, opts)
	if static {
		// One real answer, sent to every request after reading its body.
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, path, bytes.NewReader(first)))
		answer := rec.Body.Bytes()
		fmt.Printf("static: every request gets the same %d-byte answer\n", len(answer))
		handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body)
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", strconv.Itoa(len(answer)))
			w.Write(answer)
		})
	}
	s.srv = &http.Server{ReadHeaderTimeout: 5 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The server's own time: from its headers read to the answer written.
		t0 := time.Now()
		handler.ServeHTTP(w, r)
		d := time.Since(t0)
		s.mu.Lock()
		s.lat = append(s.lat, d)
		s.mu.Unlock()
	})}
	go s.srv.Serve(ln)
	return s, nil
}

// stop shuts the server down gracefully and returns its times.
func (s *inProcess) stop() ([]time.Duration, logged, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s.srv.Shutdown(ctx)
	time.Sleep(200 * time.Millisecond)
	s.mu.Lock()
	defer s.mu.Unlock()
	var l logged
	if s.log != nil {
		defer os.RemoveAll(s.logDir)
		if err := s.log.Close(); err != nil {
			return nil, l, err
		}
		data, err := os.ReadFile(filepath.Join(s.logDir, "decisions.jsonl"))
		if err != nil {
			return nil, l, err
		}
		l = logged{records: bytes.Count(data, []byte("\n")), bytes: int64(len(data))}
	}
	return s.lat, l, nil
}

// rawClient sends POST requests on one keep-alive connection until ctx is
// done, reading each answer's status line, headers and body (by its
// Content-Length), and returns the latencies and the count of failures
// (a status other than 200 or 422, or a broken connection).
func rawClient(ctx context.Context, addr, path string, bodies [][]byte, first, step int, due func(k int) time.Time) (lat, sock []time.Duration, bad int) {
	var conn net.Conn
	var br *bufio.Reader
	var stamps *stampConn
	defer func() {
		if conn != nil {
			conn.Close()
		}
	}()
	var req []byte
	for i, k := first, 0; ctx.Err() == nil; i, k = i+step, k+1 {
		if conn == nil {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				bad++
				time.Sleep(10 * time.Millisecond)
				continue
			}
			conn, br = c, bufio.NewReaderSize(c, 64<<10)
			if stamps, err = newStampConn(c); err == nil {
				br = bufio.NewReaderSize(stamps, 64<<10)
			}
		}
		body := bodies[i%len(bodies)]
		req = append(req[:0], "POST "+path+" HTTP/1.1\r\nHost: "+addr+"\r\nContent-Type: application/json\r\nContent-Length: "...)
		req = strconv.AppendInt(req, int64(len(body)), 10)
		req = append(append(req, "\r\n\r\n"...), body...)
		t0 := wait(ctx, due(k))
		if ctx.Err() != nil {
			break
		}
		if stamps != nil {
			stamps.last = time.Time{} // only this answer's data stamps it
		}
		status, keep, err := roundTrip(conn, br, req)
		if err != nil {
			if ctx.Err() == nil {
				bad++
			}
			conn.Close()
			conn = nil
			continue
		}
		if status != 200 && status != 422 {
			bad++
		}
		lat = append(lat, time.Since(t0))
		// The answer reached the socket after the request was sent and
		// before it was read; a timestamp outside that is not one to use.
		// The kernel stamps by the wall clock, so this compares on it
		// (Round(0) drops the monotonic reading).
		if stamps != nil {
			sent := t0.Round(0)
			if d := stamps.last.Sub(sent); d > 0 && d <= time.Now().Round(0).Sub(sent) {
				sock = append(sock, d)
			}
		}
		if !keep {
			conn.Close()
			conn = nil
		}
	}
	return lat, sock, bad
}

// wait sleeps until the request is due and returns the time its latency
// counts from: when it was due in open loop (a zero due), now in closed
// loop.
func wait(ctx context.Context, due time.Time) time.Time {
	if due.IsZero() {
		return time.Now()
	}
	if d := time.Until(due); d > 0 {
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
		}
	}
	return due
}

// roundTrip writes one request and reads its answer: the status code and
// whether the connection may be reused.
func roundTrip(conn net.Conn, br *bufio.Reader, req []byte) (status int, keep bool, err error) {
	if _, err := conn.Write(req); err != nil {
		return 0, false, err
	}
	line, err := br.ReadSlice('\n')
	if err != nil {
		return 0, false, err
	}
	// HTTP/1.1 200 OK
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.1 ")) {
		return 0, false, fmt.Errorf("bad status line %q", line)
	}
	if status, err = strconv.Atoi(string(line[9:12])); err != nil {
		return 0, false, fmt.Errorf("bad status line %q", line)
	}
	length, keep := -1, true
	for {
		line, err := br.ReadSlice('\n')
		if err != nil {
			return 0, false, err
		}
		h := bytes.TrimRight(line, "\r\n")
		if len(h) == 0 {
			break
		}
		name, value, _ := bytes.Cut(h, []byte(":"))
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			if length, err = strconv.Atoi(string(value)); err != nil {
				return 0, false, fmt.Errorf("bad Content-Length %q", value)
			}
		case bytes.EqualFold(name, []byte("Connection")) && bytes.EqualFold(value, []byte("close")):
			keep = false
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			return 0, false, fmt.Errorf("the server sent a %s body; this client reads Content-Length only", value)
		}
	}
	if length < 0 {
		return 0, false, fmt.Errorf("no Content-Length in the answer")
	}
	if _, err := br.Discard(length); err != nil {
		return 0, false, err
	}
	return status, keep, nil
}
