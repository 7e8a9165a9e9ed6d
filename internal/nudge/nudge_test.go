package nudge

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestNudgeWithoutUsersDoesNotBlock(t *testing.T) {
	Nudge()
	Nudge()
}

func TestTheGoroutineRunsWhileAcquired(t *testing.T) {
	Acquire()
	Acquire()
	Release()
	// Still acquired once: the goroutine takes a kick. A send succeeds
	// only when it waits, so retry until it does.
	for {
		select {
		case kicks <- struct{}{}:
		default:
			continue
		}
		break
	}
	Nudge()
	Release()
	goleak.VerifyNone(t) // the last Release waited for it to end
	select {
	case kicks <- struct{}{}:
		t.Fatal("a kick was taken after the last Release")
	default:
	}
	assert.Panics(t, Release)
}
