//! The pending-event set, ordered by (time, insertion sequence).
//!
//! Equal times pop in the order they were pushed, which makes every run
//! deterministic whatever the data structure. Time and sequence number are
//! packed into one `u128` key (time in the high half), so keys are unique
//! and one integer comparison orders two entries; the pop order is the
//! order of the keys, so how the entries are stored cannot change a result.
//!
//! Two layouts, chosen by the queue's own measurements every
//! [`ADAPT_EVERY`] pushes: with few events pending, a 4-ary heap
//! ([`heap`]); with many (thousands of requests in flight), a calendar
//! wheel of time buckets ([`wheel`]) in front of the heap, which then
//! holds only the far future. The wheel's bucket width follows the mean
//! time between pushes, its span the mean lead time of pending events.
//!
//! Beside either layout, one *lane* slot holds an event of a recurring
//! stream (a service's next arrival, pushed by [`EventQueue::push_lane`]):
//! handling it schedules its successor, which takes the slot again, so
//! that stream never touches the heap or the wheel. A pop compares the
//! lane's key with the least key of the rest; the order is still the
//! order of the keys. The lane keeps a stream number, not the event: the
//! event is made ([`LaneEvent::from_lane`]) when it pops, in registers,
//! where copying an enum built on the stack into the slot cost a failed
//! store-to-load forward on every arrival.

mod heap;
mod wheel;

use crate::units::Nanos;
use heap::KeyHeap;
use wheel::Wheel;

/// Pushes between two looks at the queue's shape.
pub const ADAPT_EVERY: u32 = 8192;
/// Pending events from which the wheel pays off (measured with
/// `cargo bench --bench engine` and `--bench cluster`).
const WHEEL_FROM_LEN: usize = 384;
/// Most buckets a wheel gets.
const MAX_BUCKETS: usize = 1 << 16;

/// An event type one recurring stream of which can wait in the lane.
pub trait LaneEvent: Copy {
    /// The event of lane stream `stream` (the number given to
    /// [`EventQueue::push_lane`]).
    fn from_lane(stream: u32) -> Self;
}

/// Events waiting to fire, earliest first; ties in insertion order.
///
/// The earliest event is often the one just scheduled (the next arrival of
/// a busy service, say); with the heap layout it waits in `front`, outside
/// the heap, which saves a heap push and pop; invariant: `front` is
/// earlier than everything in the heap. With the wheel layout, `front` is
/// empty and the heap holds only entries beyond the wheel's window.
pub struct EventQueue<E> {
    /// The key and stream of an event pushed with
    /// [`EventQueue::push_lane`], kept out of the layouts (any key; the
    /// others may be earlier).
    lane: Option<(u128, u32)>,
    front: Option<(u128, E)>,
    heap: KeyHeap<E>,
    wheel: Option<Wheel<E>>,
    next_seq: u64,
    /// Time of the last look at the queue's shape.
    looked_at: Nanos,
}

impl<E: LaneEvent> Default for EventQueue<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E: LaneEvent> EventQueue<E> {
    /// An empty queue.
    pub fn new() -> Self {
        EventQueue {
            lane: None,
            front: None,
            heap: KeyHeap::new(),
            wheel: None,
            next_seq: 0,
            looked_at: 0,
        }
    }

    /// Adds `event` to fire at `at`, the time now being `now` (no later
    /// than `at`, nor than any event pushed from now on).
    #[inline(always)]
    pub fn push(&mut self, now: Nanos, at: Nanos, event: E) {
        let key = self.key(now, at);
        self.push_keyed(at, key, event);
    }

    /// Like [`EventQueue::push`] of `E::from_lane(stream)`, for the one
    /// stream of recurring events (each handled one schedules the next):
    /// the event waits in the lane slot if it is free, else it joins the
    /// others. Where it waits does not change the order.
    #[inline(always)]
    pub fn push_lane(&mut self, now: Nanos, at: Nanos, stream: u32) {
        let key = self.key(now, at);
        if self.lane.is_none() {
            self.lane = Some((key, stream));
        } else {
            self.push_keyed(at, key, E::from_lane(stream));
        }
    }

    /// The key of the next event pushed, due at `at`; every
    /// [`ADAPT_EVERY`] keys, a look at the queue's shape.
    #[inline(always)]
    fn key(&mut self, now: Nanos, at: Nanos) -> u128 {
        let key = ((at as u128) << 64) | self.next_seq as u128;
        self.next_seq += 1;
        if self.next_seq.is_multiple_of(u64::from(ADAPT_EVERY)) {
            self.adapt(now);
        }
        key
    }

