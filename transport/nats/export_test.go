package nats

// SharedURL is the URL of the NATS server the package's tests share.
func SharedURL() string { return testURL }
