package store_test

import (
	"context"
	"testing"

	"fyr/internal/store"
	"fyr/internal/store/storetest"
)

func TestStoreConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Log {
		st, err := store.Open(context.Background(), store.Config{Dir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		return st
	})
}

func TestMemConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Log { return store.NewMem() })
}
