package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"entitle/engine/audit"
)

// progressBar shows records, rate and ETA on a terminal, redrawn at most
// ten times a second; it stays silent when standard error is not a terminal.
type progressBar struct {
	mu    sync.Mutex
	w     io.Writer
	on    bool
	r     audit.Reader
	start time.Time
	last  time.Time
	n     int
}

func newProgressBar(w io.Writer, mode string, r audit.Reader) *progressBar {
	on := mode == "always"
	if mode == "auto" {
		if f, ok := w.(*os.File); ok {
			if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
				on = true
			}
		}
	}
	return &progressBar{w: w, on: on, r: r, start: time.Now()}
}

func (p *progressBar) update(records int) {
	if !p.on {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n = records
	now := time.Now()
	if now.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.last = now
	p.draw(now)
}

func (p *progressBar) draw(now time.Time) {
	el := now.Sub(p.start).Seconds()
	rate := 0.0
	if el > 0 {
		rate = float64(p.n) / el
	}
	line := fmt.Sprintf("\r%12d records  %9.0f/s", p.n, rate)
	if done, total := p.r.Progress(); total > 0 && done > 0 {
		frac := float64(done) / float64(total)
		if frac > 1 {
			frac = 1
		}
		eta := time.Duration(el/frac*(1-frac)) * time.Second
		const width = 24
		filled := int(frac * width)
		bar := ""
		for i := 0; i < width; i++ {
			if i < filled {
				bar += "█"
			} else {
				bar += "░"
			}
		}
		line += fmt.Sprintf("  %s %5.1f%%  ETA %s", bar, frac*100, eta.Round(time.Second))
	}
	fmt.Fprint(p.w, line+"   ")
}

func (p *progressBar) done() {
	if !p.on {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.draw(time.Now())
	fmt.Fprintln(p.w)
}
