package render

import (
	"reflect"
	"testing"
	"time"
)

// TestSum: a fingerprint follows every value a view holds, byte arrays
// (the sums pages are fingerprinted by) included, whether read in place
// or as a value; it leaves out fields tagged fp:"-" and a map's order.
func TestSum(t *testing.T) {
	type view struct {
		Sum   [32]byte
		Key   [3]byte
		Sums  [][32]byte
		Name  string
		When  time.Time
		By    map[string]int
		cache int `fp:"-"`
	}
	base := view{Sum: [32]byte{1, 2, 3}, Key: [3]byte{9, 8, 7}, Sums: [][32]byte{{4}, {5}}, Name: "a", When: time.Date(2026, 12, 7, 5, 0, 0, 0, time.UTC), By: map[string]int{"x": 1, "y": 2}}
	want := Sum(base)
	if Sum(&base) == want {
		t.Error("a pointer to a view sums as the view")
	}
	p := base
	if hashValue(reflect.ValueOf(&p).Elem()) != want || hashValue(reflect.ValueOf(base)) != want {
		t.Error("a view read in place, or as a value, sums otherwise than a copy")
	}
	for name, change := range map[string]func(v *view){
		"a byte of a sum":           func(v *view) { v.Sum[31] = 1 },
		"a byte of a short array":   func(v *view) { v.Key[0] = 0 },
		"a byte of a sum in a list": func(v *view) { v.Sums = [][32]byte{{4}, {5, 1}} },
		"a string":                  func(v *view) { v.Name = "b" },
		"a time":                    func(v *view) { v.When = v.When.Add(time.Second) },
		"a map's value":             func(v *view) { v.By = map[string]int{"x": 1, "y": 3} },
	} {
		v := base
		change(&v)
		if Sum(v) == want {
			t.Errorf("%s changed, the sum did not", name)
		}
	}
	for name, same := range map[string]func(v *view){
		"a field tagged fp:\"-\"": func(v *view) { v.cache = 7 },
		"a map made otherwise":    func(v *view) { v.By = map[string]int{"y": 2, "x": 1} },
	} {
		v := base
		same(&v)
		if Sum(v) != want {
			t.Errorf("%s changed the sum", name)
		}
	}
	if Sum(nil) != Sum(nil) {
		t.Error("nil sums otherwise each time")
	}
}
