package emulator

import (
	"errors"
	"fmt"

	"github.com/capitalonline/cds-gic-sdk-go/common"
	"github.com/capitalonline/cds-gic-sdk-go/instance"
)

// dedicatedHosts drives the dedicated host actions with the official SDK
// as the official provider does: the types of a region (GET), a host of
// one of them with Amount 1 (POST: the id in Data, no task), then the
// listing by id and by name (GET). It returns the host's id.
func (e *sdkEnv) dedicatedHosts() string {
	e.t.Helper()
	str, num := common.StringPtr, common.IntPtr
	types := instance.NewDescribeDedicatedHostTypesRequest()
	types.RegionId = str("CN_Beijing_A")
	var goods, cpu, ram int
	e.do("instance.DescribeDedicatedHostTypes", func() error {
		resp, err := e.instGet.DescribeDedicatedHostTypes(types)
		if err != nil {
			return err
		}
		for _, t := range resp.Data {
			if t.VmTypeId != nil && *t.VmTypeId == "ded_standard" && t.GoodsId != nil && t.Cpu != nil && t.Ram != nil {
				goods, cpu, ram = *t.GoodsId, *t.Cpu, *t.Ram
			}
		}
		if goods == 0 {
			return fmt.Errorf("no ded_standard type in %s", resp.ToJsonString())
		}
		return nil
	})
	alloc := instance.NewAllocateDedicatedHostsRequest()
	alloc.RegionId, alloc.DedicatedHostType, alloc.DedicatedHostGoodId = str("CN_Beijing_A"), str("ded_standard"), num(goods)
	alloc.DedicatedHostName, alloc.DedicatedHostCpu, alloc.DedicatedHostRam = str("sdk-host"), num(cpu), num(ram)
	alloc.DedicatedHostLimit, alloc.Amount, alloc.PrepaidMonth, alloc.AutoRenew = num(1), num(1), num(1), num(1)
	var id string
	e.do("instance.AllocateDedicatedHosts", func() error {
		resp, err := e.instPost.AllocateDedicatedHosts(alloc)
		if err != nil {
			return err
		}
		if resp.Code == nil || *resp.Code != "Success" || len(resp.Data) != 1 || resp.Data[0] == nil {
			return fmt.Errorf("answer %s; want Code Success and one id", resp.ToJsonString())
		}
		id = *resp.Data[0]
		return nil
	})
	list := instance.NewDescribeDedicatedHostsRequest()
	list.HostId, list.PageNumber, list.PageSize = str(id), num(1), num(10)
	e.do("instance.DescribeDedicatedHosts", func() error {
		resp, err := e.instGet.DescribeDedicatedHosts(list)
		if err != nil {
			return err
		}
		if len(resp.Data.HostList) != 1 || *resp.Data.HostList[0].HostName != "sdk-host" || resp.Data.Total == nil || *resp.Data.Total != 1 {
			return fmt.Errorf("HostId=%s lists %s", id, resp.ToJsonString())
		}
		return nil
	})
	byName := instance.NewDescribeDedicatedHostsRequest()
	byName.HostName, byName.PageNumber, byName.PageSize = str("no-such-host"), num(1), num(10)
	e.do("instance.DescribeDedicatedHosts", func() error {
		resp, err := e.instGet.DescribeDedicatedHosts(byName)
		if err == nil && len(resp.Data.HostList) != 0 {
			return errors.New("a name no host has lists hosts")
		}
		return err
	})
	return id
}
