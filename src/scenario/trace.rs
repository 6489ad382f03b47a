//! Loading request-rate traces from CSV onto a regular grid.
//!
//! A trace is a CSV file with a time column (ISO-8601 with or without `T`
//! and `Z`, or plain seconds) and a value column counting requests per
//! second, minute or hour at each timestamp. Rows must be in time order on
//! a regular grid (the smallest gap between rows); grid points without a
//! row count as zero, as the published traces require.

use super::limits::{
    BoundedLines, MAX_RPS, MAX_RPS_HINT, MAX_TRACE_BYTES, MAX_TRACE_LINE_BYTES, format_size,
    limit_exceeded,
};
use crate::spec::{Interpolation, TraceRate};
use chrono::{DateTime, NaiveDate, NaiveDateTime};
use std::io::Read;
use std::path::Path;

/// What to read from a trace file.
#[derive(Debug, Clone)]
pub struct TraceRequest<'a> {
    /// Time column name; `None` = the first column.
    pub time_column: Option<&'a str>,
    /// Value column name; `None` = the second column.
    pub value_column: Option<&'a str>,
    /// Seconds in the unit the values count requests per.
    pub per_s: f64,
    /// Multiplier applied to every value.
    pub scale: f64,
    /// Timestamp mapped to scenario time 0; `None` = the first row.
    pub from: Option<&'a str>,
    /// Timestamp after which the rate is 0.
    pub to: Option<&'a str>,
    /// Fill-in between samples.
    pub interpolation: Interpolation,
}

/// Why a trace could not be loaded; the caller attaches the scenario location.
#[derive(Debug, Clone, PartialEq)]
pub enum TraceError {
    /// The file could not be opened or read.
    Io(String),
    /// A named column is not in the header.
    Column {
        /// `time_column` or `value_column`.
        field: &'static str,
        /// The name asked for.
        name: String,
        /// The header's columns.
        available: Vec<String>,
    },
    /// A row is malformed.
    Row {
        /// 1-based line in the CSV file.
        line: u64,
        /// What is wrong with it.
        message: String,
    },
    /// `from` or `to` is unusable.
    Bound {
        /// `from` or `to`.
        field: &'static str,
        /// What is wrong with it.
        message: String,
    },
}

/// Largest grid the loader accepts (guards against a stray far-away timestamp).
const MAX_GRID_POINTS: i128 = 50_000_000;

/// Formats nanoseconds since the Unix epoch as `YYYY-MM-DD HH:MM:SS` (UTC), for messages.
fn format_timestamp(ns: i128) -> String {
    DateTime::from_timestamp_nanos(ns.clamp(i64::MIN.into(), i64::MAX.into()) as i64)
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

/// Parses a timestamp into nanoseconds since the Unix epoch (naive times are UTC).
pub fn parse_timestamp(text: &str) -> Result<i64, String> {
    let s = text.trim();
    if let Ok(secs) = s.parse::<f64>()
        && secs.is_finite()
        && secs.abs() < 9e9
    {
        return Ok((secs * 1e9).round() as i64);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return t
            .timestamp_nanos_opt()
            .ok_or_else(|| format!("timestamp \"{text}\" is out of range"));
    }
    let naive = s.strip_suffix('Z').unwrap_or(s);
    const FORMATS: [&str; 4] = [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ];
    let parsed = FORMATS
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(naive, f).ok())
        .or_else(|| {
            NaiveDate::parse_from_str(naive, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        });
    match parsed {
        Some(t) => t
            .and_utc()
            .timestamp_nanos_opt()
            .ok_or_else(|| format!("timestamp \"{text}\" is out of range")),
        None => Err(format!(
            "expected a timestamp such as 1998-05-01 00:00:00, 1995-07-01T04:00:00Z or plain seconds, found \"{text}\""
        )),
    }
}

fn column_index(
    headers: &csv::StringRecord,
    name: Option<&str>,
    default: usize,
    field: &'static str,
) -> Result<usize, TraceError> {
    let available = || headers.iter().map(str::to_string).collect();
    match name {
        Some(n) => headers
            .iter()
            .position(|h| h.trim() == n)
            .ok_or_else(|| TraceError::Column {
                field,
                name: n.to_string(),
                available: available(),
            }),
        None if default < headers.len() => Ok(default),
        None => Err(TraceError::Column {
            field,
            name: format!("column {}", default + 1),
            available: available(),
        }),
    }
}

/// A failure to read the header: a limit at its line, or an I/O error.
fn limit_or_io(e: csv::Error) -> TraceError {
    match limit_exceeded(&e) {
        Some(l) => TraceError::Row {
            line: l.line,
            message: format!(
                "{}\nhint: the first line names the columns, such as `period,count`",
                l.message
            ),
        },
        None => TraceError::Io(e.to_string()),
    }
}

/// Bytes of a trace looked at before it is parsed.
const SNIFF_BYTES: u64 = 8192;

/// Whether `head`, the start of a file, is UTF-8 text (a character cut
/// at its end is fine).
fn looks_like_text(head: &[u8]) -> bool {
    match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    }
}

