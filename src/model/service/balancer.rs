//! Load balancing across a service's Ready pods.

use crate::engine::rng::SimRng;
use crate::model::service::pod::Pod;
use crate::spec::Balancing;
use rand::RngExt;

/// Chooses the pod for each new request.
#[derive(Debug, Clone)]
pub struct Balancer {
    policy: Balancing,
    next: usize,
}

impl Balancer {
    /// A balancer with the given policy.
    pub fn new(policy: Balancing) -> Self {
        Balancer { policy, next: 0 }
    }

    /// Its policy.
    pub fn policy(&self) -> Balancing {
        self.policy
    }

    /// The pod (index into `pods`) among `endpoints` that gets the next request.
    #[inline]
    pub fn pick(&mut self, endpoints: &[u32], pods: &[Pod], rng: &mut SimRng) -> Option<u32> {
        let n = endpoints.len();
        if n <= 1 {
            return endpoints.first().copied();
        }
        Some(match self.policy {
            Balancing::RoundRobin => {
                let i = if self.next >= n { 0 } else { self.next };
                self.next = i + 1;
                endpoints[i]
            }
            Balancing::Random => endpoints[rng.random_range(0..n)],
            Balancing::LeastRequest => {
                // Power of two choices: two distinct random pods, the less loaded wins (ties: the first).
                let i = rng.random_range(0..n);
                let mut j = rng.random_range(0..n - 1);
                if j >= i {
                    j += 1;
                }
                let (a, b) = (endpoints[i], endpoints[j]);
                if pods[b as usize].in_flight() < pods[a as usize].in_flight() {
                    b
                } else {
                    a
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn pods(n: u32) -> Vec<Pod> {
        (0..n).map(|_| Pod::new(0, Some(1), None, None)).collect()
    }

    #[test]
    fn round_robin_cycles() {
        let mut b = Balancer::new(Balancing::RoundRobin);
        let p = pods(3);
        let mut rng = SimRng::seed_from_u64(1);
        let picks: Vec<u32> = (0..6)
            .map(|_| b.pick(&[0, 1, 2], &p, &mut rng).unwrap())
            .collect();
        assert_eq!(picks, vec![0, 1, 2, 0, 1, 2]);
        assert_eq!(b.pick(&[], &p, &mut rng), None);
    }

    #[test]
    fn least_request_prefers_the_idle_pod() {
        let mut b = Balancer::new(Balancing::LeastRequest);
        let mut p = pods(2);
        p[0].admit(9);
        let mut rng = SimRng::seed_from_u64(1);
        for _ in 0..20 {
            assert_eq!(b.pick(&[0, 1], &p, &mut rng), Some(1));
        }
    }

    #[test]
    fn random_spreads_evenly() {
        let mut b = Balancer::new(Balancing::Random);
        let p = pods(4);
        let mut rng = SimRng::seed_from_u64(1);
        let mut counts = [0u32; 4];
        for _ in 0..40_000 {
            counts[b.pick(&[0, 1, 2, 3], &p, &mut rng).unwrap() as usize] += 1;
        }
        // Each count is Binomial(40000, 1/4): σ ≈ 87.
        assert!(
            counts.iter().all(|&c| (c as i64 - 10_000).abs() < 500),
            "{counts:?}"
        );
    }
}
