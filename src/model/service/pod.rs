//! A pod as a queue: worker slots, a FIFO queue, and a CPU shared under a limit.
//!
//! Requests hold a worker slot from the moment they start until they finish
//! (CPU phase, then optional I/O). While in their CPU phase, n requests share
//! the pod's CPU limit L as *limited processor sharing*: each progresses at
//! min(1, L/n) cores. Without a limit, or with L ≥ the slots, the rate is
//! always 1 and each CPU phase simply takes its work (a dedicated CPU). Otherwise
//! (a [`SharedCpu`]) the pod keeps a virtual clock: the work done so far by every
//! active request. A request's CPU phase ends when the virtual clock reaches
//! its start value plus its work, so only the smallest such tag needs an
//! event. That event is armed lazily: when a change makes the first finish
//! later (a newcomer slows everyone down), the armed event is kept and, on
//! firing early, re-armed; only a change that makes it earlier arms a new
//! event (with a new generation, so the old one is ignored as stale).

use crate::model::service::ledger::Ledger;
use crate::model::service::usage::Usage;
use crate::units::Nanos;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

/// What happened to a request offered to a pod.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// It got a worker slot and starts now.
    Start,
    /// It waits in the queue.
    Queued,
    /// The queue is full.
    Rejected,
}

/// `x.ceil().max(0.0) as Nanos`, without the library call `f64::ceil` is
/// on baseline x86-64 (this is on the shared-CPU hot path): 0 for a
/// negative or NaN `x`, saturating past `u64::MAX`.
#[inline]
fn ceil_ns(x: f64) -> Nanos {
    if x.is_nan() || x <= 0.0 {
        return 0;
    }
    let whole = x as Nanos;
    if (whole as f64) < x {
        whole.saturating_add(1)
    } else {
        whole
    }
}

/// Limited processor sharing with a virtual clock.
#[derive(Debug, Clone)]
pub struct SharedCpu {
    limit_cores: f64,
    /// (finish tag as f64 bits, request); tags are ≥ 0 so their bits sort like the values.
    active: BinaryHeap<Reverse<(u64, u32)>>,
    vtime_s: f64,
    last_ns: Nanos,
    /// Generation of the armed completion event; events of older generations are stale.
    generation: u32,
    /// When the armed completion event fires, if one is armed.
    armed_at: Option<Nanos>,
}

impl SharedCpu {
    fn rate(&self) -> f64 {
        let n = self.active.len() as f64;
        if n <= self.limit_cores {
            1.0
        } else {
            self.limit_cores / n
        }
    }

    fn advance(&mut self, now: Nanos) {
        if !self.active.is_empty() {
            self.vtime_s += (now - self.last_ns) as f64 * 1e-9 * self.rate();
        }
        self.last_ns = now;
    }

    /// Starts the CPU phase of `req` with `work_ns` of work.
    pub fn add(&mut self, now: Nanos, req: u32, work_ns: Nanos) {
        self.advance(now);
        let tag = self.vtime_s + work_ns as f64 * 1e-9;
        self.active.push(Reverse((tag.to_bits(), req)));
    }

    /// Removes the request whose CPU phase ends first, at `now`.
    pub fn pop_first(&mut self, now: Nanos) -> u32 {
        self.advance(now);
        let Reverse((tag, req)) = self
            .active
            .pop()
            .expect("a completion event implies an active request");
        self.vtime_s = self.vtime_s.max(f64::from_bits(tag));
        req
    }

    /// When the first CPU phase will end if nothing changes (the clock must be current at `now`).
    pub fn next_finish(&self, now: Nanos) -> Option<Nanos> {
        self.active.peek().map(|Reverse((tag, _))| {
            let left_s = (f64::from_bits(*tag) - self.vtime_s).max(0.0);
            // A thousandth of a nanosecond of slack absorbs rounding in the virtual clock.
            now.saturating_add(ceil_ns(left_s / self.rate() * 1e9 - 1e-3))
        })
    }

