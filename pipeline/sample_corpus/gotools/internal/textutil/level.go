package textutil

import (
	"fmt"
	"strings"
)

//go:generate stringer -type=Level

// Level is a log severity.
type Level int

const (
	Debug Level = iota
	Info
	Warning
	Error
)

// ParseLevel accepts a level name in any case, e.g. "warning" or "ERROR".
func ParseLevel(name string) (Level, error) {
	for l := Debug; l <= Error; l++ {
		if strings.EqualFold(l.String(), name) {
			return l, nil
		}
	}
	return Debug, fmt.Errorf("unknown log level %q", name)
}
