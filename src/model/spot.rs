//! SCAFFOLD (replaced by the cost branch).
/// Scaffold.
pub fn band_rate_per_hour(text: &str) -> Result<f64, String> {
    Err(format!("scaffold {text}"))
}
