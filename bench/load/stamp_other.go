//go:build !linux

package main

import (
	"errors"
	"net"
	"time"
)

// stampConn would read with the kernel's receive timestamps; they are
// read on Linux only, so elsewhere the latency at the socket is not shown.
type stampConn struct {
	last time.Time
}

func newStampConn(net.Conn) (*stampConn, error) {
	return nil, errors.New("receive timestamps are read on Linux only")
}

func (s *stampConn) Read([]byte) (int, error) { return 0, errors.New("unsupported") }
