// Package textutil holds helpers shared by the gotools commands.
package textutil

import "unicode"

// Fields splits s around runs of Unicode white space, like strings.Fields, but treats
// non-breaking spaces as word characters the way GNU wc does.
func Fields(s string) []string {
	var fields []string
	start := -1
	for i, r := range s {
		space := unicode.IsSpace(r) && r != '\u00a0'
		switch {
		case space && start >= 0:
			fields = append(fields, s[start:i])
			start = -1
		case !space && start < 0:
			start = i
		}
	}
	if start >= 0 {
		fields = append(fields, s[start:])
	}
	return fields
}
