//! Node allocatable on EKS: what pods can request on a node of a given type.
//!
//! Source: `docs/reference/nodes-spot-cost.md` §5.2 (EKS AMI nodeadm
//! `internal/kubelet/config.go`, Karpenter AWS `pkg/providers/instancetype/types.go`).
//!
//! ```text
//! allocatable = capacity − kube-reserved − system-reserved − eviction-hard − daemonsets
//! capacity.memory = (nominal − 64 MiB on Graviton) − ⌈7.5 % of that⌉ MiB   (Karpenter's VM overhead)
//! kube-reserved.cpu = 6 % of core 1 + 1 % of core 2 + 0.5 % of cores 3–4 + 0.25 % of each further core
//! kube-reserved.memory = 11 MiB × max_pods + 255 MiB
//! system-reserved = 0 (the EKS AMI names the cgroup but reserves nothing)
//! eviction-hard = memory.available < 100 Mi
//! pods = max_pods (VPC CNI), minus one slot per daemonset pod
//! ```
//!
//! The memory estimate is Karpenter's, which is what the reference's table of
//! derived allocatable figures uses (m5.xlarge → 3920 m, 14162 MiB). CPU is in
//! whole millicores: a fractional reservation (only for an odd core count
//! above 4) is rounded down. Ephemeral storage is not modelled.

use crate::spec::catalog::{Arch, InstanceType};
use crate::spec::resources::Resources;

/// Bytes in one MiB.
pub const MIB: i64 = 1 << 20;

/// Memory the kubelet keeps free before evicting (`evictionHard: memory.available < 100Mi`), in bytes.
pub const EVICTION_HARD_MEMORY_BYTES: i64 = 100 * MIB;

/// Share of nominal memory Karpenter assumes the OS never sees (`VM_MEMORY_OVERHEAD_PERCENT`, 7.5 %).
pub const VM_MEMORY_OVERHEAD_FRACTION: f64 = 0.075;

/// Memory Graviton (arm64) instances reserve for the contiguous memory allocator, in MiB.
pub const ARM64_CMA_MIB: i64 = 64;

/// kube-reserved memory per pod slot, in MiB (`11 × maxPods + 255`).
pub const KUBE_RESERVED_MIB_PER_POD: i64 = 11;

/// kube-reserved memory independent of pods, in MiB.
pub const KUBE_RESERVED_BASE_MIB: i64 = 255;

/// What the node keeps for itself, by reason (each a non-negative amount).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeOverhead {
    /// Nominal memory the OS does not see (VM overhead and Graviton CMA), in bytes.
    pub vm_memory_bytes: i64,
    /// kube-reserved CPU, in millicores.
    pub kube_reserved_cpu_milli: i64,
    /// kube-reserved memory, in bytes.
    pub kube_reserved_memory_bytes: i64,
    /// system-reserved (zero on the EKS AMI).
    pub system_reserved: Resources,
    /// The hard eviction threshold for memory, in bytes.
    pub eviction_memory_bytes: i64,
}

/// kube-reserved CPU for a node with `vcpus` cores, in millicores (rounded down).
///
/// 2 vCPU → 70 m, 4 → 80 m, 8 → 90 m, 16 → 110 m.
pub fn kube_reserved_cpu_milli(vcpus: u32) -> i64 {
    let n = i64::from(vcpus);
    // Tenths of a millicore per core: 6 % = 600, 1 % = 100, 0.5 % = 50, 0.25 % = 25.
    let tenths = 600 * n.min(1)
        + 100 * (n.min(2) - 1).max(0)
        + 50 * (n.min(4) - 2).max(0)
        + 25 * (n - 4).max(0);
    tenths / 10
}

/// kube-reserved memory for a node allowed `max_pods` pods, in bytes (`11 MiB × max_pods + 255 MiB`).
pub fn kube_reserved_memory_bytes(max_pods: u32) -> i64 {
    (KUBE_RESERVED_MIB_PER_POD * i64::from(max_pods) + KUBE_RESERVED_BASE_MIB) * MIB
}

