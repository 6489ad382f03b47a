//! Tests of the event queue: order against a sorted reference, in both layouts.

use super::*;

impl LaneEvent for u64 {
    fn from_lane(stream: u32) -> u64 {
        u64::from(stream)
    }
}

impl LaneEvent for i32 {
    fn from_lane(stream: u32) -> i32 {
        stream as i32
    }
}

impl LaneEvent for &'static str {
    fn from_lane(_: u32) -> &'static str {
        "lane"
    }
}

#[test]
fn pops_in_time_then_insertion_order() {
    let mut q = EventQueue::new();
    q.push(0, 30, "c");
    q.push(0, 10, "a1");
    q.push(0, 20, "b");
    q.push(0, 10, "a2");
    q.push(0, 10, "a3");
    let order: Vec<_> = std::iter::from_fn(|| q.pop()).collect();
    assert_eq!(
        order,
        vec![(10, "a1"), (10, "a2"), (10, "a3"), (20, "b"), (30, "c")]
    );
    assert!(q.is_empty());
}

#[test]
fn matches_a_sorted_reference_on_random_input() {
    // A simple LCG drives a mix of pushes and pops; the reference is a sorted Vec.
    let mut q = EventQueue::new();
    let mut reference: Vec<(Nanos, u64)> = Vec::new();
    let mut state = 12345u64;
    let mut seq = 0u64;
    let mut now = 0;
    for _ in 0..20_000 {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        if state >> 62 != 0 || reference.is_empty() {
            let at = now + (state >> 40) % 50;
            q.push(now, at, seq);
            reference.push((at, seq));
            seq += 1;
        } else {
            reference.sort();
            let expected = reference.remove(0);
            assert_eq!(q.pop(), Some(expected));
            now = expected.0;
        }
    }
    reference.sort();
    for expected in reference {
        assert_eq!(q.pop(), Some(expected));
    }
    assert_eq!(q.pop(), None);
}

#[test]
fn many_equal_times_keep_order() {
    let mut q = EventQueue::new();
    for i in 0..1000u32 {
        q.push(0, 5, i);
    }
    for i in 0..1000u32 {
        assert_eq!(q.pop(), Some((5, i)));
    }
}

/// Drives a queue and a sorted reference with the same pushes and pops,
/// after `prefill` pushes; the lead times come from `lead(state)`, pops
/// happen with probability 1/`pop_one_in`; one push in `lane_one_in` goes
/// through the lane (0: none). Returns whether the queue used the wheel
/// layout at some point.
fn against_reference(
    prefill: usize,
    ops: usize,
    pop_one_in: u64,
    lead: impl Fn(u64) -> Nanos,
) -> bool {
    against_reference_with_lane(prefill, ops, pop_one_in, 0, lead)
}

fn against_reference_with_lane(
    prefill: usize,
    ops: usize,
    pop_one_in: u64,
    lane_one_in: u64,
    lead: impl Fn(u64) -> Nanos,
) -> bool {
    let mut q = EventQueue::new();
    let mut reference = std::collections::BTreeSet::new();
    let mut state = 99u64;
    let mut seq = 0u64;
    let mut now = 0;
    let mut used_wheel = false;
    for op in 0..prefill + ops {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        if op < prefill || !(state >> 33).is_multiple_of(pop_one_in) || reference.is_empty() {
            let at = now + lead(state);
            if lane_one_in > 0 && (state >> 13).is_multiple_of(lane_one_in) {
                q.push_lane(now, at, seq as u32);
            } else {
                q.push(now, at, seq);
            }
            reference.insert((at, seq));
            seq += 1;
        } else {
            let expected = reference.pop_first().expect("not empty");
            assert_eq!(q.peek_time(), Some(expected.0));
            if state & 1 == 0 {
                assert_eq!(q.pop(), Some(expected));
            } else {
                assert_eq!(q.pop_before(expected.0), None);
                assert_eq!(q.pop_before(expected.0 + 1), Some(expected));
            }
            now = expected.0;
        }
        assert_eq!(q.len(), reference.len());
        used_wheel |= q.wheel.is_some();
    }
    while let Some(expected) = reference.pop_first() {
        assert_eq!(q.pop(), Some(expected));
        used_wheel |= q.wheel.is_some();
    }
    assert_eq!(q.pop(), None);
    used_wheel
}

