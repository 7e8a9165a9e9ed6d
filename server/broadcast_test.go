package server_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sockipc/sockipc/client"
	h "github.com/sockipc/sockipc/internal/harness"
	"github.com/sockipc/sockipc/internal/testutil"
	"github.com/sockipc/sockipc/topic"
)

// A server's publish reports what fails for the message (an envelope that
// cannot be encoded) and what fails for one client (a message too large
// for it) alike whether one client or several subscribe, and still
// reaches every client it can.
func TestBroadcastErrorsAreTheSameForOneClientOrMany(t *testing.T) {
	for _, n := range []int{1, 3} {
		t.Run(fmt.Sprintf("%d clients", n), func(t *testing.T) {
			srv, path := h.Server(t)
			small := h.Client(t, path, nil, client.WithMaxMessageSize(256))
			inboxes := []<-chan h.Received[h.Msg]{h.Inbox(t, small, h.A)}
			for range n - 1 {
				inboxes = append(inboxes, h.Inbox(t, h.Client(t, path, nil), h.A))
			}
			ctx := testutil.Context(t, h.Timeout)

			// An envelope that cannot be encoded fails for all of them alike.
			bad := topic.WithHeaders(ctx, map[string]string{"k": "\xff"})
			err := topic.Publish(bad, srv, h.A, h.Msg{N: 1})
			var ee *topic.EncodeError
			require.ErrorAs(t, err, &ee)
			assert.Equal(t, "test.a", ee.Topic)
			assert.Empty(t, ee.ClientID, "the error is the message's, not a client's")

			// Too large for one client: the error names it; the others get it.
			big := h.Msg{N: 2, Text: strings.Repeat("x", 1000)}
			err = topic.Publish(ctx, srv, h.A, big)
			require.ErrorIs(t, err, topic.ErrMessageTooLarge)
			assert.ErrorContains(t, err, small.ID())
			for _, in := range inboxes[1:] {
				assert.Equal(t, big, testutil.Recv(t, in, h.Timeout).Msg)
			}

			// And every client, the small one included, gets what comes next.
			require.NoError(t, topic.Publish(ctx, srv, h.A, h.Msg{N: 3}))
			for _, in := range inboxes {
				assert.Equal(t, h.Msg{N: 3}, testutil.Recv(t, in, h.Timeout).Msg)
			}
		})
	}
}
