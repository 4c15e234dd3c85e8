//! Display formatting of numbers (no analytics).

/// `1234567.8` → `1,234,567.80`.
pub fn money(v: f64) -> String {
    if !v.is_finite() {
        return "—".into();
    }
    let s = format!("{:.2}", v.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, "00"));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{}{out}.{frac}", if v < 0.0 { "−" } else { "" })
}

/// Fraction → percent with two decimals.
pub fn pct(v: f64) -> String {
    if v.is_finite() {
        format!("{:.2}%", v * 100.0)
    } else {
        "—".into()
    }
}

/// Quantity: whole numbers without decimals.
pub fn qty(v: Option<f64>) -> String {
    match v {
        Some(q) if q.fract() == 0.0 => format!("{q:.0}"),
        Some(q) if q.is_finite() => format!("{q:.4}"),
        _ => "—".into(),
    }
}
