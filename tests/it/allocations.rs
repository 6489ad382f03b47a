//! The per-request hot path allocates nothing.
//!
//! A counting global allocator measures the allocations of whole runs of
//! 1 h and 10 h of simulated traffic: ten times the requests must not mean
//! more allocations beyond the handful that the longer time series needs
//! (its vector doubles a few more times). Covers dedicated and shared CPU,
//! I/O, queues, timeouts and all balancers.

use capsim::model::simulate;
use capsim::scenario::parse_str;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::path::Path;

struct Counting;

thread_local! {
    /// Allocations made by this thread (the test binary runs tests on several threads).
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

fn count() {
    // `try_with`: a thread being torn down has no counter any more, and needs none.
    let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
}

fn allocations() -> u64 {
    ALLOCATIONS.with(Cell::get)
}

// SAFETY: forwards to the system allocator unchanged, only counting calls.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn scenario(duration: &str) -> String {
    format!(
        "name: alloc
duration: {duration}
warmup: 1m
services:
  - name: dedicated
    replicas: 4
    load_balancer: least_request
    traffic:
      rate: [ {{ diurnal: {{ min: 50, max: 150, peak_at: \"00:30\", period: 1h }} }} ]
    request:
      cpu: {{ exponential: {{ mean: 20ms }} }}
      timeout: 100ms
    pod:
      concurrency: 2
      queue_limit: 5
  - name: shared
    replicas: 3
    load_balancer: random
    traffic:
      rate: [ {{ constant: {{ rps: 80 }} }} ]
    request:
      cpu: {{ lognormal: {{ median: 10ms, p99: 80ms }} }}
      io: {{ uniform: {{ min: 1ms, max: 9ms }} }}
    pod:
      concurrency: unlimited
      limits: {{ cpu: 500m }}
"
    )
}

/// (allocations, requests offered) of one run.
fn measure(duration: &str) -> (u64, u64) {
    let s = parse_str(&scenario(duration), Path::new("alloc.yaml")).unwrap();
    let before = allocations();
    let result = simulate(&s, 0, 0).unwrap();
    let made = allocations() - before;
    (
        made,
        result.services.iter().map(|s| s.outcomes.offered).sum(),
    )
}

#[test]
fn allocations_do_not_grow_with_requests() {
    let (short, short_requests) = measure("1h");
    let (long, long_requests) = measure("10h");
    eprintln!(
        "1h: {short_requests} requests, {short} allocations; 10h: {long_requests} requests, {long} allocations"
    );
    assert!(long_requests > 9 * short_requests);
    assert!(
        long < short + 40,
        "allocations grew from {short} to {long} with 10× the requests"
    );
}
