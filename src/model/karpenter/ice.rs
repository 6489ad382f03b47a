//! The insufficient-capacity cache (Karpenter's unavailable offerings,
//! reference §3.1 and §3.4): an (instance type, zone, capacity type) offering
//! that failed to launch, or whose spot node was interrupted, is skipped for
//! 3 minutes.

use std::collections::BTreeMap;

use super::ICE_TTL_NS;
use crate::spec::resources::CapacityType;
use crate::units::Nanos;

/// Unavailable offerings, each until an expiry time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IceCache {
    /// How long an entry lasts.
    ttl_ns: Nanos,
    /// Instance type → (zone, capacity type) → unavailable until (exclusive).
    /// Nested so that lookups borrow `&str` without allocating.
    until_ns: BTreeMap<String, BTreeMap<(String, CapacityType), Nanos>>,
}

impl Default for IceCache {
    fn default() -> Self {
        IceCache::new(ICE_TTL_NS)
    }
}

impl IceCache {
    /// An empty cache whose entries last `ttl_ns` (Karpenter: [`ICE_TTL_NS`]).
    pub fn new(ttl_ns: Nanos) -> IceCache {
        IceCache {
            ttl_ns,
            until_ns: BTreeMap::new(),
        }
    }

    /// Marks the offering unavailable from `now_ns` for the TTL (a later mark extends it).
    pub fn mark(&mut self, instance_type: &str, zone: &str, cap: CapacityType, now_ns: Nanos) {
        let until = now_ns + self.ttl_ns;
        let e = self
            .until_ns
            .entry(instance_type.to_string())
            .or_default()
            .entry((zone.to_string(), cap))
            .or_insert(until);
        *e = (*e).max(until);
    }

    /// Whether the offering is unavailable at `now_ns`.
    pub fn is_unavailable(
        &self,
        instance_type: &str,
        zone: &str,
        cap: CapacityType,
        now_ns: Nanos,
    ) -> bool {
        self.until_ns.get(instance_type).is_some_and(|zones| {
            zones
                .iter()
                .any(|((z, c), &until)| z == zone && *c == cap && now_ns < until)
        })
    }

    /// Drops entries expired at `now_ns`.
    pub fn purge(&mut self, now_ns: Nanos) {
        for zones in self.until_ns.values_mut() {
            zones.retain(|_, until| now_ns < *until);
        }
        self.until_ns.retain(|_, zones| !zones.is_empty());
    }

    /// Number of entries held (expired ones included until [`IceCache::purge`]).
    pub fn len(&self) -> usize {
        self.until_ns.values().map(BTreeMap::len).sum()
    }

    /// Whether no entry is held.
    pub fn is_empty(&self) -> bool {
        self.until_ns.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::NANOS_PER_SEC as S;

    #[test]
    fn entries_expire_after_three_minutes() {
        let mut ice = IceCache::default();
        ice.mark("c5.xlarge", "us-east-1a", CapacityType::Spot, 10 * S);
        assert!(ice.is_unavailable("c5.xlarge", "us-east-1a", CapacityType::Spot, 10 * S));
        assert!(ice.is_unavailable("c5.xlarge", "us-east-1a", CapacityType::Spot, 189 * S));
        // 10 s + 180 s: available again.
        assert!(!ice.is_unavailable("c5.xlarge", "us-east-1a", CapacityType::Spot, 190 * S));
        // Other zone / capacity type unaffected.
        assert!(!ice.is_unavailable("c5.xlarge", "us-east-1b", CapacityType::Spot, 10 * S));
        assert!(!ice.is_unavailable("c5.xlarge", "us-east-1a", CapacityType::OnDemand, 10 * S));
        ice.purge(189 * S);
        assert_eq!(ice.len(), 1);
        ice.purge(190 * S);
        assert!(ice.is_empty());
    }
}
