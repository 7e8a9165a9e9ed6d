package nats

import (
	"fmt"
	"os"
	"testing"

	"go.uber.org/goleak"

	"github.com/sockipc/sockipc/transport/nats/internal/embedded"
)

// testURL is the URL of the NATS server that the tests share, started by
// TestMain in this process.
var testURL string

func TestMain(m *testing.M) { os.Exit(run(m)) }

// run runs the tests against an embedded NATS server, stops it, and then
// fails the run if any goroutine is left behind.
func run(m *testing.M) int {
	s, err := embedded.Start(nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	testURL = s.ClientURL()
	code := m.Run()
	embedded.Shutdown(s)
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintln(os.Stderr, "goleak:", err)
			return 1
		}
	}
	return code
}
