// Package calc is the contract of the rpc example's calculator: the
// procedures, with their argument and result types. Server and client both
// import it, so every call is checked by the compiler.
package calc

import "github.com/sockipc/sockipc/topic"

// Operands are the arguments of a binary operation.
type Operands struct {
	A, B float64
}

// Slow asks for a result after a delay, to show deadlines.
type Slow struct {
	Value   float64
	DelayMS int
}

var (
	// Add returns A + B.
	Add = topic.NewProcedure[Operands, float64]("calc.add")
	// Div returns A / B; dividing by zero is a remote error with code
	// "division_by_zero".
	Div = topic.NewProcedure[Operands, float64]("calc.div")
	// Echo returns Value after DelayMS milliseconds, or gives up when the
	// caller does.
	Echo = topic.NewProcedure[Slow, float64]("calc.echo")
)
