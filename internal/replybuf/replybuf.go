// Package replybuf names the context value through which an endpoint
// lends a typed handler the buffer to encode its reply into.
//
// A call's context answers ctx.Value(Key{}) with a *[]byte that the
// endpoint takes back once the reply is queued, so that encoding the
// reply allocates nothing. A value lookup, rather than a method of the
// context, still finds it through the contexts that headers and
// interceptors wrap around the call's own.
package replybuf

// Key is the context key of the reply buffer. Only the goroutine running
// the handler may ask for it, before the handler returns.
type Key struct{}
