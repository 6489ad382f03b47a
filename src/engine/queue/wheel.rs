//! A calendar wheel: the near future of the event queue in time buckets.
//!
//! Bucket `b` (an absolute number, `time >> shift`) holds the entries whose
//! time falls in `[b · 2^shift, (b + 1) · 2^shift)`. The wheel covers the
//! `nb` buckets from the current one, `cur`; an entry further out waits in
//! the far heap and moves in when the wheel reaches its window
//! (`migrate`). So every entry in the wheel is earlier than every entry in
//! the far heap, and the least entry of the wheel is the least of all.
//!
//! Buckets are singly linked lists threaded through one pool of nodes,
//! reused last-freed first: the pool is as large as the number of pending
//! entries, so a push writes a node that is still in cache and links it
//! into a small array of list heads, where a `Vec` per bucket would touch
//! a cold allocation. When a bucket becomes current its entries move into
//! `current`, sorted once; entries scheduled into the current bucket are
//! inserted there in order. An occupancy bitmap finds the next non-empty
//! bucket a word at a time. With about two pops per bucket, a push and a
//! pop each cost O(1) on average, against O(log n) sift steps in a heap —
//! it pays once thousands of events are pending (thousands of requests in
//! flight).

use super::heap::KeyHeap;

/// The bucket number of a key (its time, shifted).
#[inline]
fn bucket_of(key: u128, shift: u32) -> u64 {
    ((key >> 64) as u64) >> shift
}

/// End of a bucket's list.
const NIL: u32 = u32::MAX;

/// An entry in a bucket's list (or in the free list).
#[derive(Clone, Copy)]
struct Node<E> {
    key: u128,
    event: E,
    next: u32,
}

/// Entries of the near future in `nb` time buckets of `2^shift` ns.
pub(super) struct Wheel<E> {
    shift: u32,
    mask: u64,
    /// First node of each bucket's list, by slot.
    heads: Vec<u32>,
    nodes: Vec<Node<E>>,
    free: u32,
    /// Bit `s` set when the bucket in slot `s` holds nodes.
    occupied: Vec<u64>,
    /// Absolute number of the current bucket.
    cur: u64,
    /// The current bucket's entries, sorted; those before `head` are taken.
    current: Vec<(u128, E)>,
    head: usize,
    /// Entries in the wheel (not counting those taken).
    len: usize,
}

impl<E: Copy> Wheel<E> {
    /// An empty wheel of `nb` buckets (a power of two, at least 64) of
    /// `2^shift` ns, starting at the bucket holding time `now`.
    pub(super) fn new(shift: u32, nb: usize, now: u64) -> Self {
        // Checked in tests (also under --release) and debug builds; callers pass constants.
        if cfg!(any(test, debug_assertions)) {
            assert!(nb.is_power_of_two() && nb >= 64, "{nb} buckets");
        }
        Wheel {
            shift,
            mask: nb as u64 - 1,
            heads: vec![NIL; nb],
            nodes: Vec::new(),
            free: NIL,
            occupied: vec![0; nb / 64],
            cur: now >> shift,
            current: Vec::new(),
            head: 0,
            len: 0,
        }
    }

    /// Bucket width as a power of two, and number of buckets.
    pub(super) fn shape(&self) -> (u32, usize) {
        (self.shift, self.heads.len())
    }

    /// Entries in the wheel.
    #[inline]
    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// First bucket number past the wheel's window.
    #[inline]
    fn end(&self) -> u64 {
        self.cur.saturating_add(self.mask + 1)
    }

    /// Where an entry with `key` belongs: `Some(true)` in the wheel,
    /// `Some(false)` in the far heap, `None` if it is earlier than the
    /// current bucket (the wheel must be rewound first).
    #[inline]
    pub(super) fn admits(&self, key: u128) -> Option<bool> {
        let b = bucket_of(key, self.shift);
        (b >= self.cur).then(|| b < self.end())
    }

    /// Adds an entry that [`Wheel::admits`].
    #[inline]
    pub(super) fn push(&mut self, key: u128, event: E) {
        let b = bucket_of(key, self.shift);
        if b == self.cur {
            let at = self.head + self.current[self.head..].partition_point(|e| e.0 < key);
            self.current.insert(at, (key, event));
            self.len += 1;
        } else {
            self.link((b & self.mask) as usize, key, event);
        }
    }

