// Command gotools bundles small text utilities behind one binary.
package main

import (
	"flag"
	"fmt"
	"os"

	"example.com/gotools/internal/textutil"
	"example.com/gotools/pkg/wc"
)

func main() {
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: gotools wc FILE... | gotools level NAME\n")
	}
	flag.Parse()
	if flag.NArg() < 2 {
		flag.Usage()
		os.Exit(2)
	}
	switch flag.Arg(0) {
	case "wc":
		os.Exit(runWC(flag.Args()[1:]))
	case "level":
		level, err := textutil.ParseLevel(flag.Arg(1))
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Println(level, int(level))
	default:
		flag.Usage()
		os.Exit(2)
	}
}

func runWC(paths []string) int {
	var total wc.Counts
	status := 0
	for _, path := range paths {
		counts, err := wc.CountFile(path)
		if err != nil {
			fmt.Fprintf(os.Stderr, "gotools: %v\n", err)
			status = 1
			continue
		}
		fmt.Printf("%8d %8d %8d %s\n", counts.Lines, counts.Words, counts.Bytes, path)
		total = total.Add(counts)
	}
	if len(paths) > 1 {
		fmt.Printf("%8d %8d %8d total\n", total.Lines, total.Words, total.Bytes)
	}
	return status
}