    /// Adds `event` under `key` (due at `at`) to the layout in use.
    #[inline(always)]
    fn push_keyed(&mut self, at: Nanos, key: u128, event: E) {
        if let Some(wheel) = &mut self.wheel {
            match wheel.admits(key) {
                Some(true) => wheel.push(key, event),
                Some(false) => self.heap.push(key, event),
                None => {
                    // Earlier than the wheel's current bucket (a peek moved
                    // it past a run's end): start the wheel over from this
                    // entry's bucket, which it then belongs to.
                    wheel.rebase(at, &mut self.heap);
                    wheel.push(key, event);
                }
            }
            return;
        }
        if self.heap.has_hole() {
            // The slot of the event just popped (then `front` is empty).
            self.heap.push(key, event);
            return;
        }
        match self.front {
            Some(f) if key < f.0 => {
                let previous = self.front.replace((key, event)).expect("front is set");
                self.heap.push(previous.0, previous.1);
            }
            Some(_) => self.heap.push(key, event),
            None if self.heap.min_key().is_none_or(|top| key < top) => {
                self.front = Some((key, event))
            }
            None => self.heap.push(key, event),
        }
    }

    /// Removes and returns the earliest event.
    #[inline(always)]
    pub fn pop(&mut self) -> Option<(Nanos, E)> {
        let (key, from_lane) = self.earliest()?;
        Some(self.take(key, from_lane))
    }

    /// Removes and returns the earliest event if it is due before `until`
    /// (one look at the keys, where a peek and a pop would take two).
    #[inline(always)]
    pub fn pop_before(&mut self, until: Nanos) -> Option<(Nanos, E)> {
        let (key, from_lane) = self.earliest()?;
        if (key >> 64) as Nanos >= until {
            return None;
        }
        Some(self.take(key, from_lane))
    }

    /// The least key, and whether it is the lane's.
    #[inline(always)]
    fn earliest(&mut self) -> Option<(u128, bool)> {
        let rest = self.min_key_layout();
        match (&self.lane, rest) {
            (Some(lane), Some(rest)) if rest < lane.0 => Some((rest, false)),
            (Some(lane), _) => Some((lane.0, true)),
            (None, Some(rest)) => Some((rest, false)),
            (None, None) => None,
        }
    }

    /// Removes the earliest event, whose key is `key` (found by [`EventQueue::earliest`]).
    #[inline(always)]
    fn take(&mut self, key: u128, from_lane: bool) -> (Nanos, E) {
        let event = if from_lane {
            E::from_lane(self.lane.take().expect("lane is set").1)
        } else {
            self.pop_layout().expect("layout is not empty").1
        };
        ((key >> 64) as Nanos, event)
    }

    /// The least key outside the lane, if any.
    #[inline(always)]
    fn min_key_layout(&mut self) -> Option<u128> {
        match &mut self.wheel {
            Some(wheel) => wheel.settle(&mut self.heap).then(|| wheel.first_key()),
            None => self.front.map(|f| f.0).or_else(|| self.heap.min_key()),
        }
    }

    /// Removes and returns the earliest event outside the lane.
    #[inline(always)]
    fn pop_layout(&mut self) -> Option<(u128, E)> {
        let (key, event) = match &mut self.wheel {
            None => self.front.take().or_else(|| self.heap.take_min())?,
            Some(wheel) => {
                if !wheel.settle(&mut self.heap) {
                    return None;
                }
                wheel.take_first()
            }
        };
        Some((key, event))
    }

    /// The time of the earliest event, if any.
    #[inline]
    pub fn peek_time(&mut self) -> Option<Nanos> {
        self.earliest().map(|(key, _)| (key >> 64) as Nanos)
    }

    /// Number of pending events.
    pub fn len(&self) -> usize {
        self.heap.len()
            + self.front.is_some() as usize
            + self.lane.is_some() as usize
            + self.wheel.as_ref().map_or(0, Wheel::len)
    }

    /// True when nothing is pending.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Picks the layout for the queue's current shape: the heap while
    /// few events are pending; else a wheel whose buckets are about one
    /// mean gap between pushes wide and which spans about four mean lead
    /// times (by Little's law, pending events × mean gap).
    #[cold]
    #[inline(never)]
    fn adapt(&mut self, now: Nanos) {
        let gap_ns = now.saturating_sub(self.looked_at) / u64::from(ADAPT_EVERY);
        self.looked_at = now;
        let pending = self.len();
        let wanted = (pending >= WHEEL_FROM_LEN).then(|| {
            let shift = 64 - gap_ns.max(1).leading_zeros();
            let nb = (4 * pending).next_power_of_two().clamp(64, MAX_BUCKETS);
            (shift, nb)
        });
        let current = self.wheel.as_ref().map(Wheel::shape);
        let close = match (current, wanted) {
            (None, None) => true,
            (Some((s0, n0)), Some((s1, n1))) => s0.abs_diff(s1) < 2 && n0.max(n1) < 4 * n0.min(n1),
            _ => false,
        };
        if close {
            return;
        }
        if let Some(mut wheel) = self.wheel.take() {
            wheel.drain_into(&mut self.heap);
        }
        if let Some((key, event)) = self.front.take() {
            self.heap.push(key, event);
        }
        if let Some((shift, nb)) = wanted {
            let mut wheel = Wheel::new(shift, nb, now);
            wheel.rebase(now, &mut self.heap);
            self.wheel = Some(wheel);
        }
    }
}

#[cfg(test)]
mod tests;
