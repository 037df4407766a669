package executor

// lbActions are the create and delete actions of the load balancer kinds,
// as the journal names them.
var lbActions = map[string]struct{ create, delete string }{
	"load_balancer": {"CreateLoadBalancer", "DeleteLoadBalancer"},
	"certificate":   {"UploadCACertificate", "DeleteCACertificate"},
}
