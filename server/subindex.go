package server

import "slices"

// subIndex knows which clients subscribed to what, so a publish reaches only
// the clients that want it. It is guarded by the server's mutex for
// writing; its lists are copied on write, so a publish reads a list under
// the read lock and walks it after releasing the lock.
type subIndex struct {
	topics map[string][]*clientConn
	all    []*clientConn // catch-all subscribers
}

func newSubIndex() subIndex {
	return subIndex{topics: make(map[string][]*clientConn)}
}

// add subscribes c to name; "" means every topic.
func (x *subIndex) add(c *clientConn, name string) {
	if name == "" {
		if !c.all {
			c.all = true
			x.all = append(slices.Clip(x.all), c)
		}
		return
	}
	if _, dup := c.subs[name]; dup {
		return
	}
	c.subs[name] = struct{}{}
	x.topics[name] = append(slices.Clip(x.topics[name]), c)
}

// remove unsubscribes c from name; "" means the catch-all.
func (x *subIndex) remove(c *clientConn, name string) {
	if name == "" {
		if c.all {
			c.all = false
			x.all = without(x.all, c)
		}
		return
	}
	if _, ok := c.subs[name]; !ok {
		return
	}
	delete(c.subs, name)
	if list := without(x.topics[name], c); len(list) > 0 {
		x.topics[name] = list
	} else {
		delete(x.topics, name)
	}
}

// drop forgets every subscription of c.
func (x *subIndex) drop(c *clientConn) {
	x.remove(c, "")
	for name := range c.subs {
		x.remove(c, name)
	}
}

// subscribers returns the clients that receive a message on name: the
// catch-all subscribers, and the subscribers of name that are not also in
// the first list. The lists must not be modified.
func (x *subIndex) subscribers(name string) (all, named []*clientConn) {
	return x.all, x.topics[name]
}

// without returns a copy of list without c.
func without(list []*clientConn, c *clientConn) []*clientConn {
	return slices.DeleteFunc(slices.Clone(list), func(x *clientConn) bool { return x == c })
}
