package topic

// Procedure is a named remote procedure taking a Req and returning a Resp.
//
// The zero Procedure is invalid; make one with [NewProcedure]. Declare
// procedures next to topics, in a package both sides import:
//
//	var Add = topic.NewProcedure[AddArgs, AddResult]("math.add")
type Procedure[Req, Resp any] struct {
	name string
	req  boxes[Req]
	resp boxes[Resp]
}

// NewProcedure returns the procedure called name. The name follows the same
// rules as a topic's (see [New]), and NewProcedure panics on an invalid one.
// Procedures and topics live in separate namespaces: a topic and a procedure
// may share a name.
func NewProcedure[Req, Resp any](name string) Procedure[Req, Resp] {
	if err := ValidateName(name); err != nil {
		panic(err)
	}
	return Procedure[Req, Resp]{name: name, req: newBoxes[Req](), resp: newBoxes[Resp]()}
}

// Name returns the procedure's name, as it travels on the wire.
func (p Procedure[Req, Resp]) Name() string { return p.name }

// String returns the procedure's name.
func (p Procedure[Req, Resp]) String() string { return p.name }
