//! Generic discrete-event core: clock, event queue, event budget.
//!
//! The engine knows nothing of Kubernetes or requests: a [`Model`] receives
//! events one at a time, in time order (ties in scheduling order), and
//! schedules new ones through the [`Scheduler`]. Cancellation is left to
//! models as generation-checked lazy invalidation: an event carries the
//! generation it was scheduled for and is ignored when that has moved on.

mod queue;
pub mod rng;

pub use queue::{EventQueue, LaneEvent};

use crate::units::Nanos;

/// The simulated world driven by the engine.
pub trait Model {
    /// The events this model schedules and handles.
    type Event: LaneEvent;
    /// Handles one event at time `sched.now()`.
    fn handle(&mut self, event: Self::Event, sched: &mut Scheduler<Self::Event>);
}

/// The clock and the pending events, as seen by a model.
pub struct Scheduler<E> {
    now: Nanos,
    queue: EventQueue<E>,
    /// Events scheduled before `now` (a model bug; [`run`] reports it).
    in_past: u64,
}

impl<E: LaneEvent> Default for Scheduler<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E: LaneEvent> Scheduler<E> {
    /// A scheduler at time 0 with nothing pending.
    pub fn new() -> Self {
        Scheduler {
            now: 0,
            queue: EventQueue::new(),
            in_past: 0,
        }
    }

    /// Current simulated time.
    #[inline]
    pub fn now(&self) -> Nanos {
        self.now
    }

    /// Schedules `event` at absolute time `at`, which must not be in the past
    /// (if it is, it fires now, and [`run`] fails with [`EngineError::Invariant`]).
    #[inline]
    pub fn at(&mut self, at: Nanos, event: E) {
        // Always on, and branch-free: one compare and one add per event.
        self.in_past += u64::from(at < self.now);
        self.queue.push(self.now, at.max(self.now), event);
    }

    /// Like [`Scheduler::at`] of `E::from_lane(stream)`, for the one
    /// stream of events of which each schedules the next (a service's
    /// arrivals): it waits beside the queue, not in it, which saves a push
    /// and a pop per event; the order is the same.
    #[inline]
    pub fn at_lane(&mut self, at: Nanos, stream: u32) {
        self.in_past += u64::from(at < self.now);
        self.queue.push_lane(self.now, at.max(self.now), stream);
    }

    /// Schedules `event` after `delay` from now.
    #[inline]
    pub fn after(&mut self, delay: Nanos, event: E) {
        self.queue
            .push(self.now, self.now.saturating_add(delay), event);
    }

    /// Number of pending events.
    pub fn pending(&self) -> usize {
        self.queue.len()
    }
}

/// Why a run stopped early.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    /// The model handled more events than the budget allows.
    #[error("event budget of {budget} events exhausted at simulated time {at_ns} ns")]
    BudgetExhausted {
        /// The budget that was exceeded.
        budget: u64,
        /// Simulated time when it ran out.
        at_ns: Nanos,
    },
    /// An invariant of the engine or the model broke: a bug, not bad input.
    #[error("broken invariant: {0}")]
    Invariant(String),
}

/// Counters from one engine run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunStats {
    /// Events handled.
    pub events: u64,
}

/// Events between two calls of a run's progress callback.
pub const PROGRESS_EVERY: u64 = 1 << 16;

/// Runs `model` until no event is left before `until` (exclusive) or the budget is spent.
///
/// The clock ends at `until`. Events at or after `until` stay unhandled.
pub fn run<M: Model>(
    model: &mut M,
    sched: &mut Scheduler<M::Event>,
    until: Nanos,
    budget: u64,
) -> Result<RunStats, EngineError> {
    run_with_progress(model, sched, until, budget, |_| {})
}

