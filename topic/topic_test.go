package topic_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/sockipc/sockipc/codec"
	"github.com/sockipc/sockipc/topic"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestValidateName(t *testing.T) {
	for _, tc := range []struct {
		name string
		ok   bool
		why  string
	}{
		{"chat.hello", true, ""},
		{"a", true, ""},
		{"jobs/done-1_x:y", true, ""},
		{"ünïcødé.名前", true, ""},
		{strings.Repeat("x", topic.MaxNameLen), true, ""},
		{"", false, "empty"},
		{strings.Repeat("x", topic.MaxNameLen+1), false, "longer than"},
		{"chat hello", false, "white space"},
		{"chat\thello", false, "white space"},
		{"chat\u00a0hello", false, "white space"},
		{"nul\x00", false, "non-printable"},
		{"bell\a", false, "non-printable"},
		{"bad\xff", false, "UTF-8"},
	} {
		err := topic.ValidateName(tc.name)
		if tc.ok {
			require.NoError(t, err, "%q", tc.name)
			continue
		}
		require.Error(t, err, "%q", tc.name)
		require.Contains(t, err.Error(), tc.why, "%q", tc.name)
	}
}

func TestNewPanicsOnInvalidName(t *testing.T) {
	require.PanicsWithError(t, topic.ValidateName("a b").Error(), func() { topic.New[int]("a b") })
	require.Panics(t, func() { topic.NewProcedure[int, int]("") })
	require.Equal(t, "x.y", topic.New[int]("x.y").Name())
	require.Equal(t, "p.q", topic.NewProcedure[int, string]("p.q").Name())
}

func TestRemoteError(t *testing.T) {
	err := fmt.Errorf("call: %w", &topic.RemoteError{Code: topic.CodeNoHandler, Message: "none"})
	require.ErrorIs(t, err, topic.ErrNoHandler)
	re, ok := errors.AsType[*topic.RemoteError](err)
	require.True(t, ok)
	require.Equal(t, "none", re.Message)

	require.NotErrorIs(t, &topic.RemoteError{Code: "not_found"}, topic.ErrNoHandler)

	for _, tc := range []struct {
		err  error
		code string
	}{
		{topic.NewError("not_found", "no user 7"), "not_found"},
		{fmt.Errorf("wrapped: %w", topic.NewError("busy", "later")), "busy"},
		{errors.New("plain"), topic.CodeUnknown},
		{context.Canceled, topic.CodeCanceled},
		{fmt.Errorf("slow: %w", context.DeadlineExceeded), topic.CodeDeadline},
	} {
		require.Equal(t, tc.code, topic.AsRemoteError(tc.err).Code, "%v", tc.err)
	}
}

func TestDecodeAndEncodeErrorsName(t *testing.T) {
	cause := errors.New("bad bytes")
	de := &topic.DecodeError{Topic: "chat.hello", ClientID: "c1", Err: cause}
	require.ErrorIs(t, de, cause)
	require.Contains(t, de.Error(), "chat.hello")
	require.Contains(t, de.Error(), "c1")
	ee := &topic.EncodeError{Topic: "chat.hello", Err: cause}
	require.ErrorIs(t, ee, cause)
	require.Contains(t, ee.Error(), "chat.hello")
}

// rawOnly is an endpoint with CallRaw but no CallInto, as one written
// outside this module may be: it answers every call with reply.
type rawOnly struct {
	topic.Endpoint
	reply []byte
}

func (rawOnly) Codec() codec.Codec { return codec.MsgPack }

func (e rawOnly) CallRaw(context.Context, string, []byte) ([]byte, error) { return e.reply, nil }

// Call works through CallRaw on an endpoint without CallInto, and a reply
// that does not decode is a *DecodeError there too.
func TestCallThroughCallRaw(t *testing.T) {
	double := topic.NewProcedure[int, int]("math.double")
	got, err := topic.Call(context.Background(), rawOnly{reply: []byte{0x2a}}, double, 21)
	require.NoError(t, err)
	require.Equal(t, 42, got)

	_, err = topic.Call(context.Background(), rawOnly{reply: []byte{0xa1, 'x'}}, double, 21)
	de, ok := errors.AsType[*topic.DecodeError](err)
	require.True(t, ok, "%v", err)
	require.Equal(t, "math.double", de.Topic)
}
