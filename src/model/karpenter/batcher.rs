//! The provisioner's batching window (reference §3.1,
//! `pkg/controllers/provisioning/batcher.go`): the first pending pod opens a
//! window, each further pod resets a 1 s idle timer, and the window closes
//! after 1 s of idleness or 10 s in total, whichever comes first.

use super::{BATCH_IDLE_NS, BATCH_MAX_NS};
use crate::units::Nanos;

/// A batching window over pending-pod arrival times.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Batcher {
    /// Idle timeout.
    idle_ns: Nanos,
    /// Maximum window length.
    max_ns: Nanos,
    /// When the open window started, and the latest arrival in it.
    open: Option<(Nanos, Nanos)>,
}

impl Default for Batcher {
    fn default() -> Self {
        Batcher::new(BATCH_IDLE_NS, BATCH_MAX_NS)
    }
}

impl Batcher {
    /// A closed batcher with these windows (Karpenter: [`BATCH_IDLE_NS`], [`BATCH_MAX_NS`]).
    pub fn new(idle_ns: Nanos, max_ns: Nanos) -> Batcher {
        Batcher {
            idle_ns,
            max_ns,
            open: None,
        }
    }

    /// Records a pending pod seen at `now_ns` (opens the window if closed).
    pub fn add(&mut self, now_ns: Nanos) {
        self.open = match self.open {
            None => Some((now_ns, now_ns)),
            Some((start, last)) => Some((start, last.max(now_ns))),
        };
    }

    /// When the open window closes if nothing else arrives: min(last + idle, start + max); `None` if closed.
    pub fn ready_at(&self) -> Option<Nanos> {
        self.open
            .map(|(start, last)| (last + self.idle_ns).min(start + self.max_ns))
    }

    /// Whether a window is open.
    pub fn is_open(&self) -> bool {
        self.open.is_some()
    }

    /// If the window has closed by `now_ns`, closes it and returns true (the caller provisions the batch).
    pub fn take_if_ready(&mut self, now_ns: Nanos) -> bool {
        match self.ready_at() {
            Some(t) if t <= now_ns => {
                self.open = None;
                true
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::NANOS_PER_SEC as S;

    #[test]
    fn one_second_of_idleness_closes_the_window() {
        let mut b = Batcher::default();
        assert_eq!(b.ready_at(), None);
        b.add(5 * S);
        assert_eq!(b.ready_at(), Some(6 * S));
        b.add(5 * S + S / 2);
        assert_eq!(b.ready_at(), Some(6 * S + S / 2));
        assert!(!b.take_if_ready(6 * S));
        assert!(b.take_if_ready(6 * S + S / 2));
        assert!(!b.is_open());
    }

    #[test]
    fn continuous_arrivals_close_at_ten_seconds() {
        let mut b = Batcher::default();
        // A pod every 0.5 s from t = 100 s: the idle timer never fires.
        for i in 0..40 {
            b.add(100 * S + i * S / 2);
            if b.take_if_ready(100 * S + i * S / 2) {
                // Closes at the arrival at exactly 110 s (i = 20).
                assert_eq!(i, 20);
                return;
            }
            assert_eq!(b.ready_at(), Some((100 * S + i * S / 2 + S).min(110 * S)));
        }
        panic!("window never closed");
    }
}
