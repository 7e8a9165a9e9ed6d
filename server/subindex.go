package server

// subIndex knows which clients subscribed to what, so a publish reaches only
// the clients that want it. It is guarded by the server's mutex.
type subIndex struct {
	topics map[string]map[*clientConn]struct{}
	all    map[*clientConn]struct{} // catch-all subscribers
}

func newSubIndex() subIndex {
	return subIndex{topics: make(map[string]map[*clientConn]struct{}), all: make(map[*clientConn]struct{})}
}

// add subscribes c to name; "" means every topic.
func (x *subIndex) add(c *clientConn, name string) {
	if name == "" {
		x.all[c] = struct{}{}
		return
	}
	set := x.topics[name]
	if set == nil {
		set = make(map[*clientConn]struct{})
		x.topics[name] = set
	}
	set[c] = struct{}{}
	c.subs[name] = struct{}{}
}

// remove unsubscribes c from name; "" means the catch-all.
func (x *subIndex) remove(c *clientConn, name string) {
	if name == "" {
		delete(x.all, c)
		return
	}
	delete(c.subs, name)
	if set := x.topics[name]; set != nil {
		delete(set, c)
		if len(set) == 0 {
			delete(x.topics, name)
		}
	}
}

// drop forgets every subscription of c.
func (x *subIndex) drop(c *clientConn) {
	delete(x.all, c)
	for name := range c.subs {
		x.remove(c, name)
	}
}

// appendSubscribers appends the clients that receive a message on name.
func (x *subIndex) appendSubscribers(dst []*clientConn, name string) []*clientConn {
	for c := range x.all {
		dst = append(dst, c)
	}
	for c := range x.topics[name] {
		if _, dup := x.all[c]; !dup {
			dst = append(dst, c)
		}
	}
	return dst
}
