// Package chat is the contract between the quickstart's server and client:
// the topics they share and the types those topics carry. Both sides import
// it, so the compiler checks every publish and every handler.
package chat

import "github.com/sockipc/sockipc/topic"

// Greeting is a line of text from someone.
type Greeting struct {
	From string
	Text string
}

// Announcement is a message from the server to everyone.
type Announcement struct {
	Text    string
	Clients int
}

var (
	// Hello carries greetings, in both directions.
	Hello = topic.New[Greeting]("chat.hello")
	// News carries the server's announcements to every subscribed client.
	News = topic.New[Announcement]("chat.news")
)