/// The memory Karpenter assumes the OS sees on `it`, in bytes: nominal, less
/// the Graviton CMA, less ⌈7.5 %⌉ of the rest (in whole MiB).
pub fn visible_memory_bytes(it: &InstanceType) -> i64 {
    let mut mib = (it.memory_bytes / MIB as u64) as i64;
    if it.arch == Arch::Arm64 {
        mib -= ARM64_CMA_MIB;
    }
    let overhead_mib = (mib as f64 * VM_MEMORY_OVERHEAD_FRACTION).ceil() as i64;
    (mib - overhead_mib) * MIB
}

/// Everything a node of type `it` keeps for itself.
pub fn overhead(it: &InstanceType) -> NodeOverhead {
    NodeOverhead {
        vm_memory_bytes: it.memory_bytes as i64 - visible_memory_bytes(it),
        kube_reserved_cpu_milli: kube_reserved_cpu_milli(it.vcpus),
        kube_reserved_memory_bytes: kube_reserved_memory_bytes(it.max_pods),
        system_reserved: Resources::default(),
        eviction_memory_bytes: EVICTION_HARD_MEMORY_BYTES,
    }
}

/// The nominal capacity of `it`: all its vCPUs, nominal memory and max pods.
pub fn capacity(it: &InstanceType) -> Resources {
    Resources {
        cpu_milli: i64::from(it.vcpus) * 1000,
        memory_bytes: it.memory_bytes as i64,
        pods: i64::from(it.max_pods),
    }
}

