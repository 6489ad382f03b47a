//! Unit tests of [`super`]: sizes in words, UTF-8 positions, line and total
//! bounds, and the clipping of long lines in errors.

use super::*;
use crate::error::{InputError, MAX_SHOWN_LINE_CHARS, clip, clip_around};

#[test]
fn sizes_in_words() {
    assert_eq!(format_size(MAX_SCENARIO_BYTES), "64 MiB");
    assert_eq!(format_size(MAX_TRACE_LINE_BYTES), "64 KiB");
    assert_eq!(format_size(1000), "1000 bytes");
}

#[test]
fn the_first_byte_that_is_not_utf8_is_located() {
    // "ab\ncé" with é in Latin-1 (0xE9): line 2, column 2.
    let e = utf8(Path::new("f"), b"ab\nc\xE9d\n".to_vec(), "the file").unwrap_err();
    assert_eq!((e.line, e.column), (2, 2));
    assert!(e.message.ends_with("found the byte 0xE9"), "{}", e.message);
    assert_eq!(e.source_line.as_deref(), Some("c"));
}

#[test]
fn bounded_lines_stop_at_either_limit() {
    let read = |text: &[u8], total, line| {
        let mut out = Vec::new();
        BoundedLines::new(text, total, line)
            .read_to_end(&mut out)
            .map_err(|e| {
                e.get_ref()
                    .and_then(|i| i.downcast_ref::<LimitExceeded>())
                    .expect("a limit")
                    .clone()
            })
    };
    assert!(read(b"ab\ncd\n", 100, 2).is_ok());
    assert_eq!(read(b"ab\ncde\n", 100, 2).unwrap_err().line, 2);
    assert_eq!(read(b"ab\ncd\n", 5, 2).unwrap_err().line, 1);
}

#[test]
fn long_lines_are_clipped_around_the_column() {
    assert_eq!(clip("abcdef", 3), "abc…");
    assert_eq!(clip("abc", 3), "abc");
    assert_eq!(clip_around("short", 3, 10), ("short".to_string(), 3));
    // 1,000 characters, column 500 ('X'): a window of 10 around it.
    let mut line = "a".repeat(999);
    line.insert(499, 'X');
    let (shown, caret) = clip_around(&line, 500, 10);
    assert_eq!(shown.chars().count(), 12);
    assert!(shown.starts_with('…') && shown.ends_with('…'));
    assert_eq!(shown.chars().nth(caret - 1), Some('X'));
    // Through an error: the caret under the same character.
    let text = format!("k: v\n{line}\n");
    let e = InputError::new("f", 2, 500, "", "bad").with_source(&text);
    let shown = e.to_string();
    let lines: Vec<&str> = shown.lines().collect();
    let src = lines[1].strip_prefix(" 2 | ").unwrap();
    let at = lines[2].strip_prefix("   | ").unwrap().chars().count();
    assert_eq!(src.chars().count(), MAX_SHOWN_LINE_CHARS + 2);
    assert_eq!(src.chars().nth(at - 1), Some('X'));
}

#[test]
fn the_duration_limit_is_one_text() {
    use crate::units::{MAX_DURATION_TEXT, parse_duration, parse_offset};
    assert_eq!(
        parse_duration("213503d").unwrap(),
        213_503 * 86_400 * 1_000_000_000
    );
    for too_long in ["213504d", "99999999999999999999d", "1e30s"] {
        let e = parse_duration(too_long).unwrap_err();
        assert!(
            e.contains(MAX_DURATION_TEXT) || e.contains("unknown unit"),
            "{e}"
        );
    }
    assert!(
        parse_offset("213504d")
            .unwrap_err()
            .contains(MAX_DURATION_TEXT)
    );
}