/// Reads the (timestamp ns, value) rows of the file (at most
/// [`MAX_TRACE_BYTES`], lines of at most [`MAX_TRACE_LINE_BYTES`]).
fn read_rows(path: &Path, req: &TraceRequest) -> Result<Vec<(i64, f64, u64)>, TraceError> {
    let file = std::fs::File::open(path).map_err(|e| TraceError::Io(e.to_string()))?;
    if let Ok(meta) = file.metadata()
        && meta.is_file()
        && meta.len() > MAX_TRACE_BYTES
    {
        return Err(TraceError::Io(format!(
            "it is {} bytes, more than the {} capsim reads",
            meta.len(),
            format_size(MAX_TRACE_BYTES)
        )));
    }
    // A binary file (a device, an image) can start with a line that passes
    // for a header by chance: look at its first bytes before the columns.
    let mut head = Vec::with_capacity(SNIFF_BYTES as usize);
    (&file)
        .take(SNIFF_BYTES)
        .read_to_end(&mut head)
        .map_err(|e| TraceError::Io(e.to_string()))?;
    if !looks_like_text(&head) {
        return Err(TraceError::Io(
            "it is not a text file (it holds bytes that are not UTF-8 text)".into(),
        ));
    }
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(BoundedLines::new(
            std::io::Cursor::new(head).chain(file),
            MAX_TRACE_BYTES,
            MAX_TRACE_LINE_BYTES,
        ));
    let headers = reader.headers().map_err(limit_or_io)?.clone();
    let t_col = column_index(&headers, req.time_column, 0, "time_column")?;
    let v_col = column_index(&headers, req.value_column, 1, "value_column")?;
    let mut rows: Vec<(i64, f64, u64)> = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| match limit_exceeded(&e) {
            Some(l) => TraceError::Row {
                line: l.line,
                message: format!(
                    "{}\nhint: a trace has one short `time,count` row per line; check that this is the file you meant",
                    l.message
                ),
            },
            None => TraceError::Row {
            line: e.position().map(|p| p.line()).unwrap_or(0),
            message: format!(
                "{e}\nhint: {}",
                match e.kind() {
                    csv::ErrorKind::UnequalLengths { .. } =>
                        "every row needs as many comma-separated fields as the header",
                    _ => "a trace is a UTF-8 text file of comma-separated values",
                }
            ),
            },
        })?;
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let row_err = |message: String| TraceError::Row { line, message };
        let t = parse_timestamp(record.get(t_col).unwrap_or("")).map_err(|m| {
            row_err(format!(
                "{m}\nhint: every row needs a timestamp in column {} ({})",
                t_col + 1,
                &headers[t_col]
            ))
        })?;
        let raw = record.get(v_col).unwrap_or("");
        let v: f64 = raw.parse().map_err(|_| {
            row_err(format!(
                "expected a request count in column {} ({}), found \"{raw}\"\nhint: write a plain number of requests, such as 60 or 12.5",
                v_col + 1,
                &headers[v_col]
            ))
        })?;
        if !v.is_finite() {
            return Err(row_err(format!(
                "expected a finite request count, found {raw}\nhint: write a plain number of requests, such as 60 or 12.5; NaN and infinity are not counts"
            )));
        }
        if v < 0.0 {
            return Err(row_err(format!(
                "expected a request count that is not negative, found {raw}\nhint: write 0 for a period without requests"
            )));
        }
        if let Some(&(prev, _, _)) = rows.last()
            && t <= prev
        {
            return Err(row_err(
                "expected a timestamp later than the previous row's\nhint: sort the rows by time and remove duplicates".into(),
            ));
        }
        rows.push((t, v, line));
    }
    if rows.is_empty() {
        return Err(TraceError::Row {
            line: 1,
            message: "expected a header line and at least one data row, found no data rows\nhint: the first line names the columns, each further line is one sample".into(),
        });
    }
    Ok(rows)
}

