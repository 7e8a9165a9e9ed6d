package main

import (
	"slices"
	"time"
)

// result is what one run of one system on one workload measured.
type result struct {
	count   int           // messages delivered, or calls completed
	elapsed time.Duration // from the first send to the last delivery or reply
	lat     []time.Duration
}

// measure is the summary of a result that the report keeps.
type measure struct {
	rate     float64       // count per second
	p50, p99 time.Duration // call latency percentiles; 0 when not measured
}

func (r result) measure() measure {
	m := measure{rate: float64(r.count) / r.elapsed.Seconds()}
	if len(r.lat) > 0 {
		slices.Sort(r.lat)
		m.p50 = percentile(r.lat, 0.50)
		m.p99 = percentile(r.lat, 0.99)
	}
	return m
}

// percentile returns the p-th quantile (nearest rank) of sorted values.
func percentile(sorted []time.Duration, p float64) time.Duration {
	i := int(float64(len(sorted))*p+0.999999) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// median returns the median of vs, or 0 when it is empty.
func median(vs []float64) float64 {
	if len(vs) == 0 {
		return 0
	}
	s := slices.Clone(vs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