/// [`run`], calling `progress` with the simulated time every
/// [`PROGRESS_EVERY`] events (it cannot change the run).
pub fn run_with_progress<M: Model>(
    model: &mut M,
    sched: &mut Scheduler<M::Event>,
    until: Nanos,
    budget: u64,
    mut progress: impl FnMut(Nanos),
) -> Result<RunStats, EngineError> {
    let mut events = 0u64;
    loop {
        if events == budget {
            match sched.queue.peek_time() {
                Some(at) if at < until => {
                    return Err(EngineError::BudgetExhausted { budget, at_ns: at });
                }
                _ => break,
            }
        }
        let Some((at, event)) = sched.queue.pop_before(until) else {
            break;
        };
        sched.now = at;
        events += 1;
        if events.is_multiple_of(PROGRESS_EVERY) {
            progress(at);
        }
        model.handle(event, sched);
    }
    sched.now = until.max(sched.now);
    if sched.in_past > 0 {
        return Err(EngineError::Invariant(format!(
            "{} event(s) were scheduled before the simulated time at which they were scheduled",
            sched.in_past
        )));
    }
    Ok(RunStats { events })
}

#[cfg(test)]
mod tests {
    use super::*;

    impl LaneEvent for u32 {
        fn from_lane(stream: u32) -> u32 {
            stream
        }
    }

    /// Re-schedules itself every `period`, logging when it fires.
    struct Ticker {
        period: Nanos,
        log: Vec<(Nanos, u32)>,
    }

    impl Model for Ticker {
        type Event = u32;
        fn handle(&mut self, event: u32, sched: &mut Scheduler<u32>) {
            self.log.push((sched.now(), event));
            sched.after(self.period, event);
        }
    }

    #[test]
    fn runs_until_the_end_in_order() {
        let mut m = Ticker {
            period: 10,
            log: vec![],
        };
        let mut s = Scheduler::new();
        s.at(0, 1);
        s.at(0, 2);
        let stats = run(&mut m, &mut s, 25, 1_000).unwrap();
        assert_eq!(
            m.log,
            vec![(0, 1), (0, 2), (10, 1), (10, 2), (20, 1), (20, 2)]
        );
        assert_eq!(stats.events, 6);
        assert_eq!(s.now(), 25);
    }

    #[test]
    fn progress_hears_the_clock_every_so_many_events_and_changes_nothing() {
        let run_ticker = |observe: bool| {
            let mut m = Ticker {
                period: 3,
                log: vec![],
            };
            let mut s = Scheduler::new();
            s.at(0, 1);
            let mut heard = Vec::new();
            let until = 3 * 5 * PROGRESS_EVERY;
            let stats = run_with_progress(&mut m, &mut s, until, u64::MAX, |t| {
                if observe {
                    heard.push(t)
                }
            })
            .unwrap();
            (m.log, stats, heard)
        };
        let (log, stats, heard) = run_ticker(true);
        let (quiet_log, quiet_stats, _) = run_ticker(false);
        assert_eq!((log, stats), (quiet_log, quiet_stats));
        assert_eq!(stats.events, 5 * PROGRESS_EVERY);
        let expected: Vec<Nanos> = (1..=5).map(|k| 3 * (k * PROGRESS_EVERY - 1)).collect();
        assert_eq!(heard, expected);
    }

    #[test]
    fn budget_stops_a_runaway_model() {
        let mut m = Ticker {
            period: 0,
            log: vec![],
        };
        let mut s = Scheduler::new();
        s.at(0, 1);
        let err = run(&mut m, &mut s, 100, 50).unwrap_err();
        assert_eq!(
            err,
            EngineError::BudgetExhausted {
                budget: 50,
                at_ns: 0
            }
        );
        assert_eq!(m.log.len(), 50);
    }

    /// Schedules its event 5 ns in the past once.
    struct Backwards;

    impl Model for Backwards {
        type Event = u32;
        fn handle(&mut self, event: u32, sched: &mut Scheduler<u32>) {
            if event == 1 {
                let past = sched.now() - 5;
                sched.at(past, 2);
            }
        }
    }

    #[test]
    fn an_event_scheduled_in_the_past_fails_the_run_in_release_builds_too() {
        let mut s = Scheduler::new();
        s.at(10, 1);
        let err = run(&mut Backwards, &mut s, 100, 1_000).unwrap_err();
        assert!(
            matches!(&err, EngineError::Invariant(m) if m.starts_with("1 event(s) were scheduled before")),
            "{err:?}"
        );
    }
}
