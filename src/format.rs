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

/// A number with at most four decimals and no trailing zeros (`12.5`, `0.95`, `3`).
pub fn trim(x: f64) -> String {
    if !x.is_finite() {
        return String::new();
    }
    let s = format!("{x:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.to_string()
    }
}

/// A fraction shown as a trimmed percentage for an input (`0.125` → `12.5`).
pub fn pct_entry(x: f64) -> String {
    trim(x * 100.0)
}

/// An optional fraction as a trimmed percentage, blank when absent.
pub fn opt_pct_entry(x: Option<f64>) -> String {
    x.map(pct_entry).unwrap_or_default()
}

/// A heat score in [0, 1] as a colour: pale green (0) through amber (0.5) to red (1).
pub fn heat_colour(score: f64) -> String {
    const STOPS: [(f64, [f64; 3]); 3] = [
        (0.0, [226.0, 242.0, 228.0]),
        (0.5, [255.0, 214.0, 110.0]),
        (1.0, [192.0, 40.0, 40.0]),
    ];
    let s = if score.is_finite() {
        score.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (lo, hi) = if s <= 0.5 {
        (STOPS[0], STOPS[1])
    } else {
        (STOPS[1], STOPS[2])
    };
    let t = (s - lo.0) / (hi.0 - lo.0);
    let c: Vec<String> = (0..3)
        .map(|i| format!("{:.0}", lo.1[i] + t * (hi.1[i] - lo.1[i])))
        .collect();
    format!("rgb({},{},{})", c[0], c[1], c[2])
}
