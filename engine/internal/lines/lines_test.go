package lines

import (
	"bufio"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRead(t *testing.T) {
	long := strings.Repeat("x", 40)
	r := bufio.NewReaderSize(strings.NewReader("a\n\n"+long+"\nbc\nlast"), 16)
	type got struct {
		line string
		n    int
		err  error
	}
	var all []got
	for {
		line, n, err := Read(r, 10)
		if err == io.EOF {
			break
		}
		all = append(all, got{string(line), n, err})
		require.Less(t, len(all), 10)
	}
	assert.Equal(t, []got{{"a", 2, nil}, {"", 1, nil}, {"", 41, ErrTooLong}, {"bc", 3, nil}, {"last", 4, nil}}, all)
}