    /// Adds an entry to the list of bucket `slot`.
    #[inline]
    fn link(&mut self, slot: usize, key: u128, event: E) {
        let next = self.heads[slot];
        let node = Node { key, event, next };
        let i = if self.free == NIL {
            self.nodes.push(node);
            (self.nodes.len() - 1) as u32
        } else {
            let i = self.free;
            self.free = self.nodes[i as usize].next;
            self.nodes[i as usize] = node;
            i
        };
        self.heads[slot] = i;
        self.occupied[slot / 64] |= 1 << (slot % 64);
        self.len += 1;
    }

    /// Moves the far heap's entries that now fall in the window into
    /// their buckets' lists.
    fn migrate(&mut self, far: &mut KeyHeap<E>) {
        let end = self.end();
        while let Some(key) = far.min_key() {
            let b = bucket_of(key, self.shift);
            if b >= end {
                break;
            }
            let (key, event) = far.pop().expect("has a min");
            self.link((b & self.mask) as usize, key, event);
        }
    }

    /// Makes bucket `cur` current: its list moves into `current`, sorted.
    fn open_current(&mut self) {
        let slot = (self.cur & self.mask) as usize;
        self.current.clear();
        self.head = 0;
        let mut i = self.heads[slot];
        while i != NIL {
            let node = self.nodes[i as usize];
            self.current.push((node.key, node.event));
            self.nodes[i as usize].next = self.free;
            self.free = i;
            i = node.next;
        }
        self.heads[slot] = NIL;
        self.occupied[slot / 64] &= !(1 << (slot % 64));
        if self.current.len() > 1 {
            self.current.sort_unstable_by_key(|e| e.0);
        }
    }

    /// Slots from `slot` to the next occupied one (1..=nb); `slot` itself
    /// is not occupied.
    fn distance_to_next(&self, slot: usize) -> u64 {
        let nb = self.heads.len();
        let words = self.occupied.len();
        let start = (slot + 1) % nb;
        let (w0, bit0) = (start / 64, start % 64);
        let first = self.occupied[w0] & (!0u64 << bit0);
        if first != 0 {
            let s = w0 * 64 + first.trailing_zeros() as usize;
            return ((s + nb - slot) % nb) as u64;
        }
        for i in 1..=words {
            let w = (w0 + i) % words;
            let bits = if i == words {
                self.occupied[w] & !(!0u64 << bit0)
            } else {
                self.occupied[w]
            };
            if bits != 0 {
                let s = w * 64 + bits.trailing_zeros() as usize;
                return ((s + nb - slot - 1) % nb + 1) as u64;
            }
        }
        unreachable!("an occupied bucket exists when the wheel is not empty")
    }

    /// Makes `current` hold the least entry, advancing over empty buckets
    /// and pulling in from `far`. False when both are empty.
    #[inline]
    pub(super) fn settle(&mut self, far: &mut KeyHeap<E>) -> bool {
        if self.head < self.current.len() {
            return true;
        }
        self.cur = if self.len > 0 {
            self.cur + self.distance_to_next((self.cur & self.mask) as usize)
        } else {
            match far.min_key() {
                Some(key) => bucket_of(key, self.shift),
                None => return false,
            }
        };
        self.migrate(far);
        self.open_current();
        // Checked in tests (also under --release) and debug builds; an empty
        // bucket here would make `first_key` index out of bounds anyway.
        if cfg!(any(test, debug_assertions)) {
            assert!(!self.current.is_empty(), "settled on an empty bucket");
        }
        true
    }

    /// The least key; the wheel must be settled and not empty.
    #[inline]
    pub(super) fn first_key(&self) -> u128 {
        self.current[self.head].0
    }

    /// Takes the least entry; the wheel must be settled and not empty.
    #[inline]
    pub(super) fn take_first(&mut self) -> (u128, E) {
        let e = self.current[self.head];
        self.head += 1;
        self.len -= 1;
        e
    }

    /// Moves every entry into `far`, leaving the wheel empty.
    pub(super) fn drain_into(&mut self, far: &mut KeyHeap<E>) {
        for &(key, event) in &self.current[self.head..] {
            far.push(key, event);
        }
        for slot in 0..self.heads.len() {
            let mut i = self.heads[slot];
            while i != NIL {
                let node = self.nodes[i as usize];
                far.push(node.key, node.event);
                i = node.next;
            }
            self.heads[slot] = NIL;
        }
        self.nodes.clear();
        self.free = NIL;
        self.occupied.fill(0);
        self.current.clear();
        self.head = 0;
        self.len = 0;
    }

    /// Empties the wheel into `far` and restarts it at the bucket of `time`.
    pub(super) fn rebase(&mut self, time: u64, far: &mut KeyHeap<E>) {
        self.drain_into(far);
        self.cur = time >> self.shift;
        self.migrate(far);
        self.open_current();
    }
}
