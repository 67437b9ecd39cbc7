package app

import (
	"slices"
	"strconv"
	"strings"
)

// Small helpers of the use cases, on the standard library rather than
// copies of the domain's own.

func kib(n int) string {
	if n%1024 == 0 {
		return itoa(n/1024) + " KiB"
	}
	return itoa(n) + " bytes"
}

func itoa(n int) string { return strconv.Itoa(n) }

func contains[T comparable](xs []T, x T) bool { return slices.Contains(xs, x) }

func orDash(s string) string {
	if s == "" {
		return "unclassified"
	}
	return s
}

func containsFold(xs []string, s string) bool {
	return slices.ContainsFunc(xs, func(x string) bool { return strings.EqualFold(x, s) })
}
