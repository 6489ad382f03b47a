//! Capacity at the SLO: the largest request rate one Ready pod carries
//! while its response-time quantile stays within the SLO's latency target
//! (and its failures within the availability target).
//!
//! The pod (DESIGN §3.3: `concurrency` c slots, a FIFO queue, CPU limit L
//! shared as limited processor sharing, `cpu` work and optional `io` wait)
//! is modelled in two layers (docs/headroom.md has the derivation and the
//! measured accuracy):
//!
//! * **CPU sharing.** The requests in their CPU phase form a limited
//!   processor-sharing queue with L cores; its occupancy N is the exact
//!   birth–death P(N = n) ∝ Πⱼ a / min(j, L), a = λ·E\[cpu\] (insensitive to
//!   the work distribution). A request that finds n others keeps their
//!   company for its whole CPU phase (the "frozen environment"
//!   approximation): its work is stretched by G = max(1, (min(n, c−1) + 1)/L).
//!   This gives processor sharing's exact mean E\[S\]/(1 − ρ). With L ≥ c
//!   (or no limit) G = 1: the CPU never binds.
//! * **Slots.** The c slots are an M/G/c FCFS queue whose service is the
//!   slot-holding time X = cpu·G + io. P(wait) = C(c, λ·E\[X\]) (Erlang C);
//!   a wait is exponential with rate θ' = 2(c/E\[X\] − λ)/(1 + SCV\[X\])
//!   (Allen–Cunneen/Kingman scaling; exact mean for M/G/1 by
//!   Pollaczek–Khinchine). The response time is T = Wq + X. Unlimited slots
//!   never wait.
//!
//! Exact cases: L ≥ c (or no limit), no I/O, exponential work is M/M/c, and
//! P(T > t) is docs/reference/queueing.md's closed form; one slot with L < 1 is M/M/1 at
//! rate L/E\[cpu\]. Arrivals at a pod are Poisson at λ/N (exact for `random`
//! balancing, conservative for round robin and least-request).

use super::erlang::{erlang_b, erlang_c};
use super::service_time::{Holding, Work, compress};
use crate::spec::{PodSpec, RequestSpec, SloSpec};

/// Occupancy states kept one by one before the rest is lumped together.
const MAX_STATES: u64 = 20_000;
/// More slowdown atoms than this are compressed onto the quantile cells.
const MAX_ATOMS: usize = 150;

/// One pod as a queue: what its capacity is computed from.
#[derive(Debug, Clone)]
pub struct PodQueue {
    /// Worker slots c (`None` = unlimited).
    pub slots: Option<u32>,
    /// CPU limit L, cores (`None` = unthrottled).
    pub cores: Option<f64>,
    /// The work of one request.
    pub work: Work,
    /// The FIFO queue's length limit.
    pub queue_limit: Option<u32>,
    /// The client's timeout, seconds.
    pub timeout_s: Option<f64>,
}

/// The pod at one arrival rate: its holding time and its slot queue.
struct State<'q> {
    holding: Holding<'q>,
    /// P(an arrival waits for a slot).
    wait: f64,
    /// c/E\[X\] − λ: how fast the slot queue drains.
    drain: f64,
}

impl State<'_> {
    /// P(T > t).
    fn tail(&self, t: f64) -> f64 {
        if self.wait == 0.0 {
            return self.holding.survival(t);
        }
        if self.holding.is_exponential() {
            return mmk_tail(self.wait, self.drain, 1.0 / self.holding.mean_s(), t);
        }
        let rate = 2.0 * self.drain / (1.0 + self.holding.scv());
        // P(X + Exp(rate) > t) = E\[min(1, e^(−rate·(t − X)))\].
        let after_wait = self.holding.expect(|x| (-rate * (t - x)).min(0.0).exp());
        (1.0 - self.wait) * self.holding.survival(t) + self.wait * after_wait
    }
}

