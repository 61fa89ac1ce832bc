// Package wc counts lines, words and bytes the way the Unix wc tool does.
package wc

import (
	"bufio"
	"io"
	"os"

	"example.com/gotools/internal/textutil"
)

// Counts holds the three numbers wc reports.
type Counts struct {
	Lines int
	Words int
	Bytes int
}

// Add returns the element-wise sum of two counts.
func (c Counts) Add(other Counts) Counts {
	return Counts{c.Lines + other.Lines, c.Words + other.Words, c.Bytes + other.Bytes}
}

// Count reads r to the end and counts its lines, words and bytes.
func Count(r io.Reader) (Counts, error) {
	var c Counts
	reader := bufio.NewReader(r)
	for {
		line, err := reader.ReadString('\n')
		c.Bytes += len(line)
		c.Words += len(textutil.Fields(line))
		if len(line) > 0 && line[len(line)-1] == '\n' {
			c.Lines++
		}
		if err == io.EOF {
			return c, nil
		}
		if err != nil {
			return c, err
		}
	}
}

// CountFile opens the named file and counts it.
func CountFile(path string) (Counts, error) {
	f, err := os.Open(path)
	if err != nil {
		return Counts{}, err
	}
	defer f.Close()
	return Count(f)
}
