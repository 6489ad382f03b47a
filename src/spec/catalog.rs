//! The built-in EC2 instance catalog: vCPU, memory, on-demand price, EKS max pods, architecture.
//!
//! Source: `docs/reference/nodes-spot-cost.md` §5. Prices are
//! us-east-1 Linux on-demand from Karpenter's generated price file
//! (`aws/karpenter-provider-aws` v1.14.1, identical at v0.32.0 and v1.0.0);
//! vCPU and memory from cluster-autoscaler's `ec2_instance_types.go` (CA
//! 1.36.1). Max pods follow the VPC CNI formula `ENIs × (IPv4 per ENI − 1) + 2`
//! with the ENI limits the reference quotes (t3.medium 3 × 6 → 17, m5.large
//! 3 × 10 → 29, every xlarge and 2xlarge listed 4 × 15 → 58). The reference
//! gives only prices for the "neighbour" types (t3.large, m5.4xlarge,
//! m6i/m6a/m7g/c7g/c6i/r6i .xlarge); their vCPU, memory and ENI limits are
//! AWS's published sizes for those types (t3.large 3 × 12 → 35, m5.4xlarge
//! 8 × 30 → 234, the xlarge types 4 × 15 → 58), marked `from_reference_table: false`.

use crate::units::{NANOS_PER_SEC, Nanos};

/// CPU architecture of an instance type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arch {
    /// x86-64 (Intel, AMD).
    X86_64,
    /// 64-bit Arm (AWS Graviton).
    Arm64,
}

/// One EC2 instance type.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InstanceType {
    /// API name, such as `m5.xlarge`.
    pub name: &'static str,
    /// CPU architecture.
    pub arch: Arch,
    /// Virtual CPUs.
    pub vcpus: u32,
    /// Memory in bytes.
    pub memory_bytes: u64,
    /// On-demand Linux price in us-east-1, US dollars per hour.
    pub on_demand_usd_per_hour: f64,
    /// Most pods on an EKS node (VPC CNI, no prefix delegation).
    pub max_pods: u32,
    /// Whether every figure is in the reference's main table (otherwise see the module docs).
    pub from_reference_table: bool,
}

/// Bytes in one GiB.
const GIB: u64 = 1 << 30;

/// Default median time from launching an EC2 Linux instance until it is ready: 70 s.
///
/// The reference's suggested default (derived) is a lognormal with median
/// "about 60–75 s" and p95 "about 120–150 s" (§6.1, from measurements in
/// `aws/karpenter-provider-aws#3102` and `#6128`); capsim takes 70 s and 135 s.
pub const EC2_BOOT_MEDIAN_NS: Nanos = 70 * NANOS_PER_SEC;
/// Default 95th percentile of the Linux launch-to-ready time: 135 s (see [`EC2_BOOT_MEDIAN_NS`]).
pub const EC2_BOOT_P95_NS: Nanos = 135 * NANOS_PER_SEC;
/// Typical Windows launch-to-ready time: about 5 min (§6.1, hackernoon 2024, third-party).
pub const EC2_BOOT_WINDOWS_NS: Nanos = 300 * NANOS_PER_SEC;
/// A launch not ready by then counts as failed: 15 min (CA `--max-node-provision-time`, §1.1).
pub const EC2_PROVISION_TIMEOUT_NS: Nanos = 900 * NANOS_PER_SEC;

/// Shorthand for a catalog row.
const fn t(
    name: &'static str,
    arch: Arch,
    vcpus: u32,
    memory_gib: u64,
    usd: f64,
    max_pods: u32,
    from_reference_table: bool,
) -> InstanceType {
    InstanceType {
        name,
        arch,
        vcpus,
        memory_bytes: memory_gib * GIB,
        on_demand_usd_per_hour: usd,
        max_pods,
        from_reference_table,
    }
}

use Arch::{Arm64, X86_64};

/// Every built-in type, sorted by name.
static CATALOG: [InstanceType; 18] = [
    t("c5.2xlarge", X86_64, 8, 16, 0.34, 58, true),
    t("c5.xlarge", X86_64, 4, 8, 0.17, 58, true),
    t("c6g.xlarge", Arm64, 4, 8, 0.136, 58, true),
    t("c6i.xlarge", X86_64, 4, 8, 0.17, 58, false),
    t("c7g.xlarge", Arm64, 4, 8, 0.145, 58, false),
    t("m5.2xlarge", X86_64, 8, 32, 0.384, 58, true),
    t("m5.4xlarge", X86_64, 16, 64, 0.768, 234, false),
    t("m5.large", X86_64, 2, 8, 0.096, 29, true),
    t("m5.xlarge", X86_64, 4, 16, 0.192, 58, true),
    t("m6a.xlarge", X86_64, 4, 16, 0.1728, 58, false),
    t("m6g.xlarge", Arm64, 4, 16, 0.154, 58, true),
    t("m6i.xlarge", X86_64, 4, 16, 0.192, 58, false),
    t("m7g.xlarge", Arm64, 4, 16, 0.1632, 58, false),
    t("m7i.xlarge", X86_64, 4, 16, 0.2016, 58, true),
    t("r5.xlarge", X86_64, 4, 32, 0.252, 58, true),
    t("r6i.xlarge", X86_64, 4, 32, 0.252, 58, false),
    t("t3.large", X86_64, 2, 8, 0.0832, 35, false),
    t("t3.medium", X86_64, 2, 4, 0.0416, 17, true),
];

