// Package xlstest builds small Excel 97–2003 files for tests: a compound
// file holding one stream, and the records of a Workbook stream.
package xlstest

import (
	"bytes"
	"encoding/binary"
	"unicode/utf16"
)

const (
	endOfChain = 0xFFFFFFFE
	freeSect   = 0xFFFFFFFF
	fatSect    = 0xFFFFFFFD
	noStream   = 0xFFFFFFFF
	sector     = 512
)

// Compound is a compound file (MS-CFB, version 3) holding one stream,
// name, with data, padded with zeros to 4,096 bytes so that it is a
// regular stream, not one in the mini stream. At most 126 sectors of data.
func Compound(name string, data []byte) []byte {
	if len(data) < 4096 {
		data = append(data, make([]byte, 4096-len(data))...)
	}
	n := (len(data) + sector - 1) / sector
	if n > sector/4-2 {
		panic("xlstest: stream too long for one FAT sector")
	}
	le := binary.LittleEndian
	head := make([]byte, sector)
	copy(head, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
	le.PutUint16(head[24:], 0x003E)
	le.PutUint16(head[26:], 3)
	le.PutUint16(head[28:], 0xFFFE)
	le.PutUint16(head[30:], 9)
	le.PutUint16(head[32:], 6)
	le.PutUint32(head[44:], 1)    // FAT sectors
	le.PutUint32(head[48:], 1)    // first directory sector
	le.PutUint32(head[56:], 4096) // mini stream cutoff
	le.PutUint32(head[60:], endOfChain)
	le.PutUint32(head[68:], endOfChain)
	le.PutUint32(head[76:], 0) // DIFAT[0]: the FAT is sector 0
	for i := 1; i < 109; i++ {
		le.PutUint32(head[76+4*i:], freeSect)
	}

	fat := make([]byte, sector)
	for i := range sector / 4 {
		le.PutUint32(fat[4*i:], freeSect)
	}
	le.PutUint32(fat[0:], fatSect)
	le.PutUint32(fat[4:], endOfChain)
	for i := range n {
		next := uint32(3 + i)
		if i == n-1 {
			next = endOfChain
		}
		le.PutUint32(fat[4*(2+i):], next)
	}

	dir := make([]byte, sector)
	entry := func(i int, name string, kind byte, child, start, size uint32) {
		e := dir[128*i : 128*(i+1)]
		u := utf16.Encode([]rune(name))
		for k, c := range u {
			le.PutUint16(e[2*k:], c)
		}
		if name != "" {
			le.PutUint16(e[64:], uint16(2*len(u)+2))
		}
		e[66], e[67] = kind, 1
		le.PutUint32(e[68:], noStream)
		le.PutUint32(e[72:], noStream)
		le.PutUint32(e[76:], child)
		le.PutUint32(e[116:], start)
		le.PutUint32(e[120:], size)
	}
	entry(0, "Root Entry", 5, 1, endOfChain, 0)
	entry(1, name, 2, noStream, 2, uint32(len(data)))
	entry(2, "", 0, noStream, 0, 0)
	entry(3, "", 0, noStream, 0, 0)

	body := make([]byte, n*sector)
	copy(body, data)
	return bytes.Join([][]byte{head, fat, dir, body}, nil)
}

// Record is a BIFF record: its type, size and data.
func Record(typ uint16, data ...[]byte) []byte {
	d := bytes.Join(data, nil)
	out := binary.LittleEndian.AppendUint16(nil, typ)
	out = binary.LittleEndian.AppendUint16(out, uint16(len(d)))
	return append(out, d...)
}

// BOF is the beginning of a BIFF8 substream (version 0x0600).
func BOF() []byte {
	return Record(0x0809, []byte{0x00, 0x06, 0x05, 0x00}, make([]byte, 12))
}

// EOF ends a substream.
func EOF() []byte { return Record(0x000A) }

// ShortString is a ShortXLUnicodeString (a sheet's name in BOUNDSHEET): an
// 8-bit count of characters, a flags byte, and the characters, 16 bits
// wide.
func ShortString(s string) []byte {
	u := utf16.Encode([]rune(s))
	out := []byte{byte(len(u)), 1}
	for _, c := range u {
		out = binary.LittleEndian.AppendUint16(out, c)
	}
	return out
}