#[test]
fn wheel_layout_matches_the_reference() {
    // About 3,000 pending events with leads up to 1 s, some at the
    // current instant, a few 10 s out (the far heap).
    let lead = |s: u64| match s >> 60 {
        0 => 0,
        1 => 10_000_000_000 + (s >> 20) % 1_000_000_000,
        _ => (s >> 24) % 1_000_000_000,
    };
    assert!(against_reference(3_000, 200_000, 2, lead));
    // Leads of a few ns: one-nanosecond buckets, many equal times.
    assert!(against_reference(3_000, 100_000, 2, |s| (s >> 40) % 8));
    // Leads spanning hours: buckets of seconds, many wheel turns.
    assert!(against_reference(3_000, 100_000, 2, |s| (s >> 20) % 7_200_000_000_000));
}

#[test]
fn wheel_layout_keeps_equal_times_in_order() {
    let mut q = EventQueue::new();
    for i in 0..20_000u64 {
        q.push(0, i / 4_000 * 1_000, i);
    }
    for i in 0..20_000u64 {
        assert_eq!(q.pop(), Some((i / 4_000 * 1_000, i)));
        if i == 10_000 {
            assert!(q.wheel.is_some(), "10,000 pending after 8,192 pops");
        }
    }
}

#[test]
fn a_push_before_a_peeked_bucket_rewinds_the_wheel() {
    // A run ends at `until` after peeking an event far beyond it; the next
    // run pushes an event between the two.
    let mut q = EventQueue::new();
    for i in 0..9_000u64 {
        q.push(0, i * 1_000, i);
    }
    for i in 0..ADAPT_EVERY as u64 {
        assert_eq!(q.pop(), Some((i * 1_000, i)));
    }
    assert!(q.wheel.is_some());
    q.push(0, 1_000_000_000_000, 1);
    while q.len() > 1 {
        q.pop();
    }
    assert_eq!(q.peek_time(), Some(1_000_000_000_000));
    q.push(0, 10_000_000, 2);
    assert_eq!(q.pop(), Some((10_000_000, 2)));
    assert_eq!(q.pop(), Some((1_000_000_000_000, 1)));
    assert_eq!(q.pop(), None);
}

#[test]
fn shallow_queues_keep_the_heap_layout() {
    assert!(!against_reference(0, 100_000, 2, |s| (s >> 24) % 1_000));
}

#[test]
fn the_lane_keeps_the_order_of_the_keys() {
    // Every other push, every fourth, and all of them through the lane,
    // in both layouts: the lane holds one event, the rest queue as usual.
    for lane_one_in in [1, 2, 4] {
        assert!(!against_reference_with_lane(
            0,
            100_000,
            2,
            lane_one_in,
            |s| (s >> 24) % 1_000
        ));
        assert!(against_reference_with_lane(
            3_000,
            100_000,
            2,
            lane_one_in,
            |s| (s >> 24) % 1_000_000_000
        ));
    }
    // Equal times: the lane's event keeps its place among them.
    let mut q = EventQueue::new();
    q.push(0, 10, 0);
    q.push_lane(0, 10, 1);
    q.push(0, 10, 2);
    q.push_lane(0, 5, 3);
    let order: Vec<_> = std::iter::from_fn(|| q.pop()).collect();
    assert_eq!(order, vec![(5, 3), (10, 0), (10, 1), (10, 2)]);
}

#[test]
fn a_peek_leaves_the_taken_root_for_the_next_push() {
    let mut q = EventQueue::new();
    for (at, e) in [(30, 0), (10, 1), (20, 2), (40, 3), (50, 4), (60, 5)] {
        q.push(0, at, e);
    }
    assert_eq!(q.pop(), Some((10, 1)));
    // The heap's root is taken; peeks see the least of the rest.
    assert_eq!(q.peek_time(), Some(20));
    assert_eq!(q.len(), 5);
    q.push(10, 15, 6);
    assert_eq!(q.peek_time(), Some(15));
    let order: Vec<_> = std::iter::from_fn(|| q.pop()).collect();
    assert_eq!(
        order,
        vec![(15, 6), (20, 2), (30, 0), (40, 3), (50, 4), (60, 5)]
    );
}