    /// After the active set changed at `now`: the completion event to schedule
    /// (time, generation), unless the armed one fires no later than the new first finish.
    pub fn rearm(&mut self, now: Nanos) -> Option<(Nanos, u32)> {
        let next = self.next_finish(now)?;
        if self.armed_at.is_some_and(|t| t <= next) {
            return None;
        }
        self.generation = self.generation.wrapping_add(1);
        self.armed_at = Some(next);
        Some((next, self.generation))
    }

    /// The completion event of `generation` fired at `now`: removes and returns the
    /// request whose CPU phase ended. `None` when the event is stale or early
    /// (call [`SharedCpu::rearm`] either way).
    pub fn fire(&mut self, now: Nanos, generation: u32) -> Option<u32> {
        self.advance(now);
        if generation != self.generation {
            return None;
        }
        self.armed_at = None;
        if self.next_finish(now)? > now {
            return None;
        }
        Some(self.pop_first(now))
    }

    /// Drops every active request (the pod is killed) and invalidates the armed event.
    pub fn clear(&mut self, now: Nanos) -> Vec<u32> {
        self.advance(now);
        self.generation = self.generation.wrapping_add(1);
        self.armed_at = None;
        self.active.drain().map(|Reverse((_, req))| req).collect()
    }

    /// Cores in use: min(n, L).
    pub fn usage_cores(&self) -> f64 {
        (self.active.len() as f64).min(self.limit_cores)
    }
}

/// One replica of a service.
///
/// The fields every request touches fit two 64-byte cache lines. The queue
/// and a shared CPU, which a request needs only when the pod is saturated
/// or throttled, live behind one pointer (allocated with a shared CPU, or at
/// the first queued request). A pod with dedicated CPU whose requests are
/// booked at arrival ([`Pod::booking`]) keeps them in its [`Ledger`]
/// instead, and its slot and queue counts stay unused.
#[derive(Debug, Clone)]
#[repr(align(64))]
pub struct Pod {
    /// CPU it used.
    pub usage: Usage,
    /// Requests it was given.
    pub arrivals: u64,
    ext: Option<Box<PodExt>>,
    ledger: Option<Box<Ledger>>,
    /// Index of the service it belongs to.
    pub service: u32,
    slots: u32,
    busy: u32,
    /// Length of the queue, kept here so that admitting and releasing a
    /// request do not follow `ext` while the queue is empty.
    queued: u32,
    queue_limit: u32,
    /// Deleted: it takes no new requests and exits once empty.
    pub terminating: bool,
}

/// What a pod needs only when saturated or throttled.
#[derive(Debug, Clone, Default)]
struct PodExt {
    queue: VecDeque<u32>,
    /// Limited processor sharing; `None`: every CPU-phase request runs at one core.
    shared: Option<SharedCpu>,
}

impl Pod {
    /// A pod with `slots` worker slots (`None` = unlimited), a queue of at most
    /// `queue_limit` (`None` = unbounded) and CPU limit `limit_cores` (`None` = unthrottled).
    /// Without a limit, or with L ≥ the slots, the CPU is dedicated: each
    /// CPU phase simply takes its work.
    pub fn new(
        service: u32,
        slots: Option<u32>,
        queue_limit: Option<u32>,
        limit_cores: Option<f64>,
    ) -> Self {
        let slots = slots.unwrap_or(u32::MAX);
        let ext = match limit_cores {
            Some(l) if l < slots as f64 => Some(Box::new(PodExt {
                queue: VecDeque::new(),
                shared: Some(SharedCpu {
                    limit_cores: l,
                    active: BinaryHeap::new(),
                    vtime_s: 0.0,
                    last_ns: 0,
                    generation: 0,
                    armed_at: None,
                }),
            })),
            _ => None,
        };
        Pod {
            usage: Usage::default(),
            arrivals: 0,
            ext,
            ledger: None,
            service,
            slots,
            busy: 0,
            queued: 0,
            queue_limit: queue_limit.unwrap_or(u32::MAX),
            terminating: false,
        }
    }