impl PodQueue {
    /// The queue of a pod of `pod` serving requests shaped like `request`.
    pub fn of(pod: &PodSpec, request: &RequestSpec) -> PodQueue {
        PodQueue {
            slots: pod.concurrency,
            cores: pod.cpu_limit_cores,
            work: Work::new(request.cpu, request.io),
            queue_limit: pod.queue_limit,
            timeout_s: request.timeout_ns.map(|t| t as f64 / 1e9),
        }
    }

    /// An upper bound of the rate the pod can carry (requests/s): L/E\[cpu\] and c/E\[cpu/min(1, L) + io\].
    pub fn saturation_rps(&self) -> f64 {
        let cpu = self.work.cpu.mean_s();
        let io = self.work.io.as_ref().map_or(0.0, |d| d.mean_s());
        let alone = cpu / self.cores.map_or(1.0, |l| l.min(1.0)) + io;
        let by_cores = self.cores.map_or(f64::INFINITY, |l| l / cpu);
        let by_slots = self.slots.map_or(f64::INFINITY, |c| f64::from(c) / alone);
        by_cores.min(by_slots)
    }

    /// The distribution of the CPU slowdown G at `rps` (`None` when the CPU saturates).
    pub fn slowdown(&self, rps: f64) -> Option<Vec<(f64, f64)>> {
        let Some(l) = self.cores else {
            return Some(vec![(1.0, 1.0)]);
        };
        if self.slots.is_some_and(|c| f64::from(c) <= l) {
            return Some(vec![(1.0, 1.0)]);
        }
        let a = rps * self.work.cpu.mean_s();
        if a >= l {
            return None;
        }
        let cap = self.slots.map_or(u64::MAX, |c| u64::from(c) - 1);
        let g = |n: f64| ((n.min(cap as f64) + 1.0) / l).max(1.0);
        let rho = a / l;
        let mut atoms: Vec<(f64, f64)> = Vec::new();
        let (mut p, mut total, mut n) = (1.0, 0.0, 0u64);
        loop {
            let geometric = n as f64 >= l.ceil();
            // From here on p_{n+k} = p·ρᵏ: stop when that tail is negligible or too long.
            if geometric && (p / (1.0 - rho) < 1e-13 * total || n >= cap || n >= MAX_STATES) {
                let tail = p / (1.0 - rho);
                if tail > 0.0 {
                    // The tail's mean state is n + ρ/(1−ρ); G is linear in n up to the cap.
                    atoms.push((g(n as f64 + rho / (1.0 - rho)), tail));
                    total += tail;
                }
                break;
            }
            atoms.push((g(n as f64), p));
            total += p;
            n += 1;
            p *= a / (n as f64).min(l);
        }
        for atom in &mut atoms {
            atom.1 /= total;
        }
        // States past the cap share one slowdown: one atom each.
        atoms.dedup_by(|later, earlier| {
            let same = later.0 == earlier.0;
            if same {
                earlier.1 += later.1;
            }
            same
        });
        Some(if atoms.len() > MAX_ATOMS {
            compress(&mut atoms)
        } else {
            atoms
        })
    }

