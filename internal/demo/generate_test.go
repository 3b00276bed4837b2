package demo

import (
	"reflect"
	"testing"
)

// The demo directory is the same on every start.
func TestDirectoryIsDeterministic(t *testing.T) {
	u1, p1 := generateDirectory()
	u2, p2 := generateDirectory()
	if !reflect.DeepEqual(u1, u2) || !reflect.DeepEqual(p1, p2) {
		t.Fatal("two generations of the demo directory differ")
	}
}
