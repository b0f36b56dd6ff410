package spec

import "fmt"

// accepted ends an "unknown ..." message: the candidate nearest to word
// when one is near enough to be a plausible typo, then what is accepted,
// e.g. ` (did you mean "dense"? layers: dense, relu, …)`, or only
// ` (layers: dense, relu, …)`.
func accepted(word string, candidates []string, what string) string {
	if best := nearest(word, candidates); best != "" {
		return fmt.Sprintf(" (did you mean %q? %s)", best, what)
	}
	return " (" + what + ")"
}

// nearest returns the candidate nearest to word within maxTypos edits, the
// first of equals; "" if there is none or word is itself a candidate.
func nearest(word string, candidates []string) string {
	best, bestDist := "", -1
	for _, c := range candidates {
		d := editDistance(word, c)
		if d <= maxTypos(c) && (bestDist < 0 || d < bestDist) {
			best, bestDist = c, d
		}
	}
	if best == word {
		return ""
	}
	return best
}

// maxTypos is how many edits still count as a typo of c: one per three letters.
func maxTypos(c string) int { return max(1, len(c)/3) }

// editDistance is the optimal-string-alignment distance: insertions,
// deletions, substitutions and adjacent transpositions each cost one, so
// "bais" is one edit from "bias".
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 { // long words are never typos; keep it cheap
		return len(a) + len(b)
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
