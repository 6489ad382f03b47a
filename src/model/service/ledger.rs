//! A pod's requests on dedicated CPU, booked at arrival by the
//! Kiefer–Wolfowitz recursion and settled when someone looks.
//!
//! On dedicated CPU a request's whole course is known when it arrives: a
//! FCFS pod with `c` worker slots starts it at `max(arrival, the earliest
//! free time of its slots)` (the slot frees at the finish of whatever it
//! holds, queued requests included), runs its CPU phase, then its I/O
//! wait, and finishes; nothing that happens later on other pods changes
//! that. So the pod books it then, as the Kiefer–Wolfowitz recursion does
//! (a min-heap of the slots' free times, one sift a request), instead of
//! scheduling a completion event and replaying the slot hand-over when it
//! fires. What is booked is settled — completions counted and their
//! latencies recorded, CPU time integrated exactly in core-nanoseconds —
//! whenever the pod's state is read (the world settles every booking pod
//! before any event other than a request's own, so every interval tick, HPA
//! sync, deletion or kill sees the state an event-by-event run would), and
//! a deletion or kill ends what is still booked.
//!
//! The result is the same as running each request's completion as an
//! event, except at exact nanosecond ties: a booked completion comes after
//! any other event at its instant (a slot that frees at the instant a
//! request arrives frees after the arrival, which waits for it; a
//! completion at an interval's end counts in the next interval), where the
//! event queue orders the two by scheduling order (docs/request-path.md).
//! (`model::booking_tests` runs scenarios both ways and compares every
//! result.)

use crate::units::Nanos;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

/// One booked request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Booking {
    /// When it arrived.
    pub arrival_ns: Nanos,
    /// When a worker slot takes it.
    pub start_ns: Nanos,
    /// When its CPU phase ends (its I/O wait begins).
    pub cpu_end_ns: Nanos,
    /// When it finishes and frees its slot.
    pub finish_ns: Nanos,
    /// It arrived after the warmup.
    pub measured: bool,
}

/// The booked requests of one pod with dedicated CPU.
#[derive(Debug, Clone)]
pub struct Ledger {
    /// Free times of the slots used so far (a min-heap; at most `slots`:
    /// a slot is added only when none is free).
    free: BinaryHeap<Reverse<Nanos>>,
    slots: u32,
    /// Most requests waiting for a slot (`u32::MAX`: no limit).
    queue_limit: u32,
    /// Start times of the requests booked to wait, in booking order (they
    /// are non-decreasing); those not yet started are the queue. Kept only
    /// with a queue limit.
    waiting: VecDeque<Nanos>,
    /// Bookings not yet settled as finished.
    open: Vec<Booking>,
    /// Time up to which CPU use has been integrated.
    settled_ns: Nanos,
    /// Open bookings at which the pod asks to be settled (twice as many as
    /// the last settle left, at least [`SETTLE_FROM`]).
    settle_at: usize,
}

/// Fewest open bookings at which a pod asks to be settled between the
/// events that settle it: memory stays proportional to the requests in
/// flight, not to those simulated since the last tick.
const SETTLE_FROM: usize = 4096;

/// Time of `[start, end)` inside `[from, to)`.
#[inline]
fn overlap(start: Nanos, end: Nanos, from: Nanos, to: Nanos) -> u64 {
    end.min(to).saturating_sub(start.max(from))
}

impl Ledger {
    /// A ledger for `slots` worker slots (`u32::MAX`: unlimited) and a
    /// queue of at most `queue_limit` requests.
    pub fn new(slots: u32, queue_limit: u32) -> Self {
        Ledger {
            free: BinaryHeap::new(),
            slots,
            queue_limit,
            waiting: VecDeque::new(),
            open: Vec::new(),
            settled_ns: 0,
            settle_at: SETTLE_FROM,
        }
    }

    /// Books a request arriving at `now` that needs `cpu_ns` of CPU then
    /// `io_ns` of I/O; `false` when the queue is full (it is rejected).
    #[inline]
    pub fn book(&mut self, now: Nanos, cpu_ns: Nanos, io_ns: Nanos, measured: bool) -> bool {
        let earliest = self.free.peek().map(|r| r.0);
        let (start, new_slot) = match earliest {
            // A free slot: the earliest freed takes it. (One that frees at
            // this very instant frees after the arrival, which waits for it.)
            Some(t) if t < now => (now, false),
            // A slot never used yet.
            _ if (self.free.len() as u64) < u64::from(self.slots) => (now, true),
            // Every slot is busy: wait for the earliest, if the queue has room.
            Some(t) => {
                if self.queue_limit != u32::MAX {
                    while self.waiting.front().is_some_and(|&s| s < now) {
                        self.waiting.pop_front();
                    }
                    if self.waiting.len() >= self.queue_limit as usize {
                        return false;
                    }
                    self.waiting.push_back(t);
                }
                (t, false)
            }
            // No slot at all.
            None => return false,
        };
        let cpu_end_ns = start.saturating_add(cpu_ns);
        let finish_ns = cpu_end_ns.saturating_add(io_ns);
        if new_slot {
            self.free.push(Reverse(finish_ns));
        } else if let Some(mut slot) = self.free.peek_mut() {
            slot.0 = finish_ns;
        }
        self.open.push(Booking {
            arrival_ns: now,
            start_ns: start,
            cpu_end_ns,
            finish_ns,
            measured,
        });
        true
    }

    /// Settles up to `now`: every booking finished before `done_before`
    /// is handed to `finished` and removed (in no particular order).
    /// Returns the CPU used since the last settle (core-ns).
    pub fn settle(
        &mut self,
        now: Nanos,
        done_before: Nanos,
        mut finished: impl FnMut(&Booking),
    ) -> u64 {
        let from = self.settled_ns;
        let mut core_ns = 0;
        let mut i = 0;
        while i < self.open.len() {
            let b = self.open[i];
            core_ns += overlap(b.start_ns, b.cpu_end_ns, from, now);
            if b.finish_ns < done_before {
                finished(&b);
                self.open.swap_remove(i);
            } else {
                i += 1;
            }
        }
        self.settled_ns = now;
        self.settle_at = SETTLE_FROM.max(2 * self.open.len());
        core_ns
    }

    /// Whether enough bookings are open for a settle (which then costs no
    /// more than the bookings made since the last one, twice over).
    #[inline]
    pub fn wants_settle(&self) -> bool {
        self.open.len() >= self.settle_at
    }

    /// Requests booked and not finished at the last settle (holding a slot or queued).
    pub fn in_flight(&self) -> u32 {
        self.open.len() as u32
    }

    /// Requests waiting for a slot at the last settle.
    pub fn queued(&self) -> u32 {
        let at = self.settled_ns;
        self.open.iter().filter(|b| b.start_ns > at).count() as u32
    }

    /// When the last booked request finishes (`None`: nothing booked).
    pub fn last_finish_ns(&self) -> Option<Nanos> {
        self.open.iter().map(|b| b.finish_ns).max()
    }

    /// The pod is killed (after a settle): every booking still open, which
    /// then leaves the ledger.
    pub fn kill(&mut self) -> Vec<Booking> {
        self.free.clear();
        self.waiting.clear();
        std::mem::take(&mut self.open)
    }
}

#[cfg(test)]
#[path = "ledger_tests.rs"]
mod tests;
