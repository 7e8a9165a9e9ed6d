package session

import (
	"sync"
	"time"
)

// watchTick is how often the watchdog looks at the sessions whose reader
// role is free: a role free at two ticks in a row, by the same release,
// gets a reader of its own.
const watchTick = time.Millisecond

// watchdog is the process's one watchdog of released reader roles (see
// release.go). Its goroutine runs only while a session has released its
// role since the last tick; it ends at the first tick that finds none.
var watchdog struct {
	mu       sync.Mutex
	sessions map[*Session]uint64 // the release each was last seen free by, or 0
	running  bool
}

// watch has the watchdog watch s, whose role was just released. A session
// already watched costs one atomic load.
func watch(s *Session) {
	if s.watched.Load() {
		return
	}
	watchdog.mu.Lock()
	defer watchdog.mu.Unlock()
	s.watched.Store(true)
	if watchdog.sessions == nil {
		watchdog.sessions = make(map[*Session]uint64)
	}
	if _, ok := watchdog.sessions[s]; !ok {
		watchdog.sessions[s] = 0
	}
	if !watchdog.running {
		watchdog.running = true
		go watchLoop()
	}
}

// watchLoop is the watchdog's goroutine.
func watchLoop() {
	t := time.NewTicker(watchTick)
	defer t.Stop()
	for range t.C {
		if !watchOnce() {
			return
		}
	}
}

// watchOnce looks at every watched session: it starts a reader for a role
// free since the last tick, and forgets a session whose role is held. It
// reports whether any session is left to watch; if not, the watchdog
// stops, and the next release starts it again.
func watchOnce() bool {
	watchdog.mu.Lock()
	defer watchdog.mu.Unlock()
	for s, seen := range watchdog.sessions {
		id := s.free.Load()
		if id == 0 {
			// Held. Stop watching, unless it was released meanwhile: a
			// release stores free before it loads watched, and this
			// stores watched before it loads free, so one of the two
			// sees the other.
			s.watched.Store(false)
			if id = s.free.Load(); id == 0 {
				delete(watchdog.sessions, s)
				continue
			}
			s.watched.Store(true)
		}
		if id == seen && s.free.CompareAndSwap(id, 0) {
			s.handOn()
			id = 0
		}
		watchdog.sessions[s] = id
	}
	if len(watchdog.sessions) == 0 {
		watchdog.running = false
		return false
	}
	return true
}