    /// The pod at `rps`, or `None` if it saturates (CPU or slots).
    fn state(&self, rps: f64) -> Option<State<'_>> {
        let holding = Holding::new(&self.work, self.slowdown(rps.max(0.0))?);
        let (wait, drain) = match self.slots {
            Some(c) if rps > 0.0 => {
                let a = rps * holding.mean_s();
                if a >= f64::from(c) {
                    return None;
                }
                (erlang_c(c, a), f64::from(c) / holding.mean_s() - rps)
            }
            _ => (0.0, f64::INFINITY),
        };
        Some(State {
            holding,
            wait,
            drain,
        })
    }

    /// E\[T\], seconds: E\[Wq\] + E\[X\] (infinite past saturation).
    pub fn mean_response_s(&self, rps: f64) -> f64 {
        let Some(s) = self.state(rps) else {
            return f64::INFINITY;
        };
        let wait = if s.wait > 0.0 {
            s.wait * (1.0 + s.holding.scv()) / (2.0 * s.drain)
        } else {
            0.0
        };
        wait + s.holding.mean_s()
    }

    /// P(T > `t_s`): the response time exceeds `t_s` seconds at `rps` requests/s (1 past saturation).
    pub fn response_tail(&self, rps: f64, t_s: f64) -> f64 {
        self.state(rps).map_or(1.0, |s| s.tail(t_s))
    }

    /// The `p`-quantile of the response time at `rps`, seconds (infinite past saturation).
    pub fn response_quantile_s(&self, rps: f64, p: f64) -> f64 {
        let Some(state) = self.state(rps) else {
            return f64::INFINITY;
        };
        let mut hi = state.holding.mean_s().max(1e-9);
        while state.tail(hi) > 1.0 - p {
            hi *= 2.0;
        }
        let mut lo = 0.0;
        for _ in 0..100 {
            let mid = (lo + hi) / 2.0;
            if state.tail(mid) > 1.0 - p {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        hi
    }

    /// Share of arrivals turned away by a full queue at `rps` (1 past saturation).
    pub fn blocking(&self, rps: f64) -> f64 {
        self.state(rps).map_or(1.0, |s| self.blocked(&s, rps))
    }

    /// M/M/c/c+K blocking of the slot queue: B·ρᴷ / (1 + B·Σ_{j=1..K} ρʲ) with a = λ·E\[X\].
    fn blocked(&self, state: &State, rps: f64) -> f64 {
        let (Some(limit), Some(c)) = (self.queue_limit, self.slots) else {
            return 0.0;
        };
        let a = rps * state.holding.mean_s();
        if a <= 0.0 {
            return 0.0;
        }
        let (b, rho, k) = (erlang_b(c, a), a / f64::from(c), f64::from(limit));
        let sum = rho * (1.0 - rho.powf(k)) / (1.0 - rho);
        b * rho.powf(k) / (1.0 + b * sum)
    }

    /// Rejected, or answered after the client's timeout.
    fn failing(&self, state: &State, rps: f64) -> f64 {
        let blocked = self.blocked(state, rps);
        let late = self.timeout_s.map_or(0.0, |t| state.tail(t));
        blocked + (1.0 - blocked) * late
    }

    /// Share of requests that fail at `rps`: rejected, or answered after the client's timeout (1 past saturation).
    pub fn unavailability(&self, rps: f64) -> f64 {
        self.state(rps).map_or(1.0, |s| self.failing(&s, rps))
    }

    /// Whether the pod meets `slo` at `rps`.
    pub fn meets(&self, slo: &SloSpec, rps: f64) -> bool {
        let Some(state) = self.state(rps) else {
            return false;
        };
        slo.latency
            .is_none_or(|l| state.tail(l.target_ns as f64 / 1e9) <= 1.0 - l.quantile)
            && slo
                .availability
                .is_none_or(|a| self.failing(&state, rps) <= 1.0 - a)
    }
}

/// P(T > t) of M/M/c FCFS (docs/reference/queueing.md): `wait` = C, `drain` = θ = cμ − λ, `mu` = μ.
fn mmk_tail(wait: f64, drain: f64, mu: f64, t: f64) -> f64 {
    let service_only = (1.0 - wait) * (-mu * t).exp();
    if (drain - mu).abs() < 1e-9 * mu {
        service_only + wait * (1.0 + mu * t) * (-mu * t).exp()
    } else {
        service_only + wait * (drain * (-mu * t).exp() - mu * (-drain * t).exp()) / (drain - mu)
    }
}

/// The largest rate (requests/s) at which one pod of `queue` meets `slo`:
/// 0 if it misses it even idle, infinite if nothing bounds it.
pub fn capacity_rps(queue: &PodQueue, slo: &SloSpec) -> f64 {
    if !queue.meets(slo, 0.0) {
        return 0.0;
    }
    let top = queue.saturation_rps();
    if !top.is_finite() {
        return f64::INFINITY;
    }
    let (mut lo, mut hi) = (0.0, top);
    while hi - lo > 1e-9 * top {
        let mid = (lo + hi) / 2.0;
        if queue.meets(slo, mid) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    lo
}

#[cfg(test)]
#[path = "capacity_tests.rs"]
mod tests;
