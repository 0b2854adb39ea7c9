//go:build linux

package main

import (
	"encoding/binary"
	"errors"
	"io"
	"net"
	"syscall"
	"time"
)

// stampConn reads a TCP connection with the kernel's receive timestamps
// (SO_TIMESTAMPNS): last is when the data of its latest read reached the
// socket, which is when the server's write of it was done on loopback,
// however long this client's goroutine then waited to run.
type stampConn struct {
	rc   syscall.RawConn
	oob  []byte
	last time.Time
}

// newStampConn turns on receive timestamps for c and reads it through them.
func newStampConn(c net.Conn) (*stampConn, error) {
	tc, ok := c.(*net.TCPConn)
	if !ok {
		return nil, errors.New("not a TCP connection")
	}
	rc, err := tc.SyscallConn()
	if err != nil {
		return nil, err
	}
	var serr error
	if err := rc.Control(func(fd uintptr) {
		serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_TIMESTAMPNS, 1)
	}); err != nil {
		return nil, err
	}
	if serr != nil {
		return nil, serr
	}
	return &stampConn{rc: rc, oob: make([]byte, syscall.CmsgSpace(16))}, nil
}

// Read reads by recvmsg, waiting in the runtime's poller as net.Conn does,
// and keeps the timestamp the kernel gives with the data.
func (s *stampConn) Read(p []byte) (int, error) {
	var n, oobn int
	var err error
	if rerr := s.rc.Read(func(fd uintptr) bool {
		n, oobn, _, _, err = syscall.Recvmsg(int(fd), p, s.oob, 0)
		return err != syscall.EAGAIN
	}); rerr != nil {
		return 0, rerr
	}
	if err != nil {
		return 0, err
	}
	if n == 0 {
		return 0, io.EOF
	}
	if t, ok := stampOf(s.oob[:oobn]); ok {
		s.last = t
	}
	return n, nil
}

// stampOf finds the SCM_TIMESTAMPNS message among control messages.
func stampOf(oob []byte) (time.Time, bool) {
	msgs, err := syscall.ParseSocketControlMessage(oob)
	if err != nil {
		return time.Time{}, false
	}
	for _, m := range msgs {
		if m.Header.Level == syscall.SOL_SOCKET && m.Header.Type == syscall.SCM_TIMESTAMPNS && len(m.Data) >= 16 {
			sec := int64(binary.NativeEndian.Uint64(m.Data[0:8]))
			nsec := int64(binary.NativeEndian.Uint64(m.Data[8:16]))
			return time.Unix(sec, nsec), true
		}
	}
	return time.Time{}, false
}