    /// Its CPU usage and, when the CPU is shared under a limit, the sharing
    /// state (`None`: dedicated CPU).
    #[inline]
    pub fn cpu_mut(&mut self) -> (&mut Usage, Option<&mut SharedCpu>) {
        let shared = self.ext.as_deref_mut().and_then(|e| e.shared.as_mut());
        (&mut self.usage, shared)
    }

    /// The pod books its requests at arrival in a [`Ledger`] if its CPU is
    /// dedicated (a shared CPU keeps the event-by-event path).
    pub fn booking(mut self) -> Self {
        if self.ext.is_none() {
            self.ledger = Some(Box::new(Ledger::new(self.slots, self.queue_limit)));
        }
        self
    }

    /// Its ledger, if it books its requests.
    #[inline]
    pub fn ledger_mut(&mut self) -> Option<&mut Ledger> {
        self.ledger.as_deref_mut()
    }

    /// Its ledger, if it books its requests, and its CPU use.
    #[inline]
    pub fn ledger_and_usage(&mut self) -> Option<(&mut Ledger, &mut Usage)> {
        Some((self.ledger.as_deref_mut()?, &mut self.usage))
    }

    /// Offers request `req` to the pod.
    #[inline]
    pub fn admit(&mut self, req: u32) -> Admission {
        if self.busy < self.slots {
            self.busy += 1;
            Admission::Start
        } else if self.queued < self.queue_limit {
            self.ext.get_or_insert_default().queue.push_back(req);
            self.queued += 1;
            Admission::Queued
        } else {
            Admission::Rejected
        }
    }

    /// A request gives up its slot; returns the queued request that takes it over, if any.
    #[inline]
    pub fn release(&mut self) -> Option<u32> {
        if self.queued == 0 {
            self.busy -= 1;
            return None;
        }
        self.queued -= 1;
        self.ext.as_mut().and_then(|e| e.queue.pop_front())
    }

    /// Requests waiting in the queue.
    #[inline]
    pub fn queued(&self) -> u32 {
        match &self.ledger {
            Some(l) => l.queued(),
            None => self.queued,
        }
    }

    /// The pod is killed: empties the queue and the shared CPU at `now` and
    /// returns the requests they held, and the fractional cores the pod was
    /// using (whole cores held on dedicated CPU are [`Usage::whole`]).
    pub fn kill(&mut self, now: Nanos) -> (Vec<u32>, f64) {
        self.queued = 0;
        let Some(ext) = self.ext.as_deref_mut() else {
            return (Vec::new(), self.usage.fractional_cores());
        };
        let mut held: Vec<u32> = std::mem::take(&mut ext.queue).into();
        let cores = match &mut ext.shared {
            Some(cpu) => {
                let cores = cpu.usage_cores();
                held.extend(cpu.clear(now));
                cores
            }
            None => self.usage.fractional_cores(),
        };
        (held, cores)
    }

