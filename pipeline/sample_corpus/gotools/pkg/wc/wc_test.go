package wc

import (
	"strings"
	"testing"
)

func TestCountMatchesUnixWc(t *testing.T) {
	got, err := Count(strings.NewReader("hello world\nsecond line here\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := Counts{Lines: 2, Words: 5, Bytes: 29}
	if got != want {
		t.Errorf("Count() = %+v, want %+v", got, want)
	}
}

func TestLastLineWithoutNewlineIsNotCounted(t *testing.T) {
	got, _ := Count(strings.NewReader("no newline"))
	if got.Lines != 0 || got.Words != 2 {
		t.Errorf("Count() = %+v, want 0 lines and 2 words", got)
	}
}
