package main

import "fmt"

// count writes n before an English noun, singular for exactly one:
// count(1, "error", "errors") is "1 error", count(0, …) is "0 errors".
func count(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