/// Loads the trace at `path` onto a regular grid in scenario time.
pub fn load(path: &Path, req: &TraceRequest) -> Result<TraceRate, TraceError> {
    let rows = read_rows(path, req)?;
    // i128: two timestamps near the ends of the i64 range are ~1.8e19 ns apart.
    let t0 = i128::from(rows[0].0);
    let step = rows
        .windows(2)
        .map(|w| i128::from(w[1].0) - i128::from(w[0].0))
        .min()
        .unwrap_or((req.per_s * 1e9) as i128)
        .max(1);
    let last = i128::from(rows[rows.len() - 1].0);
    let points = (last - t0) / step + 1;
    if points > MAX_GRID_POINTS {
        return Err(TraceError::Row {
            line: 2,
            message: format!(
                "the rows span {points} steps of the smallest gap between rows; that is too many to hold\nhint: check for a stray timestamp far from the others, or rows closer together than the rest"
            ),
        });
    }
    let mut rates_rps = vec![0.0; points as usize];
    let factor = req.scale / req.per_s;
    for &(t, v, line) in &rows {
        let t = i128::from(t);
        if (t - t0) % step != 0 {
            return Err(TraceError::Row {
                line,
                message: format!(
                    "expected a timestamp on the regular grid of the file (first row plus multiples of {} s, the smallest gap between rows)\nhint: traces need evenly spaced rows; leave out a row for a period without requests",
                    step as f64 / 1e9
                ),
            });
        }
        let rate = v * factor;
        if rate > MAX_RPS {
            return Err(TraceError::Row {
                line,
                message: format!(
                    "expected at most {MAX_RPS:e} requests per second, found {v} per {} s × scale {} = {rate:e} per second\nhint: {MAX_RPS_HINT}",
                    req.per_s, req.scale
                ),
            });
        }
        rates_rps[((t - t0) / step) as usize] = rate;
    }
    let bound = |field: &'static str, text: Option<&str>| -> Result<Option<i64>, TraceError> {
        text.map(|s| {
            parse_timestamp(s).map_err(|message| TraceError::Bound {
                field,
                message: format!("{message}\nhint: quote timestamps: \"1998-05-01 00:00:00\""),
            })
        })
        .transpose()
    };
    let from = bound("from", req.from)?.map_or(t0, i128::from);
    let grid_end = t0 + points * step;
    if from >= grid_end {
        return Err(TraceError::Bound {
            field: "from",
            message: format!(
                "expected `from` before the end of the trace ({}), found {}\nhint: `from` is the trace time that becomes the start of the run",
                format_timestamp(grid_end),
                format_timestamp(from)
            ),
        });
    }
    let end_s = match bound("to", req.to)?.map(i128::from) {
        Some(to) if to <= from => {
            let what = if req.from.is_some() {
                "`from`"
            } else {
                "the first row"
            };
            return Err(TraceError::Bound {
                field: "to",
                message: format!(
                    "expected `to` later than {what} ({}), found {}\nhint: `to` ends the part of the trace that is replayed; it must come after where the replay starts",
                    format_timestamp(from),
                    format_timestamp(to)
                ),
            });
        }
        Some(to) => (to.min(grid_end) - from) as f64 / 1e9,
        None => (grid_end - from) as f64 / 1e9,
    };
    Ok(TraceRate {
        start_s: (t0 - from) as f64 / 1e9,
        step_s: step as f64 / 1e9,
        rates_rps,
        end_s,
        interpolation: req.interpolation,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn request() -> TraceRequest<'static> {
        TraceRequest {
            time_column: None,
            value_column: None,
            per_s: 60.0,
            scale: 1.0,
            from: None,
            to: None,
            interpolation: Interpolation::Step,
        }
    }

    fn csv_file(text: &str) -> tempfile::NamedTempFile {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(text.as_bytes()).unwrap();
        f
    }

    #[test]
    fn timestamps_in_all_accepted_forms() {
        let base = parse_timestamp("1998-05-01 00:00:00").unwrap();
        assert_eq!(base, 893_980_800_000_000_000);
        assert_eq!(parse_timestamp("1998-05-01T00:00:00Z").unwrap(), base);
        assert_eq!(parse_timestamp("1998-05-01T00:00:00").unwrap(), base);
        assert_eq!(parse_timestamp("1998-05-01T02:00:00+02:00").unwrap(), base);
        assert_eq!(parse_timestamp("1998-05-01").unwrap(), base);
        assert_eq!(parse_timestamp("893980800").unwrap(), base);
        assert!(parse_timestamp("May 1st").is_err());
    }

    #[test]
    fn missing_rows_are_zero_and_from_to_clip() {
        let f = csv_file(
            "period,count\n2000-01-01 00:00:00,60\n2000-01-01 00:01:00,120\n2000-01-01 00:03:00,30\n",
        );
        let t = load(f.path(), &request()).unwrap();
        assert_eq!(t.step_s, 60.0);
        assert_eq!(t.rates_rps, vec![1.0, 2.0, 0.0, 0.5]);
        assert_eq!((t.start_s, t.end_s), (0.0, 240.0));
        let clipped = TraceRequest {
            from: Some("2000-01-01 00:01:00"),
            to: Some("2000-01-01 00:03:00"),
            ..request()
        };
        let t = load(f.path(), &clipped).unwrap();
        assert_eq!((t.start_s, t.end_s), (-60.0, 120.0));
    }

    #[test]
    fn named_columns_and_bad_rows() {
        let f = csv_file("a,b,c\n0,x,5\n60,y,7\n");
        let named = TraceRequest {
            time_column: Some("a"),
            value_column: Some("c"),
            per_s: 1.0,
            ..request()
        };
        assert_eq!(load(f.path(), &named).unwrap().rates_rps, vec![5.0, 7.0]);
        let wrong = TraceRequest {
            value_column: Some("count"),
            ..request()
        };
        assert!(matches!(
            load(f.path(), &wrong),
            Err(TraceError::Column {
                field: "value_column",
                ..
            })
        ));
        let bad = csv_file("t,v\n0,1\n60,-3\n");
        assert_eq!(
            load(bad.path(), &request()),
            Err(TraceError::Row {
                line: 3,
                message: "expected a request count that is not negative, found -3\nhint: write 0 for a period without requests".into()
            })
        );
        let unordered = csv_file("t,v\n60,1\n0,1\n");
        assert!(matches!(
            load(unordered.path(), &request()),
            Err(TraceError::Row { line: 3, .. })
        ));
        let irregular = csv_file("t,v\n0,1\n60,1\n90,1\n125,1\n");
        assert!(matches!(
            load(irregular.path(), &request()),
            Err(TraceError::Row { .. })
        ));
    }
}