/// What pods can request on a node of type `it` running `daemonset` (the sum
/// of its daemonset pods' requests, with `pods` = their count).
///
/// Each component is clamped at zero, so a daemonset larger than the node
/// leaves nothing rather than a negative amount.
pub fn allocatable(it: &InstanceType, daemonset: Resources) -> Resources {
    let o = overhead(it);
    let node = Resources {
        cpu_milli: i64::from(it.vcpus) * 1000 - o.kube_reserved_cpu_milli,
        memory_bytes: visible_memory_bytes(it)
            - o.kube_reserved_memory_bytes
            - o.eviction_memory_bytes,
        pods: i64::from(it.max_pods),
    };
    let left = node.minus(o.system_reserved).minus(daemonset);
    Resources {
        cpu_milli: left.cpu_milli.max(0),
        memory_bytes: left.memory_bytes.max(0),
        pods: left.pods.max(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::catalog::{all, lookup};

    fn it(name: &str) -> &'static InstanceType {
        lookup(name).unwrap()
    }

    fn none() -> Resources {
        Resources::default()
    }

    #[test]
    fn kube_reserved_cpu_follows_the_tiers() {
        // §5.2: 2 vCPU → 70 m, 4 → 80 m, 8 → 90 m.
        assert_eq!(kube_reserved_cpu_milli(1), 60);
        assert_eq!(kube_reserved_cpu_milli(2), 60 + 10);
        assert_eq!(kube_reserved_cpu_milli(4), 60 + 10 + 5 + 5);
        assert_eq!(kube_reserved_cpu_milli(8), 80 + 10); // 4 × 2.5 m
        assert_eq!(kube_reserved_cpu_milli(8), 90);
        assert_eq!(kube_reserved_cpu_milli(16), 80 + 30); // 12 × 2.5 m
        assert_eq!(kube_reserved_cpu_milli(5), 82); // 82.5 m rounded down
    }

    #[test]
    fn kube_reserved_memory_follows_max_pods() {
        // §5.2: 17 pods → 442 MiB, 29 → 574 MiB, 58 → 893 MiB.
        assert_eq!(kube_reserved_memory_bytes(17), 442 * MIB);
        assert_eq!(kube_reserved_memory_bytes(29), 574 * MIB);
        assert_eq!(kube_reserved_memory_bytes(58), 893 * MIB);
    }

    #[test]
    fn m5_xlarge_by_hand() {
        // 4 vCPU, 16 GiB, 58 pods.
        // CPU: 4000 − (60 + 10 + 5 + 5) = 3920 m.
        // Memory: 16384 MiB − ⌈16384 × 0.075 = 1228.8⌉ = 15155; − (11 × 58 + 255 = 893) − 100 = 14162 MiB.
        let a = allocatable(it("m5.xlarge"), none());
        assert_eq!(a.cpu_milli, 3920);
        assert_eq!(a.memory_bytes, 14162 * MIB);
        assert_eq!(a.pods, 58);
    }

    #[test]
    fn c5_2xlarge_by_hand() {
        // 8 vCPU, 16 GiB, 58 pods. CPU: 8000 − (60 + 10 + 2 × 5 + 4 × 2.5 = 90) = 7910 m.
        // Memory as m5.xlarge: 16384 − 1229 − 893 − 100 = 14162 MiB.
        let a = allocatable(it("c5.2xlarge"), none());
        assert_eq!(
            (a.cpu_milli, a.memory_bytes, a.pods),
            (7910, 14162 * MIB, 58)
        );
    }

    #[test]
    fn r5_xlarge_by_hand() {
        // 4 vCPU, 32 GiB, 58 pods. Memory: 32768 − ⌈2457.6⌉ = 30310; − 893 − 100 = 29317 MiB.
        let a = allocatable(it("r5.xlarge"), none());
        assert_eq!(
            (a.cpu_milli, a.memory_bytes, a.pods),
            (3920, 29317 * MIB, 58)
        );
    }

    #[test]
    fn t3_medium_by_hand() {
        // 2 vCPU, 4 GiB, 17 pods. CPU: 2000 − 70 = 1930 m.
        // Memory: 4096 − ⌈307.2⌉ = 3788; − (11 × 17 + 255 = 442) − 100 = 3246 MiB.
        let a = allocatable(it("t3.medium"), none());
        assert_eq!(
            (a.cpu_milli, a.memory_bytes, a.pods),
            (1930, 3246 * MIB, 17)
        );
    }

    #[test]
    fn graviton_loses_cma_before_the_vm_overhead() {
        // m6g.xlarge: (16384 − 64) = 16320; − ⌈1224.0⌉ = 15096; − 993 = 14103 MiB (reference table ~14103).
        assert_eq!(
            allocatable(it("m6g.xlarge"), none()).memory_bytes,
            14103 * MIB
        );
        // c6g.xlarge: 8128 − ⌈609.6⌉ = 7518; − 993 = 6525 MiB (reference table ~6525).
        assert_eq!(
            allocatable(it("c6g.xlarge"), none()).memory_bytes,
            6525 * MIB
        );
    }

    #[test]
    fn matches_the_reference_table() {
        // §5.2 derived table: (type, CPU m, memory MiB).
        let table = [
            ("t3.medium", 1930, 3246),
            ("m5.large", 1930, 6903),
            ("m5.xlarge", 3920, 14162),
            ("m7i.xlarge", 3920, 14162),
            ("m5.2xlarge", 7910, 29317),
            ("c5.xlarge", 3920, 6584),
            ("c5.2xlarge", 7910, 14162),
            ("r5.xlarge", 3920, 29317),
            ("m6g.xlarge", 3920, 14103),
            ("c6g.xlarge", 3920, 6525),
        ];
        for (name, cpu, mem) in table {
            let a = allocatable(it(name), none());
            assert_eq!((a.cpu_milli, a.memory_bytes), (cpu, mem * MIB), "{name}");
        }
    }

    #[test]
    fn daemonsets_come_off_and_clamp_at_zero() {
        let ds = Resources {
            cpu_milli: 250,
            memory_bytes: 512 * MIB,
            pods: 3,
        };
        let a = allocatable(it("m5.xlarge"), ds);
        assert_eq!(
            (a.cpu_milli, a.memory_bytes, a.pods),
            (3670, 13650 * MIB, 55)
        );
        let huge = Resources {
            cpu_milli: 10_000,
            memory_bytes: 1 << 40,
            pods: 100,
        };
        assert_eq!(allocatable(it("t3.medium"), huge), Resources::default());
    }

    #[test]
    fn overhead_accounts_for_the_gap() {
        for t in all() {
            let o = overhead(t);
            let gap = capacity(t).minus(allocatable(t, none()));
            assert_eq!(gap.cpu_milli, o.kube_reserved_cpu_milli, "{}", t.name);
            assert_eq!(
                gap.memory_bytes,
                o.vm_memory_bytes + o.kube_reserved_memory_bytes + o.eviction_memory_bytes,
                "{}",
                t.name
            );
            assert_eq!(gap.pods, 0);
        }
    }
}
