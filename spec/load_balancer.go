package spec

// The load balancer and certificate kinds (负载均衡概览.md): what they
// export, their properties and the certificate's sensitive private key.
func init() {
	Exports["load_balancer"] = map[string]string{"id": "string", "private_ip": "string", "public_ips": "list", "status": "string"}
	Exports["certificate"] = map[string]string{"id": "string", "not_after": "string", "domains": "list"}
	Properties["load_balancer"] = []string{"vdc", "name", "region", "cpu", "ram", "network", "public_network", "public_segment",
		"listeners", "custom_config"}
	Properties["certificate"] = []string{"name", "certificate", "private_key"}
	SensitiveProperties["certificate"] = []string{"private_key"}
}
