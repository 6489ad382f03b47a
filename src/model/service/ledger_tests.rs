//! The ledger against a plain event-by-event simulation of one FCFS pod.

use super::*;

/// A random request stream: (arrival, cpu, io), from a small LCG.
fn stream(seed: u64, n: usize) -> Vec<(Nanos, Nanos, Nanos)> {
    let mut state = seed;
    let mut next = move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        state >> 33
    };
    let mut t = 0;
    (0..n)
        .map(|_| {
            t += next() % 40;
            let io = if next() % 3 == 0 { next() % 50 } else { 0 };
            (t, next() % 120, io)
        })
        .collect()
}

/// What became of each request in a plain simulation: completions are
/// handled in time order before an arrival after them (one at the same
/// instant comes after the arrival); a free slot
/// takes the arrival, else it queues if there is room, else it is
/// rejected; a finishing request hands its slot to the head of the queue.
/// `None` = rejected, else (start, finish).
fn reference(
    reqs: &[(Nanos, Nanos, Nanos)],
    slots: usize,
    queue_limit: usize,
) -> Vec<Option<(Nanos, Nanos)>> {
    let mut out = vec![None; reqs.len()];
    let mut running: Vec<(Nanos, usize)> = Vec::new(); // (finish, request)
    let mut queue: VecDeque<usize> = VecDeque::new();
    let start = |i: usize, at: Nanos, out: &mut Vec<Option<(Nanos, Nanos)>>| {
        let (_, cpu, io) = reqs[i];
        out[i] = Some((at, at + cpu + io));
        (at + cpu + io, i)
    };
    for (i, &(t, _, _)) in reqs.iter().enumerate() {
        loop {
            running.sort();
            match running.first() {
                Some(&(f, _)) if f < t => {
                    running.remove(0);
                    if let Some(q) = queue.pop_front() {
                        running.push(start(q, f, &mut out));
                    }
                }
                _ => break,
            }
        }
        if running.len() < slots {
            running.push(start(i, t, &mut out));
        } else if queue.len() < queue_limit {
            queue.push_back(i);
        }
    }
    // Drain: the queue's requests start as slots free.
    while let Some(q) = queue.pop_front() {
        running.sort();
        let (f, _) = running.remove(0);
        running.push(start(q, f, &mut out));
    }
    out
}

#[test]
fn books_what_an_event_by_event_pod_does() {
    for (seed, slots, queue_limit) in [
        (1, 1, usize::MAX),
        (2, 3, usize::MAX),
        (3, 4, 2),
        (4, 2, 0),
        (5, 8, 5),
        (6, usize::MAX, usize::MAX),
    ] {
        let reqs = stream(seed, 3_000);
        let expected = reference(&reqs, slots, queue_limit);
        let mut ledger = Ledger::new(
            u32::try_from(slots).unwrap_or(u32::MAX),
            u32::try_from(queue_limit).unwrap_or(u32::MAX),
        );
        let mut got = Vec::new();
        for &(t, cpu, io) in &reqs {
            let booked = ledger.book(t, cpu, io, true);
            got.push(booked.then(|| {
                let b = ledger.open.last().expect("just booked");
                (b.start_ns, b.finish_ns)
            }));
            assert_eq!(booked, got.last().unwrap().is_some());
        }
        assert_eq!(got, expected, "slots {slots}, queue {queue_limit}");
        let rejected = got.iter().filter(|g| g.is_none()).count();
        if queue_limit < 100 && slots <= 4 {
            assert!(rejected > 0, "the test reaches a full queue");
        }
    }
}

#[test]
fn settles_finished_bookings_and_integrates_cpu_exactly() {
    let reqs = stream(7, 2_000);
    let mut ledger = Ledger::new(3, u32::MAX);
    for &(t, cpu, io) in &reqs {
        ledger.book(t, cpu, io, t % 2 == 0);
    }
    let bookings = ledger.open.clone();
    let end = bookings.iter().map(|b| b.finish_ns).max().unwrap();
    // Settle in uneven steps; the CPU integral and the finished set must not
    // depend on where the steps fall.
    let mut finished = Vec::new();
    let mut core_ns = 0;
    let mut t = 0;
    while t < end + 10 {
        t += 1 + t % 97;
        core_ns += ledger.settle(t, t + 1, |b| finished.push(*b));
        let busy: u32 = bookings.iter().filter(|b| b.finish_ns > t).count() as u32;
        assert_eq!(ledger.in_flight(), busy, "at {t}");
        let waiting = bookings
            .iter()
            .filter(|b| b.finish_ns > t && b.start_ns > t)
            .count();
        assert_eq!(ledger.queued() as usize, waiting, "at {t}");
    }
    let cpu: u64 = bookings.iter().map(|b| b.cpu_end_ns - b.start_ns).sum();
    assert_eq!(core_ns, cpu);
    finished.sort_by_key(|b| (b.arrival_ns, b.start_ns));
    let mut all = bookings.clone();
    all.sort_by_key(|b| (b.arrival_ns, b.start_ns));
    assert_eq!(finished, all);
    assert!(ledger.kill().is_empty());
}

#[test]
fn a_kill_returns_what_is_still_booked() {
    let mut ledger = Ledger::new(1, u32::MAX);
    assert!(ledger.book(0, 100, 0, true));
    assert!(ledger.book(10, 100, 50, true));
    assert_eq!(ledger.last_finish_ns(), Some(250));
    let used = ledger.settle(120, 121, |b| assert_eq!(b.finish_ns, 100));
    assert_eq!(used, 100 + 20);
    assert_eq!(ledger.in_flight(), 1);
    let left = ledger.kill();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].start_ns, 100);
    assert_eq!(ledger.in_flight(), 0);
}

#[test]
fn asks_to_be_settled_when_bookings_pile_up() {
    let mut ledger = Ledger::new(4, u32::MAX);
    let mut t = 0;
    while !ledger.wants_settle() {
        t += 10;
        assert!(ledger.book(t, 5, 0, true));
    }
    assert_eq!(ledger.in_flight() as usize, SETTLE_FROM);
    ledger.settle(t + 100, t + 100, |_| {});
    assert_eq!(ledger.in_flight(), 0);
    assert!(!ledger.wants_settle());
    // Many genuinely in flight: the next ask waits for twice as many.
    let mut long = Ledger::new(u32::MAX, u32::MAX);
    for i in 0..SETTLE_FROM as u64 {
        long.book(i, 1_000_000, 0, true);
    }
    assert!(long.wants_settle());
    long.settle(SETTLE_FROM as u64, SETTLE_FROM as u64, |_| {
        panic!("none finished")
    });
    assert!(!long.wants_settle());
    for i in 0..SETTLE_FROM as u64 {
        long.book(SETTLE_FROM as u64 + i, 1_000_000, 0, true);
    }
    assert!(long.wants_settle());
}
