package cloud

import (
	"strings"
	"time"
)

// Priors: how long an action's tasks typically take, where a wait with
// nothing learned (no task-duration cache for the action, no task of it
// seen done in this run) looks first. After that look the spacing grows by
// coldGrowth from a quarter of the prior, so a task longer than its prior
// is still found within a quarter of the time waited, and the first
// wait of each action also looks at an eighth of the prior (probeFraction):
// a cloud faster than the table shows itself in the first wave, as a stale
// cache does. Once a task of the run waited on from its prior took at
// least half of it, the cloud keeps the table's pace and the other
// actions' first waits (and a public network delete's WaitUntil) no
// longer probe (taskLearning.paced).
//
// Where the numbers come from. No document gives task durations: neither
// the current documents (capitalonline/openapi: 云主机概览, 虚拟数据中心概览,
// 私有网络概览, the database and load balancer overviews), nor the 2019
// reference, nor the official SDK, whose DescribeTask only polls every
// 10 s. So each prior is what the emulator's defaults model: every task
// takes Options.TaskLatency, 1 s in the README's examples and in the stack
// the official provider is compared on (BenchmarkRequestsPerPhase); the
// legacy security group actions (CreateSecurityGroup, …) answer a task
// already finished; a PublicNetwork bought with CreateVdc is one task.
// The first real run replaces every prior with what it saw (the cache).
var taskPriors = map[string]time.Duration{
	// The emulator's newTask actions: Options.TaskLatency (1 s).
	"CreateVdc": time.Second, "DeleteVdc": time.Second, "ModifyVdcName": time.Second,
	"CreatePublicNetwork": time.Second, "DeletePublicNetwork": time.Second, "ModifyPublicNetwork": time.Second,
	"AddPublicIp": time.Second, "DeletePublicIp": time.Second,
	"CreatePrivateNetwork": time.Second, "DeletePrivateNetwork": time.Second,
	"CreateInstance": time.Second, "DeleteInstance": time.Second,
	"StartInstance": time.Second, "StopInstance": time.Second, "RebootInstance": time.Second,
	"StartInstances": time.Second, "StopInstances": time.Second, "RebootInstances": time.Second,
	"ModifyInstanceSpec": time.Second, "ModifyInstanceChargeType": time.Second, "ResetImage": time.Second,
	"CreateDisk": time.Second, "ResizeDisk": time.Second, "DeleteDisk": time.Second, "ModifyIpAddress": time.Second,
	"CreateTemplate": time.Second, "DeleteTemplate": time.Second, "SyncTemplate": time.Second,
	"CreateLoadBalancer": time.Second, "DeleteLoadBalancer": time.Second,
	"CreateDBInstance": time.Second, "DeleteDBInstance": time.Second, "ModifyDBInstanceSpec": time.Second,
	"CreateReadOnlyDBInstance": time.Second, "ModifyDBParameter": time.Second,
	// The emulator's finishedTask actions: done when answered.
	"CreateSecurityGroup": settledAtOnce, "DeleteSecurityGroup": settledAtOnce, "ForceDeleteSecurityGroup": settledAtOnce,
	"ModifySecurityGroupAttribute": settledAtOnce, "AddSecurityGroupRule": settledAtOnce,
	"RemoveSecurityGroupRule": settledAtOnce, "ModifySecurityGroupRule": settledAtOnce,
	"ModifySecurityGroupRulePriority": settledAtOnce, "JoinSecurityGroup": settledAtOnce, "LeaveSecurityGroup": settledAtOnce,
}

// untilPrior is the prior of a change answered without a task (WaitUntil:
// a public network deleted in the background, security group rules and
// members taking effect): the emulator's TaskLatency, 1 s, as for tasks.
const untilPrior = defaultPrior

// settledAtOnce is the prior of a task the service answers already
// finished: a look soon after the answer.
const settledAtOnce = 50 * time.Millisecond

// defaultPrior is the prior of an action the table does not name: the
// emulator's 1 s.
const defaultPrior = time.Second

// taskPrior is the prior of action ("CreateVdc"; a product's actions are
// named "mysql/CreateDBInstance" and share the table's entry).
func taskPrior(action string) time.Duration {
	if i := strings.LastIndex(action, "/"); i >= 0 {
		action = action[i+1:]
	}
	if d, ok := taskPriors[action]; ok {
		return d
	}
	return defaultPrior
}