    /// Requests holding a slot or queued (what `least_request` compares).
    #[inline]
    pub fn in_flight(&self) -> u32 {
        match &self.ledger {
            Some(l) => l.in_flight(),
            None => self.busy + self.queued,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_then_queue_then_reject() {
        let mut p = Pod::new(0, Some(2), Some(1), None);
        assert_eq!(p.admit(0), Admission::Start);
        assert_eq!(p.admit(1), Admission::Start);
        assert_eq!(p.admit(2), Admission::Queued);
        assert_eq!(p.admit(3), Admission::Rejected);
        assert_eq!(p.in_flight(), 3);
        assert_eq!(p.release(), Some(2));
        assert_eq!(p.release(), None);
        assert_eq!(p.release(), None);
        assert_eq!(p.in_flight(), 0);
    }

    #[test]
    fn ceil_ns_is_ceil_clamped_at_zero() {
        let mut x: u64 = 1;
        let mut values = vec![
            0.0,
            -0.0,
            -0.4,
            -7.0,
            0.3,
            1.0,
            1.0 + f64::EPSILON,
            2f64.powi(52) + 0.5,
            2f64.powi(53),
            2f64.powi(64),
            1e30,
            f64::INFINITY,
            f64::NAN,
        ];
        for _ in 0..10_000 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            values.push(f64::from_bits(x >> 2) % 1e12);
            values.push((x >> 11) as f64 / (1u64 << 20) as f64);
        }
        for v in values {
            assert_eq!(ceil_ns(v), v.ceil().max(0.0) as Nanos, "{v}");
        }
    }

    #[test]
    fn the_hot_fields_fit_two_cache_lines() {
        assert_eq!(std::mem::size_of::<Pod>(), 128);
        assert_eq!(std::mem::align_of::<Pod>(), 64);
    }

    #[test]
    fn kill_returns_the_queue_and_the_cores_in_use() {
        let mut p = Pod::new(0, Some(1), None, None);
        p.admit(1);
        p.usage.change(0, 1.0);
        p.admit(2);
        p.admit(3);
        assert_eq!(p.kill(5), (vec![2, 3], 1.0));
        assert_eq!(p.queued(), 0);
        assert_eq!(p.in_flight(), 1);
    }

    #[test]
    fn shared_cpu_slows_everyone_down_evenly() {
        // L = 1 core, two requests of 1 s started together finish together at 2 s.
        let mut p = Pod::new(0, None, None, Some(1.0));
        let (_, Some(cpu)) = p.cpu_mut() else {
            panic!("expected shared CPU")
        };
        cpu.add(0, 7, 1_000_000_000);
        cpu.add(0, 8, 1_000_000_000);
        assert_eq!(cpu.next_finish(0), Some(2_000_000_000));
        assert_eq!(cpu.pop_first(2_000_000_000), 7);
        assert_eq!(cpu.next_finish(2_000_000_000), Some(2_000_000_000));
        assert_eq!(cpu.pop_first(2_000_000_000), 8);
        // A 1 s job alone for 0.5 s, then shared with a newcomer: 0.5 s left at half speed.
        cpu.add(3_000_000_000, 1, 1_000_000_000);
        cpu.add(3_500_000_000, 2, 2_000_000_000);
        assert_eq!(cpu.next_finish(3_500_000_000), Some(4_500_000_000));
        assert_eq!(cpu.usage_cores(), 1.0);
    }

    #[test]
    fn completion_events_are_armed_lazily() {
        let mut p = Pod::new(0, None, None, Some(1.0));
        let (_, Some(cpu)) = p.cpu_mut() else {
            panic!("expected shared CPU")
        };
        // A 1 s job alone: armed for t = 1 s.
        cpu.add(0, 1, 1_000_000_000);
        assert_eq!(cpu.rearm(0), Some((1_000_000_000, 1)));
        // A newcomer at 0.5 s halves the speed: the first finish moves to 1.5 s,
        // later than the armed event, which is kept.
        cpu.add(500_000_000, 2, 1_000_000_000);
        assert_eq!(cpu.rearm(500_000_000), None);
        // It fires early at 1 s, finishes nothing, and re-arms for 1.5 s.
        assert_eq!(cpu.fire(1_000_000_000, 1), None);
        assert_eq!(cpu.rearm(1_000_000_000), Some((1_500_000_000, 2)));
        // A stale generation does nothing; the current one finishes job 1.
        assert_eq!(cpu.fire(1_500_000_000, 1), None);
        assert_eq!(cpu.fire(1_500_000_000, 2), Some(1));
        // Job 2 has 0.5 s of work left, alone again: done at 2 s.
        assert_eq!(cpu.rearm(1_500_000_000), Some((2_000_000_000, 3)));
        // A short newcomer that would finish first arms an earlier event.
        cpu.add(1_600_000_000, 3, 10_000_000);
        assert_eq!(cpu.rearm(1_600_000_000), Some((1_620_000_000, 4)));
    }

    #[test]
    fn a_limit_at_or_above_the_slots_never_throttles() {
        let shared = |mut p: Pod| p.cpu_mut().1.is_some();
        assert!(!shared(Pod::new(0, Some(4), None, Some(4.0))));
        assert!(shared(Pod::new(0, Some(4), None, Some(2.0))));
        assert!(shared(Pod::new(0, None, None, Some(64.0))));
        assert!(!shared(Pod::new(0, Some(4), None, None)));
    }
}
