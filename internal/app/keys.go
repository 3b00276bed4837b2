package app

import (
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
)

// loadKey reads a 32-byte secret from dir/name, creating it on first use.
func loadKey(dir, name string) ([]byte, error) {
	path := filepath.Join(dir, name)
	key, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		key = make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return nil, fmt.Errorf("generate %s: %w", name, err)
		}
		if err := os.WriteFile(path, key, 0o600); err != nil {
			return nil, fmt.Errorf("write %s: %w", name, err)
		}
		return key, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(key) < 32 {
		return nil, fmt.Errorf("%s is shorter than 32 bytes", path)
	}
	return key, nil
}
