package taxonomy

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestByItemsAndBackbone: connections sort by items together, then by the
// two names (A to Z, ignoring case); the backbone keeps each theme's k
// strongest in that order.
func TestByItemsAndBackbone(t *testing.T) {
	files := items(
		"s:zeta,alpha", "s:zeta,alpha", "s:zeta,alpha", // zeta–alpha 3
		"s:beta,gamma", "s:beta,gamma", "s:beta,gamma", // beta–gamma 3
		"s:alpha,gamma", "s:alpha,gamma", // alpha–gamma 2
		"s:Delta,alpha", // alpha–delta 1
		"s:beta,delta",  // beta–delta 1
		"s:gamma,zeta",  // gamma–zeta 1
	)
	// slug zeta, first by name; undefined themes keep their names as filed,
	// so "alpha" sorts before "Delta" only when case is ignored
	files["content/themes/zeta.md"] = "---\ntitle: Aardvark care\n---\n"
	x, _, _ := build(t, files)
	g := x.Graph()
	name := func(es []*Edge) string {
		var out []string
		for _, e := range es {
			a, b := e.Names()
			out = append(out, fmt.Sprintf("%s+%s=%d", a.Title, b.Title, e.Count))
		}
		return strings.Join(out, " ")
	}
	sorted := slices.SortedFunc(slices.Values(g.Edges), ByItems)
	want := "Aardvark care+alpha=3 beta+gamma=3 alpha+gamma=2 Aardvark care+gamma=1 alpha+Delta=1 beta+Delta=1"
	if got := name(sorted); got != want {
		t.Errorf("by items:\n got %s\nwant %s", got, want)
	}
	for _, tt := range []struct {
		k    int
		in   string // slugs allowed, "" for all
		want string
	}{
		{1, "", "Aardvark care+alpha=3 beta+gamma=3 alpha+Delta=1"},
		{2, "", "Aardvark care+alpha=3 beta+gamma=3 alpha+gamma=2 Aardvark care+gamma=1 alpha+Delta=1 beta+Delta=1"},
		{1, "alpha,gamma,delta", "alpha+gamma=2 alpha+Delta=1"},
		{1, "beta,delta", "beta+Delta=1"},
	} {
		var in func(*Theme) bool
		if tt.in != "" {
			in = func(th *Theme) bool { return slices.Contains(strings.Split(tt.in, ","), th.Slug) }
		}
		if got := name(Backbone(g.Edges, tt.k, in)); got != tt.want {
			t.Errorf("Backbone(k=%d, %q):\n got %s\nwant %s", tt.k, tt.in, got, tt.want)
		}
	}
}