/// Every built-in instance type, sorted by name.
pub fn all() -> &'static [InstanceType] {
    &CATALOG
}

/// The built-in type called `name` (exact, case-sensitive as AWS writes it).
pub fn lookup(name: &str) -> Option<&'static InstanceType> {
    CATALOG
        .binary_search_by(|it| it.name.cmp(name))
        .ok()
        .map(|i| &CATALOG[i])
}

/// The closest built-in name to a misspelled `name`, for "did you mean" hints.
///
/// Closest by edit distance (case-insensitive), if within a third of the
/// name's length (at least 2 edits); the first in name order on ties.
pub fn did_you_mean(name: &str) -> Option<&'static str> {
    closest(name, CATALOG.iter().map(|it| it.name))
}

/// The closest of `names` to a misspelled `name`, by the rule of
/// [`did_you_mean`] (edit distance, case-insensitive, within a third of the
/// name's length and at least 2 edits; the first on ties).
pub fn closest<'a>(name: &str, names: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted = name.trim().to_ascii_lowercase();
    let limit = (wanted.chars().count() / 3).max(2);
    names
        .into_iter()
        .map(|n| (edit_distance(&wanted, &n.to_ascii_lowercase()), n))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, _)| d)
        .map(|(_, n)| n)
}

/// Levenshtein distance between `a` and `b`, in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_match_the_reference_table() {
        // §5.1: m5.xlarge x86 4 vCPU 16 GiB $0.1920; §5.2: 58 pods.
        let m5 = lookup("m5.xlarge").unwrap();
        assert_eq!(
            (m5.arch, m5.vcpus, m5.memory_bytes),
            (Arch::X86_64, 4, 16 * GIB)
        );
        assert_eq!((m5.on_demand_usd_per_hour, m5.max_pods), (0.192, 58));
        // t3.medium 2 vCPU 4 GiB $0.0416, 3 ENIs × 6 IPs → 3 × 5 + 2 = 17 pods.
        let t3 = lookup("t3.medium").unwrap();
        assert_eq!(
            (
                t3.vcpus,
                t3.memory_bytes,
                t3.on_demand_usd_per_hour,
                t3.max_pods
            ),
            (2, 4 * GIB, 0.0416, 17)
        );
        // m5.large: 3 × 10 → 29 pods; c6g.xlarge arm64 8 GiB $0.1360; r5.xlarge 32 GiB $0.2520.
        assert_eq!(lookup("m5.large").unwrap().max_pods, 29);
        let c6g = lookup("c6g.xlarge").unwrap();
        assert_eq!(
            (c6g.arch, c6g.memory_bytes, c6g.on_demand_usd_per_hour),
            (Arch::Arm64, 8 * GIB, 0.136)
        );
        assert_eq!(lookup("r5.xlarge").unwrap().memory_bytes, 32 * GIB);
        assert_eq!(lookup("m7i.xlarge").unwrap().on_demand_usd_per_hour, 0.2016);
        assert_eq!(lookup("c5.2xlarge").unwrap().vcpus, 8);
        // Every row of the main table is there and marked so.
        let table = [
            "t3.medium",
            "m5.large",
            "m5.xlarge",
            "m5.2xlarge",
            "c5.xlarge",
            "c5.2xlarge",
            "r5.xlarge",
            "m6g.xlarge",
            "c6g.xlarge",
            "m7i.xlarge",
        ];
        for name in table {
            assert!(lookup(name).unwrap().from_reference_table, "{name}");
        }
        assert_eq!(
            all().iter().filter(|it| it.from_reference_table).count(),
            table.len()
        );
    }

    #[test]
    fn catalog_is_sorted_and_consistent() {
        assert!(all().windows(2).all(|w| w[0].name < w[1].name));
        for it in all() {
            // VPC CNI formula values only.
            assert!([17, 29, 35, 58, 234].contains(&it.max_pods), "{}", it.name);
            assert!(it.on_demand_usd_per_hour > 0.0 && it.vcpus > 0);
        }
        assert!(lookup("m5.XLARGE").is_none());
        assert!(lookup("m9.xlarge").is_none());
    }

    #[test]
    fn misspellings_get_suggestions() {
        assert_eq!(did_you_mean("m5.xlarg"), Some("m5.xlarge"));
        assert_eq!(did_you_mean("M5.XLarge"), Some("m5.xlarge"));
        assert_eq!(did_you_mean("t3.medum"), Some("t3.medium"));
        assert_eq!(did_you_mean("c6g.xl"), None);
        assert_eq!(did_you_mean("postgres"), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn boot_defaults() {
        const { assert!(EC2_BOOT_MEDIAN_NS < EC2_BOOT_P95_NS) };
        assert_eq!(EC2_PROVISION_TIMEOUT_NS, 15 * 60 * NANOS_PER_SEC);
    }
}
