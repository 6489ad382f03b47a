//! Random-number streams derived from (seed, replication, stream).
//!
//! Every purpose in a run (arrivals of a service, its work sizes, its load
//! balancer, …) draws from its own stream, so adding a draw in one place never
//! shifts the numbers another place sees, and runs do not depend on the order
//! or thread they execute on. The profile is not part of the key: in a given
//! replication every profile draws the same arrivals and work (common random
//! numbers), so the differences between profiles are the profiles', and
//! adding a profile changes no other profile's results.

use rand::SeedableRng;
use rand_distr::{Distribution, Exp1};
use rand_xoshiro::Xoshiro256PlusPlus;

/// The generator used for every stream: fast, small, and of good statistical quality.
pub type SimRng = Xoshiro256PlusPlus;

/// A standard exponential draw: `rand_distr`'s [`Exp1`] (the same
/// ziggurat, so the same numbers), asked for by the distribution itself
/// so that it is inlined where it is drawn (the hot path draws two per
/// request).
#[inline(always)]
pub fn exp1(rng: &mut SimRng) -> f64 {
    <Exp1 as Distribution<f64>>::sample(&Exp1, rng)
}

/// Identifies one random stream of one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamKey {
    /// The scenario's seed.
    pub seed: u64,
    /// Index of the replication.
    pub replication: u32,
    /// Which purpose inside the run the stream serves.
    pub stream: u64,
}

/// SplitMix64 finaliser: a bijective mix with good avalanche.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl StreamKey {
    /// A 64-bit seed that depends on all four parts of the key.
    pub fn derive_seed(&self) -> u64 {
        const GOLDEN: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut h = mix(self.seed ^ GOLDEN);
        // The first part was once the profile's index; it stays 0 so that
        // every stream keeps the seed it had then.
        for part in [0, self.replication as u64, self.stream] {
            h = mix(h.wrapping_add(GOLDEN) ^ mix(part.wrapping_add(GOLDEN)));
        }
        h
    }

    /// A generator seeded for this stream.
    pub fn rng(&self) -> SimRng {
        SimRng::seed_from_u64(self.derive_seed())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    fn key(seed: u64, replication: u32, stream: u64) -> StreamKey {
        StreamKey {
            seed,
            replication,
            stream,
        }
    }

    #[test]
    fn streams_are_reproducible() {
        let a = key(7, 1, 3).rng().next_u64();
        let b = key(7, 1, 3).rng().next_u64();
        assert_eq!(a, b);
    }

    #[test]
    fn every_part_of_the_key_matters() {
        let base = key(7, 2, 3).derive_seed();
        for other in [key(8, 2, 3), key(7, 3, 3), key(7, 2, 4), key(7, 3, 2)] {
            assert_ne!(base, other.derive_seed(), "{other:?}");
        }
    }
}
