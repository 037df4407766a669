package state_test

import (
	"path/filepath"
	"testing"

	"github.com/cdstack/cdstack/state"
	"github.com/cdstack/cdstack/state/statetest"
)

func TestBoltConformance(t *testing.T) {
	statetest.Run(t, func(t *testing.T) func() state.Store {
		path := filepath.Join(t.TempDir(), ".cdstack", "test.db")
		return func() state.Store { return state.OpenBolt(path) }
	})
}

func TestMemoryConformance(t *testing.T) {
	statetest.Run(t, func(t *testing.T) func() state.Store {
		b := state.NewMemory()
		return func() state.Store { return b.Open() }
	})
}
