package spec

// The dedicated host kind (专有宿主机, the official SDK's
// AllocateDedicatedHosts): what it exports and its properties. Instances
// name one with dedicated_host: "${HOST.id}".
func init() {
	Kinds = append(Kinds, "dedicated_host")
	Exports["dedicated_host"] = map[string]string{"id": "string", "status": "string", "vm_count": "", "cpu_rate": "string",
		"ram_rate": "string", "end_bill_time": "string"}
	Properties["dedicated_host"] = []string{"name", "type", "goods_id", "cpu", "ram", "limit", "prepaid_month", "auto_renew", "region"}
}
