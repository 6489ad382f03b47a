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

/// Events waiting to fire, earliest first; ties in insertion order.
///
/// The earliest event is often the one just scheduled (the next arrival of
/// a busy service, say); with the heap layout it waits in `front`, outside
/// the heap, which saves a heap push and pop; invariant: `front` is
/// earlier than everything in the heap. With the wheel layout, `front` is
/// empty and the heap holds only entries beyond the wheel's window.
pub struct EventQueue<E> {
    front: Option<(u128, E)>,
    heap: KeyHeap<E>,
    wheel: Option<Wheel<E>>,
    next_seq: u64,
    /// Time of the last look at the queue's shape.
    looked_at: Nanos,
}

impl<E: Copy> Default for EventQueue<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E: Copy> EventQueue<E> {
    /// An empty queue.
    pub fn new() -> Self {
        EventQueue {
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
        let key = ((at as u128) << 64) | self.next_seq as u128;
        self.next_seq += 1;
        if self.next_seq.is_multiple_of(u64::from(ADAPT_EVERY)) {
            self.adapt(now);
        }
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
        let (key, event) = match &mut self.wheel {
            None => self.front.take().or_else(|| self.heap.take_min())?,
            Some(wheel) => {
                if !wheel.settle(&mut self.heap) {
                    return None;
                }
                wheel.take_first()
            }
        };
        Some(((key >> 64) as Nanos, event))
    }

    /// The time of the earliest event, if any.
    #[inline]
    pub fn peek_time(&mut self) -> Option<Nanos> {
        let key = match &mut self.wheel {
            Some(wheel) => wheel.settle(&mut self.heap).then(|| wheel.first_key()),
            None => self.front.map(|f| f.0).or_else(|| self.heap.min_key()),
        };
        key.map(|k| (k >> 64) as Nanos)
    }

    /// Number of pending events.
    pub fn len(&self) -> usize {
        self.heap.len() + self.front.is_some() as usize + self.wheel.as_ref().map_or(0, Wheel::len)
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
